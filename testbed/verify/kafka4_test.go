package verify

import (
	"testing"
	"time"

	"github.com/IBM/sarama"

	"github.com/esmdoctor/esmdoctor/testbed/tbenv"
)

// kafka4Broker opens the kafka4 node's PLAINTEXT (admin) listener.
func kafka4Broker(t *testing.T) (tbenv.Env, *sarama.Broker) {
	t.Helper()
	env := tbenv.Require(t)
	addr := env.Get("KAFKA4_PLAINTEXT")
	if addr == "" {
		t.Fatalf("state file %s has no KAFKA4_PLAINTEXT: the test bed predates the kafka4 node (testbed.sh down && up)", env.Path)
	}
	cfg := sarama.NewConfig()
	cfg.ClientID = "esmdoctor-testbed-verify"
	cfg.Version = sarama.V3_9_0_0
	cfg.Net.DialTimeout = 5 * time.Second
	cfg.Net.ReadTimeout = 10 * time.Second
	b := sarama.NewBroker(addr)
	if err := b.Open(cfg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return env, b
}

// TestKafka4ServesShareGroupAPIs: the kafka4 node is Kafka 4.2 with share groups on: its
// ApiVersions lists ShareGroupHeartbeat (76), ShareGroupDescribe (77), ShareFetch (78) and
// ShareAcknowledge (79), and share.version is finalized at level 1 or more.
func TestKafka4ServesShareGroupAPIs(t *testing.T) {
	env, b := kafka4Broker(t)
	if v := env.Get("KAFKA4_VERSION"); v != "4.2.1" {
		t.Errorf("KAFKA4_VERSION = %q, want 4.2.1", v)
	}
	resp, err := b.ApiVersions(&sarama.ApiVersionsRequest{Version: 3, ClientSoftwareName: "esmdoctor-verify", ClientSoftwareVersion: "0"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.ErrorCode != 0 {
		t.Fatalf("ApiVersions error %d", resp.ErrorCode)
	}
	keys := map[int16]sarama.ApiVersionsResponseKey{}
	for _, k := range resp.ApiKeys {
		keys[k.ApiKey] = k
	}
	for _, key := range []int16{76, 77, 78, 79} {
		k, ok := keys[key]
		if !ok {
			t.Errorf("API key %d missing from ApiVersions", key)
			continue
		}
		t.Logf("API key %d: versions %d-%d", key, k.MinVersion, k.MaxVersion)
	}
	var share int16 = -1
	for _, f := range resp.FinalizedFeatures {
		if f.Name == "share.version" {
			share = f.MaxVersionLevel
		}
	}
	if share < 1 {
		t.Errorf("finalized share.version = %d, want >= 1 (fresh 4.2 KRaft cluster)", share)
	}
}

// TestKafka4HasAnAuthorizer: DescribeAcls answers without SECURITY_DISABLED (54), so the
// StandardAuthorizer is on; on PLAINTEXT User:ANONYMOUS is a super user and may list ACLs.
func TestKafka4HasAnAuthorizer(t *testing.T) {
	_, b := kafka4Broker(t)
	resp, err := b.DescribeAcls(&sarama.DescribeAclsRequest{Version: 1, AclFilter: sarama.AclFilter{
		Version: 1, ResourceType: sarama.AclResourceAny, ResourcePatternTypeFilter: sarama.AclPatternAny,
		Operation: sarama.AclOperationAny, PermissionType: sarama.AclPermissionAny,
	}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Err != sarama.ErrNoError {
		t.Fatalf("DescribeAcls as ANONYMOUS on PLAINTEXT: %v, want no error (authorizer on, ANONYMOUS super)", resp.Err)
	}
}
