package checks

import (
	"testing"

	"github.com/IBM/sarama"
)

// TestMatchDeny: a DENY applies to the principal or User:*, for the needed
// operation or All; ALLOW bindings and other principals or operations do not.
func TestMatchDeny(t *testing.T) {
	need := acl{"Topic", "orders", "Read"}
	res := func(pt sarama.AclResourcePatternType, name string, acls ...*sarama.Acl) *sarama.ResourceAcls {
		return &sarama.ResourceAcls{Resource: sarama.Resource{ResourceType: sarama.AclResourceTopic, ResourceName: name, ResourcePatternType: pt}, Acls: acls}
	}
	deny := func(p string, op sarama.AclOperation) *sarama.Acl {
		return &sarama.Acl{Principal: p, Host: "*", Operation: op, PermissionType: sarama.AclPermissionDeny}
	}
	for _, tc := range []struct {
		name string
		rs   []*sarama.ResourceAcls
		want string
	}{
		{"literal Read", []*sarama.ResourceAcls{res(sarama.AclPatternLiteral, "orders", deny("User:u", sarama.AclOperationRead))},
			"(principal=User:u, host=*, operation=Read, permissionType=DENY) on Topic:LITERAL:orders"},
		{"prefixed All for everyone", []*sarama.ResourceAcls{res(sarama.AclPatternPrefixed, "ord", deny("User:*", sarama.AclOperationAll))},
			"(principal=User:*, host=*, operation=All, permissionType=DENY) on Topic:PREFIXED:ord"},
		{"other principal", []*sarama.ResourceAcls{res(sarama.AclPatternLiteral, "orders", deny("User:v", sarama.AclOperationRead))}, ""},
		{"other operation", []*sarama.ResourceAcls{res(sarama.AclPatternLiteral, "orders", deny("User:u", sarama.AclOperationWrite))}, ""},
		{"allow", []*sarama.ResourceAcls{res(sarama.AclPatternLiteral, "orders",
			&sarama.Acl{Principal: "User:u", Host: "*", Operation: sarama.AclOperationRead, PermissionType: sarama.AclPermissionAllow})}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, ok := matchDeny(need, "User:u", tc.rs)
			got := ""
			if ok {
				got = d.String()
			}
			if got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestPlaceholderNote: only a missing group ACL on the placeholder group
// carries the caveat, and the fix names the group the user must supply.
func TestPlaceholderNote(t *testing.T) {
	s := &State{Cfg: Config{ConsumerGroup: PlaceholderGroup}}
	if placeholderNote(s, []acl{{"Topic", "orders", "Read"}}) != "" {
		t.Error("a topic ACL got the placeholder caveat")
	}
	if placeholderNote(s, []acl{{"Group", PlaceholderGroup, "Read"}}) == "" {
		t.Error("a placeholder group ACL has no caveat")
	}
	s.Cfg.ConsumerGroup = "0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b"
	if placeholderNote(s, []acl{{"Group", s.Cfg.ConsumerGroup, "Read"}}) != "" {
		t.Error("the mapping's own group got the placeholder caveat")
	}
	if got := fixGroupName(acl{"Group", PlaceholderGroup, "Read"}).Name; got != "<the mapping's UUID or ConsumerGroupId>" {
		t.Errorf("fix group %q", got)
	}
}
