package integration

import (
	"strings"
	"testing"
)

// TestAWSCLIMappingSettings: with --esm, the mapping's processing settings
// are read and reported (batching, filters, provisioned mode, a Kafka
// destination, logs and metrics off with how to turn them on); the topic
// check weighs MaximumPollers and the destination; its
// FilterCriteria reach the poll check: a pattern no record of the test
// bed's orders matches warns ESM-POLL-102; the group check explains what
// TRIM_HORIZON means for a group that never committed.
func TestAWSCLIMappingSettings(t *testing.T) {
	a := requireAWS(t)
	fn, role := a.function(t, "orders-consumer")
	id := a.uuid(7)
	selfManagedMapping(t, a, id, fn, a.Get("SCRAM_PASSWORD"), a.group()+"-settings", map[string]any{
		"StartingPosition":        "TRIM_HORIZON",
		"BatchSize":               500,
		"FilterCriteria":          map[string]any{"Filters": []any{map[string]any{"Pattern": `{"value": {"device_ID": [{"prefix": "AB"}]}}`}}},
		"ProvisionedPollerConfig": map[string]any{"MinimumPollers": 1, "MaximumPollers": 5},
		"DestinationConfig":       map[string]any{"OnFailure": map[string]any{"Destination": "kafka://orders-dlq"}},
		"MaximumRetryAttempts":    3,
	})
	code, out, errOut := cliRun(t, nil, "check", "--esm", id, "--role-arn", role, "-o", "json")
	r := parseReport(t, out)
	var notes string
	for _, c := range r.Checks {
		if c.ID == "mapping" {
			notes = strings.Join(c.Detail, "\n")
		}
	}
	for _, want := range []string{
		"batching: BatchSize 500, MaximumBatchingWindowInSeconds 0, StartingPosition TRIM_HORIZON",
		"filter criteria: 1 pattern(s); records none matches are dropped",
		"mode: provisioned, MinimumPollers 1, MaximumPollers 5",
		"on-failure destination: kafka://orders-dlq",
		"retries: MaximumRetryAttempts 3",
		"the mapping's system logs are off: turn them on with `aws lambda update-event-source-mapping --uuid " + id + " --logging-config SystemLogLevel=WARN`",
		"the mapping's Kafka metrics are off",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("the mapping check's detail lacks %q:\n%s", want, notes)
		}
	}
	var poll, group, topic string
	for _, c := range r.Checks {
		switch c.ID {
		case "topic":
			topic = c.Status + " " + c.Code + " " + strings.Join(c.Detail, "\n")
		case "poll":
			poll = c.Status + " " + c.Code + " " + strings.Join(c.Detail, "\n")
		case "group":
			group = strings.Join(c.Detail, "\n")
		}
	}
	// MaximumPollers 5 against orders' 3 partitions; the destination
	// orders-dlq has no ACL for the principal, so it is not writable.
	if !strings.HasPrefix(topic, "warn ESM-TOPIC-102 ") || !strings.Contains(topic, "also: ESM-TOPIC-104") {
		t.Errorf("topic %q", topic)
	}
	if !strings.HasPrefix(poll, "warn ESM-POLL-102 ") || !strings.Contains(poll, "filter criteria: 0 of 6 sampled record(s) match") {
		t.Errorf("exit %d poll %q\n%s", code, poll, errOut)
	}
	if !strings.Contains(group, "never started: no committed offsets; StartingPosition TRIM_HORIZON: the first poll starts at the earliest offsets, so the 6 record(s) now in the topic are delivered") {
		t.Errorf("group detail %q", group)
	}
}
