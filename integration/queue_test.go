package integration

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/resolve"
)

// queueTimeout bounds each Queue-mode run (a few requests to one node).
const queueTimeout = 8 * time.Second

// queueCfg is a Queue mapping (ConsumptionMode Queue) on kafka4's SHARE
// listener (SASL_SSL, SCRAM-SHA-512) as user, reading group.
func queueCfg(b bed, user, group string) checks.Config {
	return checks.Config{Bootstrap: b.hostPorts(b.Get("KAFKA4_SHARE")), Topic: b.Get("TOPIC"), Auth: checks.AuthSCRAM512,
		Secret: saslDoc(user, b.Get("SCRAM_PASSWORD")), CA: b.ca("CA_PEM"), ConsumerGroup: group, Timeout: queueTimeout,
		Kafka: resolve.KafkaConfig{ConsumerGroupID: group, ConsumptionMode: "Queue"}}
}

// result is the run's result of check id.
func result(t *testing.T, rs []model.Result, id string) model.Result {
	t.Helper()
	for _, r := range rs {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no %s result in\n%s", id, dump(rs))
	return model.Result{}
}

// wantDetail fails unless every line of want is in r's detail.
func wantDetail(t *testing.T, r model.Result, want ...string) {
	t.Helper()
	all := strings.Join(r.Detail, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("%s detail lacks %q:\n%s", r.ID, w, all)
		}
	}
}

// A healthy Queue mapping on Kafka 4.2.1: every check passes; the group
// check read the share-group APIs at 4.2's versions and share.version,
// found that the share group does not exist yet (Lambda creates it),
// proved Read without joining, and says where it would start.
func TestQueueHealthy(t *testing.T) {
	b := requireBed(t)
	rs := checks.Run(context.Background(), queueCfg(b, b.Get("SHARE_USER"), b.Get("SHARE_GROUP")), nil)
	if f, failed := firstFailure(rs); failed {
		t.Fatalf("failed at %s %s: %s\n%s", f.ID, f.Code, f.Cause(), dump(rs))
	}
	g := result(t, rs, "group")
	if g.Status != model.Pass || g.Code != "" {
		t.Fatalf("group %s %s %v", g.Status, g.Code, g.Detail)
	}
	wantDetail(t, g, "share-group APIs: ShareGroupHeartbeat (76) v1-1, ShareGroupDescribe (77) v1-1, ShareFetch (78) v1-2, ShareAcknowledge (79) v1-2; share.version finalized at 1",
		"share group "+b.Get("SHARE_GROUP")+": does not exist yet",
		`share.auto.offset.reset: not readable (DescribeConfigs on Group "`+b.Get("SHARE_GROUP")+`" is not granted, and Lambda does not need it): a share group starts at the latest offset`)
	// Read-only: the run (its ShareFetch probe included) created no group.
	again := result(t, checks.Run(context.Background(), queueCfg(b, b.Get("SHARE_USER"), b.Get("SHARE_GROUP")), nil), "group")
	wantDetail(t, again, "share group "+b.Get("SHARE_GROUP")+": does not exist yet")
}

// An existing share group with no member is described (state, epoch,
// authorized operations, start offsets); --join-group joins it and leaves.
func TestQueueExistingGroupJoin(t *testing.T) {
	b := requireBed(t)
	cfg := queueCfg(b, b.Get("SHARE_USER"), b.Get("SHARE_EMPTY_GROUP"))
	cfg.JoinGroup = true
	g := result(t, checks.Run(context.Background(), cfg, nil), "group")
	if g.Status != model.Pass {
		t.Fatalf("group %s %s %s %v", g.Status, g.Code, g.Cause(), g.Detail)
	}
	wantDetail(t, g, "share group "+b.Get("SHARE_EMPTY_GROUP")+": coordinator "+b.Get("KAFKA4_SHARE")+", state Empty",
		"0 member(s)", "authorized operations on the share group: Read, Describe", "share-partition start offsets: ",
		"--join-group: joined share group "+b.Get("SHARE_EMPTY_GROUP")+" as member ")
}

