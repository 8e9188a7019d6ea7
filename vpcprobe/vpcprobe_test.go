package vpcprobe

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/redact"
	"github.com/esmdoctor/esmdoctor/report"
	"github.com/esmdoctor/esmdoctor/resolve"
	"github.com/esmdoctor/esmdoctor/scrub"
)

func TestFromConfigRefusesLocalSecrets(t *testing.T) {
	cfg := checks.Config{Topic: "orders", Secret: &checks.SecretDoc{Source: "scram.json", Data: []byte(`{"username":"u","password":"hunter2"}`), LocalFile: true}}
	if _, err := FromConfig(cfg, "", false); !errors.Is(err, ErrLocalSecret) {
		t.Fatalf("local secret: %v, want ErrLocalSecret", err)
	}
	cfg.Secret = nil
	cfg.CA, cfg.CAIsSecret = &checks.SecretDoc{Source: "ca.json", Data: []byte(`{"certificate":"x"}`), LocalFile: true}, true
	if _, err := FromConfig(cfg, "", false); !errors.Is(err, ErrLocalSecret) {
		t.Fatalf("CA in the secret's shape: %v, want ErrLocalSecret", err)
	}
}

// The payload carries ARNs, never secret values, and turns back into the
// same configuration inside the function.
func TestPayloadRoundTrip(t *testing.T) {
	bs, _ := checks.ParseBootstrap("-b", []string{"b-1.example.com:9096,b-2.example.com:9096"})
	arn := "arn:aws:secretsmanager:us-east-1:123456789012:secret:AmazonMSK_x-AbCdEf"
	cfg := checks.Config{Bootstrap: bs, Topic: "orders", Auth: checks.AuthSCRAM512, ConsumerGroup: "g", Timeout: 20 * time.Second,
		Secret: &checks.SecretDoc{Source: arn, ARN: arn}, CA: &checks.SecretDoc{Source: "ca.pem", Data: []byte("-----BEGIN CERTIFICATE-----"), LocalFile: true},
		AWS: &checks.AWSConfig{EventSourceARN: "arn:aws:kafka:us-east-1:123456789012:cluster/c/u"}}
	cfg.AWS.Options.Region = "us-east-1"
	p, err := FromConfig(cfg, "arn:aws:iam::123456789012:role/r", true)
	if err != nil {
		t.Fatal(err)
	}
	back, err := p.Config()
	if err != nil {
		t.Fatal(err)
	}
	if back.Secret.ARN != arn || back.Secret.Data != nil || string(back.CA.Data) != "-----BEGIN CERTIFICATE-----" ||
		len(back.Bootstrap) != 2 || back.Timeout != 20*time.Second || !back.AWS.InVPC || !back.AWS.Provisioned ||
		back.AWS.Function.Role != "arn:aws:iam::123456789012:role/r" || back.AWS.Region() != "us-east-1" {
		t.Fatalf("round trip: %+v %+v", back, back.AWS)
	}
	if p.Mapping != nil {
		t.Fatalf("mapping settings sent for a configuration without any: %+v", p.Mapping)
	}
	p.Version++
	if _, err := p.Config(); err == nil {
		t.Fatal("a payload of another version was accepted")
	}

	// The mapping's own settings reach the function: the OAuth token
	// request's scope and audience, where reading starts, the filters.
	window := int32(0)
	cfg.OAuth = &resolve.OAuthSettings{Scope: "kafka", Audience: "https://kafka.example.com", LogicalCluster: "lkc-1"}
	cfg.StartingPosition, cfg.StartingPositionTimestamp = "AT_TIMESTAMP", "2026-11-30T00:00:00Z"
	cfg.FilterCriteria = []string{`{"value":{"type":["order"]}}`}
	cfg.MaximumPollers, cfg.MinimumPollers, cfg.PollerGroup = 4, 1, "pg"
	cfg.OnFailure, cfg.BatchSize, cfg.BatchingWindow = "arn:aws:sqs:us-east-1:123456789012:dlq", 50, &window
	if p, err = FromConfig(cfg, "r", false); err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var decoded Payload
	if err := json.Unmarshal(raw, &decoded); err != nil {
		t.Fatal(err)
	}
	if back, err = decoded.Config(); err != nil {
		t.Fatal(err)
	}
	if *back.OAuth != *cfg.OAuth || back.StartingPosition != "AT_TIMESTAMP" || back.StartingPositionTimestamp != cfg.StartingPositionTimestamp ||
		len(back.FilterCriteria) != 1 || back.FilterCriteria[0] != cfg.FilterCriteria[0] || back.MaximumPollers != 4 || back.MinimumPollers != 1 ||
		back.PollerGroup != "pg" || back.OnFailure != cfg.OnFailure || back.BatchSize != 50 || back.BatchingWindow == nil || *back.BatchingWindow != 0 {
		t.Fatalf("mapping settings after the round trip: %+v", back)
	}
}

