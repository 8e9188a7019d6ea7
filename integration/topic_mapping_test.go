package integration

import (
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/checks"
)

// TestTopicMappingSettingsOnRealBroker: the topic check weighs the
// mapping's provisioned-mode and destination settings against the real
// broker, read-only: more maximum pollers than the 3 partitions of orders,
// and kafka:// destinations that are missing (ghost), not writable
// (forbidden: no ACL for esm-ok), the source topic itself, or set without
// provisioned mode.
func TestTopicMappingSettingsOnRealBroker(t *testing.T) {
	b := requireBed(t)
	cases := []struct {
		name      string
		pollers   int32
		dest      string
		code      string
		causeHas  string
		detailHas string
	}{
		{"pollers above partitions", 5, "", "ESM-TOPIC-102", "MaximumPollers is 5 but orders has 3 partition(s)", ""},
		{"pollers at partitions", 3, "", "", "", ""},
		{"destination missing", 3, "kafka://" + b.Get("MISSING_TOPIC"), "ESM-TOPIC-103", "names topic " + b.Get("MISSING_TOPIC") + ", which does not exist", ""},
		{"destination not writable", 3, "kafka://" + b.Get("FORBIDDEN_TOPIC"), "ESM-TOPIC-104", "lacks Write on topic " + b.Get("FORBIDDEN_TOPIC"), ""},
		{"destination is the source", 3, "kafka://orders", "ESM-TOPIC-105", "is the topic it reads", ""},
		{"destination in on-demand mode", 0, "kafka://" + b.Get("MISSING_TOPIC"), "ESM-TOPIC-106", "runs in on-demand mode", "also: ESM-TOPIC-103"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := scramOK(b)
			cfg.MaximumPollers, cfg.OnFailure, cfg.Timeout = c.pollers, c.dest, matrixTimeout
			r := find(t, checks.Run(t.Context(), cfg, nil), "topic")
			if r.Code != c.code || (c.code == "" && r.Status != "pass") || (c.code != "" && r.Status != "warn") {
				t.Fatalf("topic %s %s, want %q: %s", r.Status, r.Code, c.code, r.Cause())
			}
			if !strings.Contains(r.Cause(), c.causeHas) || !strings.Contains(strings.Join(r.Detail, "\n"), c.detailHas) {
				t.Fatalf("cause %q detail %v", r.Cause(), r.Detail)
			}
		})
	}
}
