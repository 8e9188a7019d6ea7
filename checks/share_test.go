package checks

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/resolve"
)

// groupResult runs the pipeline and returns the group check's result.
func groupResult(t *testing.T, cfg Config) model.Result {
	t.Helper()
	for _, r := range Run(context.Background(), cfg, nil) {
		if r.ID == "group" {
			return r
		}
	}
	t.Fatal("no group result")
	return model.Result{}
}

// A Queue mapping against kfake (which serves the share-group APIs): the
// group check takes the share-group path, finds a group that does not
// exist yet, proves Read with the ShareFetch probe, and says where it
// would start.
func TestQueueModeHealthyKfake(t *testing.T) {
	bs := plainCluster(t)
	cfg := Config{Bootstrap: bs, Topic: "orders", Auth: AuthNone, ConsumerGroup: "orders-share", Timeout: 10 * time.Second,
		Kafka: resolve.KafkaConfig{ConsumerGroupID: "orders-share", ConsumptionMode: "Queue"}}
	r := groupResult(t, cfg)
	all := strings.Join(r.Detail, "\n")
	if r.Status != model.Pass {
		t.Fatalf("%s %s %v", r.Status, r.Code, r.Detail)
	}
	for _, want := range []string{"share-group APIs: ShareGroupHeartbeat (76) v", "share group orders-share: does not exist yet", "share.auto.offset.reset"} {
		if !strings.Contains(all, want) {
			t.Errorf("detail lacks %q:\n%s", want, all)
		}
	}
}

// Queue mode's API rules: StartingPosition, StartingPositionTimestamp and
// MaximumBatchingWindowInSeconds are refused, and only in Queue mode.
func TestQueueAPIViolations(t *testing.T) {
	w := int32(0)
	cfg := Config{Topic: "orders", ConsumerGroup: "g", Kafka: resolve.KafkaConfig{ConsumptionMode: "Queue"}, StartingPosition: "LATEST",
		StartingPositionTimestamp: "2026-11-30T12:00:00Z", BatchingWindow: &w}
	v := APIViolations(cfg)
	if len(v) != 3 || v[0].Field != "StartingPosition" || v[1].Field != "StartingPositionTimestamp" || v[2].Field != "MaximumBatchingWindowInSeconds" ||
		v[2].Value != "0" || !strings.HasPrefix(v[0].Rule, "ConsumptionMode Queue does not support StartingPosition") {
		t.Fatalf("%+v", v)
	}
	cfg.Kafka.ConsumptionMode = "Stream"
	if v := APIViolations(cfg); len(v) != 0 {
		t.Fatalf("Stream: %+v", v)
	}
}

// The ApiVersions verdicts: too old (no share APIs, or only the
// early-access v0), not enabled (share.version not finalized), fine.
func TestShareSupportOutcome(t *testing.T) {
	full := map[int16][2]int16{76: {1, 1}, 77: {1, 1}, 78: {1, 2}, 79: {1, 2}}
	for _, c := range []struct {
		sp         shareSupport
		code, want string
	}{
		{shareSupport{apis: map[int16][2]int16{}}, "ESM-SHARE-001", "serves none of the share-group APIs (a Kafka version before 4.0)"},
		{shareSupport{apis: map[int16][2]int16{76: {0, 0}, 77: {0, 0}, 78: {0, 0}, 79: {0, 0}}, finalized: 1}, "ESM-SHARE-001",
			"serves only the early-access share-group APIs of Kafka 4.0: ShareGroupHeartbeat (76) v0-0"},
		{shareSupport{apis: map[int16][2]int16{76: {1, 1}, 77: {1, 1}, 78: {1, 1}, 79: {1, 1}}, finalized: 1}, "ESM-SHARE-001",
			"serves the share-group APIs of Kafka 4.1, where share groups were a preview: ShareFetch (78) v1-1, ShareAcknowledge (79) v1-1"},
		{shareSupport{apis: map[int16][2]int16{76: {1, 1}}, finalized: 1}, "ESM-SHARE-001", "does not serve ShareGroupDescribe (77), ShareFetch (78), ShareAcknowledge (79)"},
		{shareSupport{apis: full, supported: &[2]int16{0, 1}}, "ESM-SHARE-002", "levels 0-1"},
		{shareSupport{apis: full, finalized: 1}, "", ""},
	} {
		o, ok := shareSupportOutcome(c.sp, "b-1:9092")
		if c.code == "" {
			if !ok {
				t.Errorf("%+v failed: %+v", c.sp, o)
			}
			continue
		}
		got := o.Args["detail"] + o.Args["supported"]
		if ok || o.Code != c.code || !strings.Contains(got, c.want) {
			t.Errorf("%+v: %s %q, want %s %q", c.sp, o.Code, got, c.code, c.want)
		}
		if c.code == "ESM-SHARE-002" && o.Args["features_fix"] != "kafka-features --bootstrap-server b-1:9092 --command-config admin.properties upgrade --feature share.version=1" {
			t.Errorf("fix %q", o.Args["features_fix"])
		}
	}
}
