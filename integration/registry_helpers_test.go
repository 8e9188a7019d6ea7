package integration

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/model"
)

// The schema registry scenarios: Apicurio Registry (Confluent-compatible
// API, basic authentication) and moto's Glue, with the records tbsetup
// produced on the registry-* topics of the main broker (see testbed/README.md).

// registryBed is the AWS test bed with Glue pointed at moto.
type registryBed struct{ awsBed }

func requireRegistry(t *testing.T) registryBed {
	t.Helper()
	a := requireAWS(t)
	if a.Get("REGISTRY_URL") == "" {
		// A bed started before the registry was part of it: CI (a fresh
		// bed) must have one; elsewhere the test waits for a restart.
		if os.Getenv("ESMDOCTOR_REQUIRE_TESTBED") == "1" {
			t.Fatal("the test bed has no schema registry (REGISTRY_URL): run testbed/testbed.sh down && up")
		}
		t.Skip("the test bed has no schema registry (REGISTRY_URL): restart it (testbed/testbed.sh down && up)")
	}
	t.Setenv("AWS_ENDPOINT_URL_GLUE", a.moto)
	return registryBed{a}
}

// basicSecret is a BASIC_AUTH secret for the registry in moto.
func (r registryBed) basicSecret(t *testing.T, name, password string) string {
	doc, _ := json.Marshal(map[string]string{"username": r.Get("REGISTRY_USER"), "password": password})
	return r.secret(t, awsRegion, name, string(doc), "")
}

// confluent is a registry configuration for the Apicurio URL with access.
func confluent(url string, access []awsprobe.AccessConfig, validate ...string) *awsprobe.SchemaRegistryConfig {
	return &awsprobe.SchemaRegistryConfig{URI: url, EventRecordFormat: "JSON", AccessConfigs: access, Validate: validate}
}

// runRegistry runs the pipeline on topic as the SCRAM user, in provisioned
// mode, and returns every result and the registry check's.
func (r registryBed) runRegistry(t *testing.T, topic string, reg *awsprobe.SchemaRegistryConfig, mod ...func(*checks.Config)) ([]model.Result, model.Result) {
	t.Helper()
	cfg := scramOK(r.bed)
	cfg.Topic, cfg.AWS, cfg.MaximumPollers = topic, awsConfig(), 1
	cfg.Kafka.SchemaRegistry = reg
	for _, m := range mod {
		m(&cfg)
	}
	rs := runAWS(t, cfg)
	return rs, find(t, rs, "registry")
}

// wantRegistry checks the registry result's status, code and key facts
// (in its cause, or in its detail for a pass).
func wantRegistry(t *testing.T, rs []model.Result, r model.Result, status model.Status, code string, facts ...string) {
	t.Helper()
	text := r.Cause() + " | " + r.Remediation() + " | " + strings.Join(r.Detail, " | ")
	if r.Status != status || r.Code != code {
		for _, x := range rs {
			t.Logf("%-15s %-4s %s %s %s %v", x.ID, x.Status, x.Code, x.Reason, x.Cause(), x.Detail)
		}
		t.Fatalf("registry: %s %s, want %s %s\n%s", r.Status, r.Code, status, code, text)
	}
	if p, ok := r.Problem(); ok {
		t.Errorf("registry %s: PROBLEM %q, but Lambda documents none for a schema registry", r.Code, p.Text)
	}
	for _, f := range facts {
		if !strings.Contains(text, f) {
			t.Errorf("registry %s: %q missing from\n%s", r.Code, f, text)
		}
	}
	if poll := find(t, rs, "poll"); poll.Status != model.Pass {
		t.Errorf("poll: %s %s, want pass (it samples the records)", poll.Status, poll.Code)
	}
	wantNoPlaceholder(t, r)
}
