package integration

import (
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/model"
)

// TestPollFilterOnRealBroker: the poll check evaluates the mapping's
// FilterCriteria on the records it reads from the real broker (the test
// bed's orders, values {"order":N,"partition":P} with N = 0..5): a pattern
// matching orders >= 4 matches 2 of them; one matching nothing warns
// ESM-POLL-102; an invalid one is reported, not evaluated.
func TestPollFilterOnRealBroker(t *testing.T) {
	b := requireBed(t)
	cases := []struct {
		name     string
		patterns []string
		status   model.Status
		code     string
		line     string
	}{
		{"some match", []string{`{"value": {"order": [{"numeric": [">=", 4]}]}}`}, model.Pass, "",
			"filter criteria: 2 of 6 sampled record(s) match; non-matching records are dropped and their offsets committed"},
		{"two filters, one matching", []string{`{"value": {"order": [0]}}`, `{"value": {"partition": [2]}}`}, model.Pass, "",
			"filter criteria: 3 of 6 sampled record(s) match"},
		{"none match", []string{`{"value": {"device_ID": [{"prefix": "AB"}]}}`}, model.Warn, "ESM-POLL-102",
			"filter criteria: 0 of 6 sampled record(s) match"},
		{"invalid", []string{`{"value": {"order": [{"contains": "x"}]}}`}, model.Pass, "",
			"filter criteria: not evaluated: filter 1: invalid filter pattern: field \"order\": unsupported operator \"contains\""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := scramOK(b)
			cfg.FilterCriteria, cfg.Timeout = c.patterns, matrixTimeout
			r := find(t, runAWS(t, cfg), "poll")
			if r.Status != c.status || r.Code != c.code {
				t.Fatalf("poll %s %s, want %s %s: %s %v", r.Status, r.Code, c.status, c.code, r.Cause(), r.Detail)
			}
			if !strings.Contains(strings.Join(r.Detail, "\n"), c.line) {
				t.Fatalf("poll detail %v lacks %q", r.Detail, c.line)
			}
			if c.code != "" && !strings.Contains(r.Cause(), "none of the 6 most recent record(s) read from orders matches") {
				t.Fatalf("cause %q", r.Cause())
			}
		})
	}
}