// A report rendered as JSON by the function decodes into one that renders
// the same texts here.
func TestDecodeReport(t *testing.T) {
	orig := &model.Report{ToolName: "esmdoctor", ToolVersion: "dev", StartedAt: time.Now().UTC().Truncate(time.Second),
		Target: model.Target{Topic: "orders", Auth: "sasl-scram-512"}, Notes: []string{"a note"},
		Results: []model.Result{{ID: "sasl", Title: "t", Status: model.Fail, Code: "ESM-SASL-001",
			Args: map[string]string{"user": "esm-ok", "mechanism": "SCRAM-SHA-512", "broker": "b:1"}, Detail: []string{"d"}, Duration: 5 * time.Millisecond}}}
	clean := scrub.New(redact.New()).Report(orig)
	var buf bytes.Buffer
	if err := report.Render(&buf, "json", clean, report.Options{}); err != nil {
		t.Fatal(err)
	}
	got, err := DecodeReport(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	_ = report.RenderText(&a, clean, report.Options{})
	_ = report.RenderText(&b, scrub.New(redact.New()).Report(got), report.Options{})
	if a.String() != b.String() {
		t.Fatalf("renders differ:\n%s\n---\n%s", a.String(), b.String())
	}
	if _, err := DecodeReport([]byte(`{"schema_version":2}`)); err == nil {
		t.Fatal("schema_version 2 accepted")
	}
}

func TestBundle(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	zipped, arch, err := Bundle(self)
	if err != nil {
		t.Skipf("this test binary is not a Linux executable: %v", err)
	}
	if arch != "x86_64" && arch != "arm64" {
		t.Fatalf("arch %q", arch)
	}
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil || len(zr.File) != 1 || zr.File[0].Name != "bootstrap" || zr.File[0].Mode().Perm() != 0o755 {
		t.Fatalf("zip: %v %v", err, zr.File)
	}
	rc, _ := zr.File[0].Open()
	n, _ := io.Copy(io.Discard, rc)
	if st, _ := os.Stat(self); n != st.Size() {
		t.Fatalf("bootstrap is %d bytes, the executable %d", n, st.Size())
	}
	script := filepath.Join(t.TempDir(), "bootstrap.sh")
	_ = os.WriteFile(script, []byte("#!/bin/sh\n"), 0o755)
	if _, _, err := Bundle(script); err == nil || !strings.Contains(err.Error(), "not a Linux executable") {
		t.Fatalf("a script: %v", err)
	}
}

func TestBoundTimeout(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if got := boundTimeout(ctx, 30*time.Second); got > 10*time.Second-renderMargin || got < 8*time.Second {
		t.Fatalf("30s in a 10s invoke: %s", got)
	}
	if got := boundTimeout(context.Background(), 30*time.Second); got != 30*time.Second {
		t.Fatalf("no deadline: %s", got)
	}
}

// The mapping's Kafka configuration (Queue mode, schema registry) reaches
// the probe function through the JSON payload; a Stream mapping without a
// registry sends none.
func TestPayloadKafkaConfig(t *testing.T) {
	cfg := checks.Config{Topic: "orders", ConsumerGroup: "g", Kafka: awsprobe.KafkaConfig{ConsumerGroupID: "g", ConsumptionMode: "Queue",
		SchemaRegistry: &awsprobe.SchemaRegistryConfig{URI: "https://reg", Validate: []string{"VALUE"}}}}
	p, err := FromConfig(cfg, "", false)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var q Payload
	if err := json.Unmarshal(raw, &q); err != nil {
		t.Fatal(err)
	}
	back, err := q.Config()
	if err != nil || !reflect.DeepEqual(back.Kafka, cfg.Kafka) {
		t.Fatalf("%+v %v", back.Kafka, err)
	}
	if p, _ := FromConfig(checks.Config{Topic: "orders", Kafka: awsprobe.KafkaConfig{ConsumerGroupID: "g"}}, "", false); p.Kafka != nil {
		t.Fatalf("a Stream mapping sent %+v", p.Kafka)
	}
}
