package main

import (
	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/vpcprobe"
	"strings"
	"testing"
	"time"
)

// --in-vpc's input errors: each is exit 2 with one line saying what is
// missing; nothing is created (no AWS endpoint is reachable in these tests).
func TestInVPCUsageErrors(t *testing.T) {
	t.Setenv("AWS_REGION", "")
	secret := write(t, "scram.json", `{"username":"u","password":"canary-pw-1"}`)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"check", "-b", "127.0.0.1:9", "-t", "orders", "--in-vpc"}, "--in-vpc needs the mapping's AWS side"},
		{[]string{"check", "-b", "127.0.0.1:9", "-t", "orders", "--region", "us-east-1", "--in-vpc", "--probe-role", "arn:aws:iam::123456789012:role/r"},
			"the mapping names no subnets"},
		{[]string{"check", "-b", "127.0.0.1:9", "-t", "orders", "--region", "us-east-1", "--in-vpc",
			"--source-access-configuration", "Type=VPC_SUBNET,URI=subnet:subnet-1"}, "--in-vpc needs the role the probe runs as"},
		{[]string{"check", "-b", "127.0.0.1:9", "-t", "orders", "--region", "us-east-1", "--secret-file", secret, "--in-vpc",
			"--source-access-configuration", "Type=VPC_SUBNET,URI=subnet:subnet-1", "--probe-role", "arn:aws:iam::123456789012:role/r"},
			"--secret-file with --in-vpc: a local secret file cannot be used inside the VPC"},
		{[]string{"check", "-b", "127.0.0.1:9", "-t", "orders", "--probe-role", "arn:aws:iam::123456789012:role/r"}, "--probe-role is for --in-vpc"},
		{[]string{"check", "-b", "127.0.0.1:9", "-t", "orders", "--region", "us-east-1", "--in-vpc", "--probe-binary", write(t, "bootstrap.sh", "#!/bin/sh\n"),
			"--source-access-configuration", "Type=VPC_SUBNET,URI=subnet:subnet-1", "--probe-role", "arn:aws:iam::123456789012:role/r"},
			"not a Linux executable"},
		{[]string{"scan", "--region", "us-east-1", "--parallel", "0"}, "--parallel 0: want 1 to 64"},
	} {
		code, out, errOut := esm(t, c.args...)
		if code != 2 || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || !strings.Contains(errOut, c.want) || strings.Contains(errOut+out, "canary-pw-1") {
			t.Errorf("%v: exit %d, stderr %q, want one line with %q", c.args, code, errOut, c.want)
		}
	}
}

// A mapping read here (--esm) travels to the probe function with its
// settings, and with the flags given beside it, which the checks weigh
// instead of the mapping's.
func TestMappingSettingsReachTheProbe(t *testing.T) {
	window := int32(5)
	facts := &checks.MappingFacts{Mapping: awsprobe.Mapping{UUID: "u", Settings: awsprobe.Settings{StartingPosition: "LATEST",
		FilterPatterns: []string{`{"value":{"a":["b"]}}`}, BatchSize: 100, Provisioned: &awsprobe.Pollers{Minimum: 1, Maximum: 3}}}}
	cfg := configFromFacts(checks.Config{Timeout: 9 * time.Second, BatchSize: 10, BatchingWindow: &window}, facts)
	p, err := vpcprobe.FromConfig(cfg, "arn:aws:iam::123456789012:role/r", false)
	if err != nil {
		t.Fatal(err)
	}
	back, err := p.Config()
	if err != nil {
		t.Fatal(err)
	}
	m := back.MappingSettings
	if m == nil || m.StartingPosition != "LATEST" || len(m.FilterPatterns) != 1 || m.BatchSize != 100 || m.Provisioned == nil || m.Provisioned.Maximum != 3 ||
		back.BatchSize != 10 || back.BatchingWindow == nil || *back.BatchingWindow != 5 || back.Timeout != 9*time.Second {
		t.Fatalf("in the probe: %+v, mapping settings %+v", back, m)
	}
}