// Kafka 3.9.2 serves no share-group API: too old for Queue mode.
func TestQueueKafkaTooOld(t *testing.T) {
	b := requireBed(t)
	cfg := scramOK(b)
	cfg.Timeout, cfg.Kafka = queueTimeout, resolve.KafkaConfig{ConsumptionMode: "Queue"}
	rs := checks.Run(context.Background(), cfg, nil)
	f, failed := firstFailure(rs)
	if !failed || f.ID != "group" || f.Code != "ESM-SHARE-001" {
		t.Fatalf("first failure %s %s\n%s", f.ID, f.Code, dump(rs))
	}
	if _, ok := f.Problem(); ok {
		t.Errorf("ESM-SHARE-001 has a PROBLEM text; Lambda documents none")
	}
	if want := b.Get("SASL_SSL") + " serves none of the share-group APIs (a Kafka version before 4.0)"; !strings.HasPrefix(f.Cause(), want) {
		t.Errorf("cause %q, want %q", f.Cause(), want)
	}
	wantDetail(t, f, "ShareGroupHeartbeat (76) not served", "share.version finalized at 0")
}

// kafka4off is Kafka 4.2.1 formatted with share.version=0: it serves the
// APIs but share groups are off; the fix is the kafka-features command.
func TestQueueShareGroupsDisabled(t *testing.T) {
	b := requireBed(t)
	addr := b.Get("KAFKA4OFF_PLAINTEXT")
	cfg := checks.Config{Bootstrap: b.hostPorts(addr), Topic: b.Get("TOPIC"), Auth: checks.AuthNone, ConsumerGroup: "orders-share",
		Timeout: queueTimeout, Kafka: resolve.KafkaConfig{ConsumptionMode: "Queue"}}
	rs := checks.Run(context.Background(), cfg, nil)
	f, failed := firstFailure(rs)
	if !failed || f.ID != "group" || f.Code != "ESM-SHARE-002" {
		t.Fatalf("first failure %s %s\n%s", f.ID, f.Code, dump(rs))
	}
	if want := addr + " serves the share-group APIs but the cluster's finalized share.version is 0 (it supports levels 0-1)"; !strings.HasPrefix(f.Cause(), want) {
		t.Errorf("cause %q, want %q", f.Cause(), want)
	}
	if want := "kafka-features --bootstrap-server " + addr + " --command-config admin.properties upgrade --feature share.version=1"; !strings.Contains(f.Remediation(), want) {
		t.Errorf("fix %q lacks %q", f.Remediation(), want)
	}
	if p := result(t, rs, "poll"); p.Status != model.Pass {
		t.Errorf("poll %s %s: a plain fetch needs no share group", p.Status, p.Code)
	}
}

// A principal with Describe but not Read on the share group: Lambda's
// "Cluster failed to authorize Lambda", the missing ACL named.
func TestQueueShareGroupWithoutRead(t *testing.T) {
	b := requireBed(t)
	user, group := b.Get("SHARE_NOREAD_USER"), b.Get("SHARE_GROUP")
	rs := checks.Run(context.Background(), queueCfg(b, user, group), nil)
	f, failed := firstFailure(rs)
	if !failed || f.ID != "group" || f.Code != "ESM-SHARE-003" {
		t.Fatalf("first failure %s %s\n%s", f.ID, f.Code, dump(rs))
	}
	if p, ok := f.Problem(); !ok || p.Text != "PROBLEM: Cluster failed to authorize Lambda." {
		t.Errorf("PROBLEM %q", p.Text)
	}
	if want := `User:` + user + ` is missing: Read on Group "` + group + `" (a Queue mapping needs`; !strings.HasPrefix(f.Cause(), want) {
		t.Errorf("cause %q, want %q", f.Cause(), want)
	}
	if want := "--allow-principal User:" + user + " --operation Read --group " + group; !strings.Contains(f.Remediation(), want) {
		t.Errorf("fix %q lacks %q", f.Remediation(), want)
	}
}

// A group id a consumer group holds cannot be a share group's.
func TestQueueGroupIDOfAConsumerGroup(t *testing.T) {
	b := requireBed(t)
	group := b.Get("SHARE_STREAM_GROUP")
	rs := checks.Run(context.Background(), queueCfg(b, b.Get("SHARE_USER"), group), nil)
	f, failed := firstFailure(rs)
	if !failed || f.ID != "group" || f.Code != "ESM-SHARE-005" {
		t.Fatalf("first failure %s %s\n%s", f.ID, f.Code, dump(rs))
	}
	if want := group + " is a consumer group (Empty, "; !strings.HasPrefix(f.Cause(), want) {
		t.Errorf("cause %q, want %q", f.Cause(), want)
	}
}
