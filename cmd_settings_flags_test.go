package main

import (
	"strings"
	"testing"
)

// TestSettingsFlagsRefusals: --filter-criteria and --starting-position
// values Lambda would refuse are input errors (exit 2) naming the flag and
// the reason, before any network.
func TestSettingsFlagsRefusals(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--filter-criteria", `{"Filters":[{"Pattern":"{\"value\":{\"a\":[{\"contains\":1}]}}"}]}`}, `--filter-criteria: "(the given JSON)": filter 1: invalid filter pattern: field "a": unsupported operator "contains"`},
		{[]string{"--filter-criteria", `{"Filters":[]}`}, "no Filters"},
		{[]string{"--filter-criteria", `{"Pattern":"x"}`}, "not FilterCriteria JSON"},
		{[]string{"--filter-criteria", `{"Filters":[{"Pattern":"{}"},{"Pattern":"{}"}]}`}, "empty object in pattern"},
		{[]string{"--starting-position", "EARLIEST"}, `--starting-position: "EARLIEST": want LATEST, TRIM_HORIZON or AT_TIMESTAMP`},
	}
	for _, c := range cases {
		args := append([]string{"check", "-b", closedAddr(t), "-t", "orders"}, c.args...)
		code, _, errOut := esm(t, args...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", c.args, code, errOut, c.want)
		}
	}
}

// TestParseFilterCriteria: a valid FilterCriteria gives its patterns in order.
func TestParseFilterCriteria(t *testing.T) {
	got, err := parseFilterCriteria(`{"Filters":[{"Pattern":"{\"value\":{\"a\":[1]}}"},{"Pattern":"{\"value\":[\"x\"]}"}]}`)
	if err != nil || len(got) != 2 || got[0] != `{"value":{"a":[1]}}` || got[1] != `{"value":["x"]}` {
		t.Fatalf("%q %v", got, err)
	}
}

// TestPollerAndDestinationFlags: both forms of --provisioned-poller-config
// and the destination forms Lambda accepts; the rest are refused.
func TestPollerAndDestinationFlags(t *testing.T) {
	for in, want := range map[string]int32{"MinimumPollers=1,MaximumPollers=10": 10, `{"MinimumPollers":2,"MaximumPollers":3}`: 3, "MaximumPollers=2000": 2000} {
		if got, err := parsePollers(in); err != nil || got.max != want {
			t.Errorf("%s: %+v %v", in, got, err)
		}
	}
	for _, in := range []string{"MaximumPollers=0", "MinimumPollers=5,MaximumPollers=2", "MaximumPollers=2001", "Max=3", `{"MaxPollers":3}`} {
		if _, err := parsePollers(in); err == nil {
			t.Errorf("%s accepted", in)
		}
	}
	if d, err := parseDestination(`{"OnFailure":{"Destination":"kafka://orders-dlq"}}`); err != nil || d != "kafka://orders-dlq" {
		t.Errorf("%q %v", d, err)
	}
	for _, in := range []string{`{"OnFailure":{"Destination":"kafka://bad topic"}}`, `{"OnSuccess":{"Destination":"kafka://x"}}`, `{"OnFailure":{"Destination":"https://x"}}`} {
		if _, err := parseDestination(in); err == nil {
			t.Errorf("%s accepted", in)
		}
	}
	code, _, errOut := esm(t, "check", "-b", closedAddr(t), "-t", "orders", "--provisioned-poller-config", "MinimumPollers=5,MaximumPollers=2")
	if code != 2 || !strings.Contains(errOut, "--provisioned-poller-config") || !strings.Contains(errOut, "MinimumPollers is above MaximumPollers") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

// TestBatchingFlags: --batch-size and --maximum-batching-window-in-seconds
// outside Lambda's bounds for Kafka are input errors (exit 2) naming the
// flag; a poller group name is read from both forms of
// --provisioned-poller-config.
func TestBatchingFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--batch-size", "0"}, `--batch-size: "0": a Kafka mapping's BatchSize is 1-10000`},
		{[]string{"--batch-size", "10001"}, `--batch-size: "10001": a Kafka mapping's BatchSize is 1-10000`},
		{[]string{"--maximum-batching-window-in-seconds", "301"}, `--maximum-batching-window-in-seconds: "301": MaximumBatchingWindowInSeconds is 0-300`},
		{[]string{"--maximum-batching-window-in-seconds", "-1"}, "MaximumBatchingWindowInSeconds is 0-300"},
	} {
		code, _, errOut := esm(t, append([]string{"check", "-b", closedAddr(t), "-t", "orders"}, c.args...)...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", c.args, code, errOut, c.want)
		}
	}
	for in, want := range map[string]pollers{
		"MinimumPollers=2,MaximumPollers=10,PollerGroupName=shared": {2, 10, "shared"},
		`{"MaximumPollers":4,"PollerGroupName":"g-1"}`:              {1, 4, "g-1"},
		"MaximumPollers=7": {1, 7, ""},
	} {
		if got, err := parsePollers(in); err != nil || got != want {
			t.Errorf("%s: %+v %v, want %+v", in, got, err, want)
		}
	}
	if _, err := parsePollers("MaximumPollers=3,PollerGroupName=" + strings.Repeat("g", 129)); err == nil {
		t.Error("a 129-character PollerGroupName accepted")
	}
}
