package integration

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/esmdoctor/esmdoctor/testbed/awsfake"
)

// registryOf is the registry check of a CLI report.
func (r cliReport) registryOf(t *testing.T) (status, code, cause string) {
	t.Helper()
	for _, c := range r.Checks {
		if c.ID == "registry" {
			return c.Status, c.Code, c.Cause
		}
	}
	t.Fatal("no registry check in the report")
	return
}

// The CLI reads the SchemaRegistryConfig from the flag and, with --esm,
// from the mapping (awsfake serves it as Lambda does), and the registry
// check finds the unknown schema id either way.
func TestRegistryCLI(t *testing.T) {
	r := requireRegistry(t)
	basic := r.basicSecret(t, "registry-cli-basic", r.Get("REGISTRY_PASSWORD"))
	reg := map[string]any{"SchemaRegistryURI": r.Get("REGISTRY_URL"), "EventRecordFormat": "JSON",
		"AccessConfigs": []map[string]string{{"Type": "BASIC_AUTH", "URI": basic}}, "SchemaValidationConfigs": []map[string]string{{"Attribute": "VALUE"}}}
	want := func(t *testing.T, code int, out, errOut string) {
		t.Helper()
		rep := parseReport(t, out)
		status, c, cause := rep.registryOf(t)
		if code != 1 || status != "fail" || c != "ESM-REGISTRY-007" {
			t.Fatalf("exit %d registry %s %s %q\n%s\n%s", code, status, c, cause, rep.statuses(), errOut)
		}
	}

	t.Run("flag", func(t *testing.T) {
		cfg, _ := json.Marshal(map[string]any{"ConsumerGroupId": r.group(), "SchemaRegistryConfig": reg})
		secret := filepath.Join(t.TempDir(), "scram.json")
		if err := os.WriteFile(secret, []byte(scramJSON(r.Get("SCRAM_USER"), r.Get("SCRAM_PASSWORD"))), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := cliRun(t, nil, "check", "-b", r.Get("SASL_SSL"), "-t", r.Get("REGISTRY_TOPIC_UNKNOWN"), "--secret-file", secret,
			"--ca-file", r.Get("CA_PEM"), "--provisioned-poller-config", "MinimumPollers=1,MaximumPollers=1",
			"--self-managed-kafka-event-source-config", string(cfg), "--region", awsRegion, "-o", "json")
		want(t, code, out, errOut)
	})

	t.Run("esm", func(t *testing.T) {
		fn, role := r.function(t, "registry-consumer")
		uuid := r.uuid(40)
		scram := r.secret(t, awsRegion, "registry-cli-scram", scramJSON(r.Get("SCRAM_USER"), r.Get("SCRAM_PASSWORD")), "")
		ca := r.secret(t, awsRegion, "registry-cli-ca", r.caJSON(), "")
		r.fake.AddMapping(awsfake.Mapping{UUID: uuid, FunctionARN: fn, Bootstrap: []string{r.Get("SASL_SSL")}, Topics: []string{r.Get("REGISTRY_TOPIC_UNKNOWN")},
			LastProcessingResult: "OK", Provisioned: true, AccessConfigs: [][2]string{{"SASL_SCRAM_512_AUTH", scram}, {"SERVER_ROOT_CA_CERTIFICATE", ca}},
			Extra: map[string]any{"SelfManagedKafkaEventSourceConfig": map[string]any{"SchemaRegistryConfig": reg}}})
		code, out, errOut := cliRun(t, nil, "check", "--esm", uuid, "--role-arn", role, "-o", "json")
		want(t, code, out, errOut)
	})

	// The same mapping declared in a CloudFormation template: its
	// SelfManagedKafkaEventSourceConfig.SchemaRegistryConfig reaches the
	// registry check as the flag's does.
	t.Run("template", func(t *testing.T) {
		scram := r.secret(t, awsRegion, "registry-cfn-scram", scramJSON(r.Get("SCRAM_USER"), r.Get("SCRAM_PASSWORD")), "")
		ca := r.secret(t, awsRegion, "registry-cfn-ca", r.caJSON(), "")
		tmpl, _ := json.Marshal(map[string]any{"Resources": map[string]any{"Orders": map[string]any{
			"Type": "AWS::Lambda::EventSourceMapping",
			"Properties": map[string]any{
				"FunctionName":                      "arn:aws:lambda:" + awsRegion + ":" + motoAccount + ":function:registry-consumer",
				"Topics":                            []string{r.Get("REGISTRY_TOPIC_UNKNOWN")},
				"SelfManagedEventSource":            map[string]any{"Endpoints": map[string]any{"KafkaBootstrapServers": []string{r.Get("SASL_SSL")}}},
				"SourceAccessConfigurations":        []map[string]string{{"Type": "SASL_SCRAM_512_AUTH", "URI": scram}, {"Type": "SERVER_ROOT_CA_CERTIFICATE", "URI": ca}},
				"ProvisionedPollerConfig":           map[string]int{"MinimumPollers": 1, "MaximumPollers": 1},
				"SelfManagedKafkaEventSourceConfig": map[string]any{"ConsumerGroupId": r.group(), "SchemaRegistryConfig": reg},
			}}}})
		path := filepath.Join(t.TempDir(), "template.json")
		if err := os.WriteFile(path, tmpl, 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := cliRun(t, nil, "check", "--cloudformation-template", path, "--region", awsRegion, "-o", "json")
		want(t, code, out, errOut)
	})
}
