package esmhealth

import (
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/model"
)

var t0 = time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)

const topicAuthLine = `{"timestamp":"2026-11-30T10:05:00Z","logLevel":"WARN","eventType":"ESM_PROCESSING_EVENT","errorCode":"org.apache.kafka.common.errors.TopicAuthorizationException","errorMessage":"Not authorized to access topics: [orders]"}`

// TestParseAndSummarize: system events are grouped by type and error
// code with count, first, last and the latest sample; other lines of the
// function's log group are ignored.
func TestParseAndSummarize(t *testing.T) {
	lines := []struct {
		msg string
		at  time.Time
	}{
		{topicAuthLine, t0.Add(5 * time.Minute)},
		{topicAuthLine, t0.Add(1 * time.Minute)},
		{`START RequestId: 1 Version: $LATEST`, t0},
		{`{"eventType":"POLLER_STATUS_EVENT","logLevel":"INFO","networkConfig":{"ipAddresses":["10.0.1.7"],"subnetCidrBlock":"10.0.1.0/24","securityGroups":["sg-1"]}}`, t0.Add(2 * time.Minute)},
		{`{"eventType":"ESM_PROCESSING_EVENT","logLevel":"WARN","errorCode":"org.apache.kafka.common.errors.TimeoutException","errorMessage":"Timeout expired while fetching topic metadata"}`, t0.Add(3 * time.Minute)},
	}
	var events []SystemEvent
	for _, l := range lines {
		if e, ok := ParseSystemEvent(l.msg, l.at); ok {
			events = append(events, e)
		}
	}
	if len(events) != 4 {
		t.Fatalf("%d events parsed, want 4", len(events))
	}
	sums := Summarize(events)
	if len(sums) != 3 {
		t.Fatalf("%d groups: %+v", len(sums), sums)
	}
	top := sums[0]
	if !strings.HasSuffix(top.ErrorCode, "TopicAuthorizationException") || top.Count != 2 || !top.First.Equal(t0.Add(time.Minute)) ||
		!top.Last.Equal(t0.Add(5*time.Minute)) || top.Sample != "Not authorized to access topics: [orders]" {
		t.Fatalf("top group %+v", top)
	}
	n := LatestNetwork(events)
	if n == nil || n.SubnetCIDRBlock != "10.0.1.0/24" || n.IPAddresses[0] != "10.0.1.7" || n.SecurityGroups[0] != "sg-1" {
		t.Fatalf("network %+v", n)
	}
}

// TestExplainAgainstLive: a logged TopicAuthorizationException maps to
// ESM-TOPIC-002 and P5; a live topic check that passes later disagrees
// and is named as the newer; a failing one agrees.
func TestExplainAgainstLive(t *testing.T) {
	e, _ := ParseSystemEvent(topicAuthLine, t0)
	liveAt := t0.Add(10 * time.Minute)
	f := Explain(Summarize([]SystemEvent{e}), map[string]Live{"topic": {model.Pass, liveAt}})
	if len(f) != 1 || f[0].Code != catalog.TOPIC002 || f[0].Problem != "PROBLEM: Cluster failed to authorize Lambda." {
		t.Fatalf("finding %+v", f)
	}
	if !f[0].Disagree || f[0].Live != "the live topic check passed at 2026-11-30T10:10:00Z: the logs and the live check disagree; the live check is newer, by 10m0s: the cause may be fixed since, intermittent, or differ between the pollers and esmdoctor" {
		t.Fatalf("live %q", f[0].Live)
	}
	f = Explain(Summarize([]SystemEvent{e}), map[string]Live{"topic": {model.Fail, liveAt}})
	if f[0].Disagree || f[0].Live != "the live topic check fails too (at 2026-11-30T10:10:00Z): the logs and the live checks agree" {
		t.Fatalf("live %q", f[0].Live)
	}
	// An error logged after the live check passed: the logs are newer.
	f = Explain(Summarize([]SystemEvent{e}), map[string]Live{"topic": {model.Pass, t0.Add(-time.Minute)}})
	if !f[0].Disagree || !strings.Contains(f[0].Live, "the logs are newer, by 1m0s") {
		t.Fatalf("live %q", f[0].Live)
	}
	if _, ok := Lookup("com.example.Weird"); ok {
		t.Fatal("unknown class known")
	}
	for cls, code := range map[string]catalog.Code{"GroupAuthorizationException": catalog.GROUP001, "SaslAuthenticationException": catalog.SASL001,
		"SslAuthenticationException": catalog.TLS001, "TimeoutException": catalog.TCP002} {
		if k, ok := Lookup("org.apache.kafka.common.errors." + cls); !ok || k.Code != code {
			t.Errorf("%s: %+v", cls, k)
		}
	}
}

// TestTrend: total, peak, last and direction of a series.
func TestTrend(t *testing.T) {
	s := Series{Name: "MaxOffsetLag"}
	for i, v := range []float64{0, 0, 5, 10} {
		s.Points = append(s.Points, Point{At: t0.Add(time.Duration(i) * time.Minute), Value: v})
	}
	tr := s.Summarize()
	if tr.Total != 15 || tr.Peak != 10 || tr.Last != 10 || tr.Direction != "rising" {
		t.Fatalf("%+v", tr)
	}
	if l := (Series{Name: "CommitErrorCount"}).Summarize().Line(); l != "CommitErrorCount: no datapoints in the window" {
		t.Fatal(l)
	}
}

// TestSanitize: control characters, secret-looking assignments and length.
func TestSanitize(t *testing.T) {
	got := Sanitize("login failed\n\tusername=\"alice\" password=\"hunter2\"; token: abc123 Secret='x y'")
	if got != `login failed  username="alice" password=<redacted>; token: <redacted> Secret=<redacted>` {
		t.Fatalf("%q", got)
	}
	if s := Sanitize(strings.Repeat("é", 400)); len(s) > maxSampleLen+len("…") || !strings.HasSuffix(s, "…") {
		t.Fatalf("not bounded: %d bytes", len(s))
	}
}
