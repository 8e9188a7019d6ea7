package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The two Kafka configuration flags, inline or file://, reach the run's
// configuration as typed fields.
func TestKafkaConfigFlags(t *testing.T) {
	cfg, err := configFor("check", "-b", "b-1:9092", "-t", "orders", "--self-managed-kafka-event-source-config",
		`{"ConsumerGroupId":"orders-share","ConsumptionMode":"Queue"}`)
	if err != nil || cfg.ConsumerGroup != "orders-share" || !cfg.Kafka.Queue() {
		t.Fatalf("inline: %+v %v", cfg.Kafka, err)
	}
	path := write(t, "msk.json", `{"SchemaRegistryConfig":{"SchemaRegistryURI":"arn:aws:glue:us-east-1:123456789012:registry/r","EventRecordFormat":"SOURCE"}}`)
	cfg, err = configFor("check", "--event-source-arn", "arn:aws:kafka:us-east-1:123456789012:cluster/c/0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b-1",
		"-t", "orders", "--region", "us-east-1", "--amazon-managed-kafka-event-source-config", "file://"+path)
	if err != nil || cfg.Kafka.SchemaRegistry == nil || cfg.Kafka.SchemaRegistry.EventRecordFormat != "SOURCE" || cfg.ConsumerGroup != "esmdoctor-probe" {
		t.Fatalf("file://: %+v %v", cfg.Kafka, err)
	}
}

// Every refusal is one stderr line with exit code 2, before any check.
func TestKafkaConfigFlagRefusals(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, []byte(`{"ConsumerGroupId":"`+strings.Repeat("g", 70000)+`"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	self, msk := "--self-managed-kafka-event-source-config", "--amazon-managed-kafka-event-source-config"
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{self, `{"ConsumptionMode":"FIFO"}`}, self + `: "(the given JSON)": ConsumptionMode "FIFO": want Stream or Queue`},
		{[]string{self, `{"ConsumptionMode":"Queue"`}, self + `: "(the given JSON)": not JSON: it ends before the object does`},
		{[]string{self, "file://" + filepath.Join(dir, "missing.json")}, self + `: "` + filepath.Join(dir, "missing.json") + `": no such file`},
		{[]string{self, "file://" + big}, self + `: "` + big + `": is 70,022 bytes`},
		{[]string{self, "file://" + dir}, self + `: "` + dir + `": is a directory`},
		{[]string{msk, `{"ConsumptionMode":"Queue"}`}, msk + `: "(the given JSON)": ConsumptionMode: an MSK mapping has none (Queue mode is for self-managed Kafka only)`},
		{[]string{msk, `{}`}, msk + " is for an MSK cluster (--event-source-arn)"},
		{[]string{self, `{}`, msk, `{}`}, "give " + self + " or " + msk + ", not both"},
		{[]string{self, `{}`, self, `{}`}, self + " given 2 times"},
	} {
		code, out, errOut := esm(t, append([]string{"check", "-b", closedAddr(t), "-t", "orders"}, c.args...)...)
		if code != 2 || out != "" || !strings.HasPrefix(errOut, "esmdoctor: "+c.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q, want %q", c.args, code, out, errOut, c.want)
		}
	}
}

// A Queue mapping given a StartingPosition, a StartingPositionTimestamp or
// a MaximumBatchingWindowInSeconds fails the api check as Lambda's API
// refuses it: exit 1, nothing else runs.
func TestQueueModeRefusesStreamSettings(t *testing.T) {
	queue := `{"ConsumerGroupId":"orders-share","ConsumptionMode":"Queue"}`
	for _, c := range []struct {
		args  []string
		field string
	}{
		{[]string{"--starting-position", "TRIM_HORIZON"}, "StartingPosition: TRIM_HORIZON: ConsumptionMode Queue does not support StartingPosition"},
		{[]string{"--starting-position-timestamp", "1764504000"}, "StartingPositionTimestamp: 2025-11-30T12:00:00Z: ConsumptionMode Queue does not support StartingPositionTimestamp"},
		{[]string{"--maximum-batching-window-in-seconds", "5"}, "MaximumBatchingWindowInSeconds: 5: ConsumptionMode Queue does not support MaximumBatchingWindowInSeconds"},
	} {
		args := append([]string{"check", "-b", closedAddr(t), "-t", "orders", "--auth", "none", "-o", "json", "--self-managed-kafka-event-source-config", queue}, c.args...)
		code, out, _ := esm(t, args...)
		var rep struct {
			Checks []struct{ ID, Status, Code, Cause string } `json:"checks"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%v: %v\n%s", c.args, err, out)
		}
		var api, dns string
		for _, r := range rep.Checks {
			switch r.ID {
			case "api":
				api = r.Status + " " + r.Code + " " + r.Cause
			case "dns":
				dns = r.Status
			}
		}
		if code != 1 || !strings.HasPrefix(api, "fail ESM-API-001 "+c.field) || dns != "skip" {
			t.Errorf("%v: exit %d, api %q, dns %s", c.args, code, api, dns)
		}
	}
	for _, bad := range [][]string{{"--maximum-batching-window-in-seconds", "301"}, {"--starting-position-timestamp", "yesterday"}} {
		if code, _, errOut := esm(t, append([]string{"check", "-b", closedAddr(t), "-t", "orders"}, bad...)...); code != 2 || !strings.HasPrefix(errOut, "esmdoctor: "+bad[0]) {
			t.Errorf("%v: exit %d %q", bad, code, errOut)
		}
	}
}

// The report's target names Queue mode: the text header's group line and
// JSON's target.consumption_mode.
func TestQueueModeInTheTarget(t *testing.T) {
	queue := `{"ConsumerGroupId":"orders-share","ConsumptionMode":"Queue"}`
	_, out, _ := esm(t, "check", "-b", closedAddr(t), "-t", "orders", "--auth", "none", "--no-color", "--self-managed-kafka-event-source-config", queue)
	if !strings.Contains(out, "group:   orders-share (a share group: ConsumptionMode Queue)\n") {
		t.Errorf("text header:\n%s", out)
	}
	_, out, _ = esm(t, "check", "-b", closedAddr(t), "-t", "orders", "--auth", "none", "-o", "json", "--self-managed-kafka-event-source-config", queue)
	var rep struct {
		Target struct {
			ConsumerGroup   string `json:"consumer_group"`
			ConsumptionMode string `json:"consumption_mode"`
		} `json:"target"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Target.ConsumerGroup != "orders-share" || rep.Target.ConsumptionMode != "Queue" {
		t.Errorf("target %+v %v", rep.Target, err)
	}
}
