package checks

import (
	"crypto/tls"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/fixtures"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/resolve"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// queueKfake is a TLS + SCRAM-SHA-512 kfake cluster with ACLs on, whose
// user esm may read the topic and holds groupOps on group orders-share,
// and the Queue mapping's configuration as esm.
func queueKfake(t *testing.T, groupOps ...kmsg.ACLOperation) (*kfake.Cluster, Config) {
	t.Helper()
	ca, err := fixtures.NewCA("queue CA")
	if err != nil {
		t.Fatal(err)
	}
	cert, _, _, err := ca.Server("localhost", []string{"localhost"}, []net.IP{net.ParseIP("127.0.0.1")})
	if err != nil {
		t.Fatal(err)
	}
	allow := func(rt kmsg.ACLResourceType, name string, op kmsg.ACLOperation) kfake.ACL {
		return kfake.ACL{Resource: rt, Name: name, Pattern: kmsg.ACLResourcePatternTypeLiteral, Operation: op, Allow: true}
	}
	acls := []kfake.ACL{allow(kmsg.ACLResourceTypeTopic, "orders", kmsg.ACLOperationRead), allow(kmsg.ACLResourceTypeTopic, "orders", kmsg.ACLOperationDescribe)}
	for _, op := range groupOps {
		acls = append(acls, allow(kmsg.ACLResourceTypeGroup, "orders-share", op))
	}
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(3, "orders"), kfake.EnableSASL(), kfake.EnableACLs(),
		kfake.Superuser("SCRAM-SHA-512", "admin", "admin-password"), kfake.User("SCRAM-SHA-512", "esm", "esm-password", acls...),
		kfake.TLS(&tls.Config{Certificates: []tls.Certificate{cert}}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	bs, err := ParseBootstrap("test", c.ListenAddrs())
	if err != nil {
		t.Fatal(err)
	}
	return c, Config{Bootstrap: bs, Topic: "orders", Auth: AuthSCRAM512, ConsumerGroup: "orders-share", Timeout: 4 * time.Second,
		Secret: &SecretDoc{Source: "queue", Data: fixtures.SASLSecret("esm", "esm-password")},
		CA:     &SecretDoc{Source: "queue CA", Data: fixtures.RootCASecret(ca.CertPEM)}, CAIsSecret: true,
		Kafka: resolve.KafkaConfig{ConsumerGroupID: "orders-share", ConsumptionMode: "Queue"}}
}

// Over TLS and SCRAM (the connection sarama authenticated, handed to
// kmsg): Read on the group proven by the ShareFetch probe; without it the
// missing ACL is named; a coordinator that never settles is ESM-SHARE-004.
func TestQueueModeKfakeACLs(t *testing.T) {
	_, cfg := queueKfake(t, kmsg.ACLOperationRead, kmsg.ACLOperationDescribe)
	if g := groupResult(t, cfg); g.Status != model.Pass {
		t.Fatalf("with Read: %s %s %s %v", g.Status, g.Code, g.Cause(), g.Detail)
	}
	_, cfg = queueKfake(t, kmsg.ACLOperationDescribe)
	g := groupResult(t, cfg)
	if g.Status != model.Fail || g.Code != "ESM-SHARE-003" || !strings.HasPrefix(g.Cause(), `User:esm is missing: Read on Group "orders-share"`) {
		t.Fatalf("without Read: %s %s %s %v", g.Status, g.Code, g.Cause(), g.Detail)
	}
	c, cfg := queueKfake(t, kmsg.ACLOperationRead, kmsg.ACLOperationDescribe)
	c.ControlKey(int16(kmsg.ShareGroupDescribe), func(req kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		res := req.(*kmsg.ShareGroupDescribeRequest).ResponseKind().(*kmsg.ShareGroupDescribeResponse)
		g := kmsg.NewShareGroupDescribeResponseGroup()
		g.GroupID, g.ErrorCode = "orders-share", 15 // COORDINATOR_NOT_AVAILABLE
		res.Groups = append(res.Groups, g)
		return res, nil, true
	})
	g = groupResult(t, cfg)
	if g.Code != "ESM-SHARE-004" || g.Cause() != "share group orders-share: ShareGroupDescribe: Kafka error 15 COORDINATOR_NOT_AVAILABLE" {
		t.Fatalf("coordinator never ready: %s %s %q", g.Status, g.Code, g.Cause())
	}
}
