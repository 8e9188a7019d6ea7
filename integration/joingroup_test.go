package integration

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/model"
)

// TestJoinGroupOnRealBroker: with --join-group, esmdoctor joins the
// mapping's group on the real broker and leaves at once, leaving the group
// empty; without Read on the group it fails with the missing ACL named.
func TestJoinGroupOnRealBroker(t *testing.T) {
	b := requireBed(t)
	cfg := scramOK(b)
	cfg.JoinGroup, cfg.Timeout = true, matrixTimeout
	waitGroupEmpty(t, b, cfg.ConsumerGroup)
	rs := checks.Run(context.Background(), cfg, nil)
	var group model.Result
	for _, r := range rs {
		if r.ID == "group" {
			group = r
		}
	}
	if group.Status != model.Pass || !strings.Contains(strings.Join(group.Detail, "\n"), "--join-group: joined as ") {
		t.Fatalf("group %s %s %v", group.Status, group.Code, group.Detail)
	}
	waitGroupEmpty(t, b, cfg.ConsumerGroup) // it left: nobody is a member

	deny := asUser("esm-no-group-read")(b)
	deny.JoinGroup, deny.Timeout = true, matrixTimeout
	f, failed := firstFailure(checks.Run(context.Background(), deny, nil))
	if !failed || f.ID != "group" || f.Code != "ESM-GROUP-001" || !strings.Contains(f.Cause(), `Read on Group "`+cfg.ConsumerGroup+`"`) {
		t.Fatalf("first failure %s %s: %s", f.ID, f.Code, f.Cause())
	}
}

// TestJoinGroupWaitsForInitialRebalanceDelay: Kafka holds the first
// JoinGroup of an empty group for group.initial.rebalance.delay.ms (3s by
// default, as on the test bed's auto-create broker); with a step budget of
// two seconds the join must still succeed.
func TestJoinGroupWaitsForInitialRebalanceDelay(t *testing.T) {
	b := requireBed(t)
	topic := "esmdoctor-join-delay"
	if !topicExists(t, b.Get("AUTOCREATE"), topic) {
		createByMetadata(t, b.Get("AUTOCREATE"), topic)
	}
	cfg := checks.Config{Bootstrap: b.hostPorts(b.Get("AUTOCREATE")), Topic: topic, Auth: checks.AuthNone,
		ConsumerGroup: "esmdoctor-join-delay", JoinGroup: true, Timeout: 8 * time.Second}
	rs := checks.Run(context.Background(), cfg, nil)
	for _, r := range rs {
		if r.ID == "group" && (r.Status != model.Pass || !strings.Contains(strings.Join(r.Detail, "\n"), "--join-group: joined as ")) {
			t.Fatalf("group %s %s %s %v", r.Status, r.Code, r.Cause(), r.Detail)
		}
	}
}
