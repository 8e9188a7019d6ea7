package verify

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/IBM/sarama"
	"github.com/esmdoctor/esmdoctor/testbed/tbenv"
)

// need skips when the running test bed predates a key (started from an
// older tree); with ESMDOCTOR_REQUIRE_TESTBED=1 it fails.
func need(t *testing.T, env tbenv.Env, key string) {
	t.Helper()
	if _, ok := env.Lookup(key); ok {
		return
	}
	if os.Getenv("ESMDOCTOR_REQUIRE_TESTBED") == "1" {
		t.Fatalf("the test bed has no %s", key)
	}
	t.Skipf("the running test bed has no %s", key)
}

// CHAIN_LEAF_ONLY sends its leaf alone: with the root as trust the chain
// cannot be built, with the intermediate added it can.
func TestChainLeafOnlyListener(t *testing.T) {
	c := newClient(t)
	need(t, c.env, "CHAIN_LEAF_ONLY")
	if _, err := c.tls("CA_PEM").connect("CHAIN_LEAF_ONLY"); err == nil {
		t.Fatal("CHAIN_LEAF_ONLY verified against the root alone")
	}
	c = newClient(t).tls("CA_PEM")
	inter, err := os.ReadFile(c.env.Get("INTER_CA_PEM"))
	if err != nil {
		t.Fatal(err)
	}
	c.cfg.Net.TLS.Config.RootCAs.AppendCertsFromPEM(inter)
	b, err := c.connect("CHAIN_LEAF_ONLY")
	if err != nil {
		t.Fatalf("with the intermediate trusted: %v", err)
	}
	_ = b.Close()
}

// esm-mtls-inter's certificate needs its intermediate: the broker trusts the root only.
func TestMTLSIntermediateClient(t *testing.T) {
	c := newClient(t)
	need(t, c.env, "CLIENT_INTER_CHAIN_PEM")
	b, err := c.tls("CA_PEM").cert("CLIENT_INTER_CHAIN_PEM", "CLIENT_INTER_KEY_PEM").connect("MTLS")
	if err != nil {
		t.Fatalf("leaf + intermediate: %v", err)
	}
	_ = b.Close()
	if _, err := newClient(t).tls("CA_PEM").cert("CLIENT_INTER_LEAF_PEM", "CLIENT_INTER_KEY_PEM").connect("MTLS"); err == nil {
		t.Fatal("the leaf alone was accepted")
	} else {
		t.Logf("leaf only: %v", err)
	}
}

// DENY Read on the topic: Metadata answers (Describe is allowed), Fetch is
// 29; DescribeAcls is 31 without Describe on the cluster, and shows the
// DENY binding with it.
func TestDenyTopicRead(t *testing.T) {
	env := tbenv.Require(t)
	need(t, env, "DESCRIBE_ACLS_USERS")
	for _, tc := range []struct {
		user    string
		aclsErr sarama.KError
	}{{"esm-deny-topic-read", sarama.ErrClusterAuthorizationFailed}, {"esm-deny-topic-read-acls", sarama.ErrNoError}} {
		c := newClient(t).tls("CA_PEM")
		c.scram(sarama.SASLTypeSCRAMSHA512, tc.user, c.env.Get("SCRAM_PASSWORD"))
		b, err := c.connect("SASL_SSL")
		if err != nil {
			t.Fatal(err)
		}
		req := &sarama.FetchRequest{Version: 11, MaxWaitTime: 100, MinBytes: 1, MaxBytes: 1 << 20, Isolation: sarama.ReadUncommitted}
		req.AddBlock(c.env.Get("TOPIC"), 0, 0, 1<<20, -1)
		res, err := b.Fetch(req)
		if err != nil {
			t.Fatal(err)
		}
		if got := res.GetBlock(c.env.Get("TOPIC"), 0).Err; got != sarama.ErrTopicAuthorizationFailed {
			t.Errorf("Fetch as %s: %v, want 29", tc.user, got)
		}
		p := "User:" + tc.user
		acls, err := b.DescribeAcls(&sarama.DescribeAclsRequest{Version: 1, AclFilter: sarama.AclFilter{Version: 1,
			ResourceType: sarama.AclResourceAny, ResourcePatternTypeFilter: sarama.AclPatternAny, Principal: &p,
			Operation: sarama.AclOperationAny, PermissionType: sarama.AclPermissionDeny}})
		_ = b.Close()
		if err != nil {
			t.Fatal(err)
		}
		if acls.Err != tc.aclsErr {
			t.Errorf("DescribeAcls as %s: %v, want %v", tc.user, acls.Err, tc.aclsErr)
		}
		if tc.aclsErr == sarama.ErrNoError && (len(acls.ResourceAcls) != 1 || acls.ResourceAcls[0].ResourceName != c.env.Get("TOPIC")) {
			t.Errorf("DescribeAcls as %s: %d bindings, want the DENY on %s", tc.user, len(acls.ResourceAcls), c.env.Get("TOPIC"))
		}
	}
}

// The SCRAM users whose passwords SASLprep rejects or rewrites log in with
// the password's raw bytes (esmdoctor's SCRAM client does not SASLprep).
func TestUnicodePasswords(t *testing.T) {
	env := tbenv.Require(t)
	need(t, env, "SECRETS_DIR")
	for _, u := range []string{"esm-pw-emoji", "esm-pw-newline", "esm-pw-nbsp", "esm-pw-ligature"} {
		data, err := os.ReadFile(filepath.Join(env.Get("SECRETS_DIR"), u+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var doc struct{ Username, Password string }
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		c := newClient(t).tls("CA_PEM").scram(sarama.SASLTypeSCRAMSHA512, doc.Username, doc.Password)
		b, err := c.connect("SASL_SSL")
		if err != nil {
			t.Errorf("%s: %v", u, err)
			continue
		}
		_ = b.Close()
	}
}
