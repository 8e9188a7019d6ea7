package integration

import (
	"fmt"
	"sync"
	"testing"

	"github.com/IBM/sarama"
)

// The AWS tests use consumer groups of their own, so a consumer another
// test leaves in the test bed's shared groups (the agreement runs) never
// turns a pass into "group has active members". Two prefixed ACLs cover
// them: custom group ids start with awsGroupPrefix, and the mapping UUIDs
// (a mapping's default group) with awsUUIDPrefix.
const (
	awsGroupPrefix = "esmdoctor-aws-"
	awsUUIDPrefix  = "e5d0c7a0-"
)

var (
	groupACLOnce sync.Once
	groupACLErr  error
)

// grantAWSGroups creates the prefixed group ACLs once per test process
// (creating an existing ACL binding is a no-op for Kafka).
func grantAWSGroups(t *testing.T, b bed) {
	t.Helper()
	groupACLOnce.Do(func() {
		adm, err := sarama.NewClusterAdmin([]string{b.Get("ADMIN")}, b.adminConfig())
		if err != nil {
			groupACLErr = fmt.Errorf("admin client: %w", err)
			return
		}
		defer adm.Close()
		var acls []*sarama.ResourceAcls
		for _, prefix := range []string{awsGroupPrefix, awsUUIDPrefix} {
			for _, p := range []string{b.Get("SCRAM_USER"), b.Get("IAM_PRINCIPAL"), b.Get("MTLS_PRINCIPAL")} {
				for _, op := range []sarama.AclOperation{sarama.AclOperationDescribe, sarama.AclOperationRead} {
					acls = append(acls, &sarama.ResourceAcls{
						Resource: sarama.Resource{ResourceType: sarama.AclResourceGroup, ResourceName: prefix, ResourcePatternType: sarama.AclPatternPrefixed},
						Acls:     []*sarama.Acl{{Principal: "User:" + p, Host: "*", Operation: op, PermissionType: sarama.AclPermissionAllow}},
					})
				}
			}
		}
		groupACLErr = adm.CreateACLs(acls)
	})
	if groupACLErr != nil {
		t.Fatalf("creating the AWS tests' group ACLs: %v", groupACLErr)
	}
}
