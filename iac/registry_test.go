package iac

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

var (
	confluentRegistry = &Registry{URI: "https://registry.example.com:8081", EventRecordFormat: "JSON",
		AccessConfigs: [][2]string{{"BASIC_AUTH", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:registry-basic-AbCdEf"}},
		Validate:      []string{"VALUE"}}
	glueRegistry = &Registry{URI: "arn:aws:glue:eu-west-1:123456789012:registry/orders", EventRecordFormat: "SOURCE",
		Validate: []string{"KEY", "VALUE"}}
)

func sameRegistry(t *testing.T, where string, got, want *Registry) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: registry %+v, want %+v", where, got, want)
	}
}

// SchemaRegistryConfig inside SelfManagedKafkaEventSourceConfig and
// AmazonManagedKafkaEventSourceConfig, with Fn::Sub and Ref resolved; a
// registry the stack creates (Fn::GetAtt) is unknown and blocks registry.
func TestCloudFormationRegistry(t *testing.T) {
	m := template(t, "template-registry.yaml", "ConfluentMapping", nil)
	sameRegistry(t, "ConfluentMapping", m.Registry, confluentRegistry)
	if m.ConsumerGroup != "orders-consumer" || len(m.Unknown) != 0 {
		t.Fatalf("ConfluentMapping: group %q, unknowns %s", m.ConsumerGroup, unknowns(m))
	}
	m = template(t, "template-registry.yaml", "GlueMapping", nil)
	sameRegistry(t, "GlueMapping", m.Registry, &Registry{URI: "arn:aws:glue:us-east-1:123456789012:registry/orders", EventRecordFormat: "SOURCE",
		Validate: []string{"KEY", "VALUE"}})
	m = template(t, "template-registry.yaml", "NewRegistryMapping", nil)
	if m.Registry == nil || m.Registry.URI != "" || m.Registry.EventRecordFormat != "JSON" {
		t.Fatalf("NewRegistryMapping: registry %+v", m.Registry)
	}
	want := "unknown until apply: Resources.NewRegistryMapping.Properties.AmazonManagedKafkaEventSourceConfig.SchemaRegistryConfig.SchemaRegistryURI, Fn::GetAtt OrdersRegistry.Arn, known after deploy: blocks registry"
	if got := unknowns(m); got != want {
		t.Fatalf("unknowns\n%s\nwant\n%s", got, want)
	}
	// A parameter without a value names the access configuration's URI.
	data := strings.Replace(readTestdata(t, "template-registry.yaml"), "    Default: arn:aws:secretsmanager:eu-west-1:123456789012:secret:registry-basic-AbCdEf\n", "", 1)
	m, err := FromCloudFormation([]byte(data), "ConfluentMapping", nil, "eu-west-1")
	if err != nil {
		t.Fatal(err)
	}
	want = "unknown until apply: Resources.ConfluentMapping.Properties.SelfManagedKafkaEventSourceConfig.SchemaRegistryConfig.AccessConfigs[0].URI, Ref RegistrySecret: a parameter without a value (give --parameter RegistrySecret=VALUE) or an unknown name: blocks registry"
	if got := unknowns(m); got != want {
		t.Fatalf("unknowns\n%s\nwant\n%s", got, want)
	}
}

// SAM's MSK and SelfManagedKafka events carry SchemaRegistryConfig as an
// event property.
func TestSAMRegistry(t *testing.T) {
	params := map[string]string{"RegistrySecret": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:registry-basic-AbCdEf"}
	m := template(t, "template-sam-registry.json", "Consumer.Confluent", params)
	sameRegistry(t, "Consumer.Confluent", m.Registry, confluentRegistry)
	if m.ConsumptionMode != "Queue" || len(m.Unknown) != 0 {
		t.Fatalf("unknowns %s", unknowns(m))
	}
	m = template(t, "template-sam-registry.json", "Consumer.Glue", nil)
	sameRegistry(t, "Consumer.Glue", m.Registry, glueRegistry)
	if m.ConsumerGroup != "orders-glue" || m.ConsumptionMode != "" || len(m.Unknown) != 0 {
		t.Fatalf("group %q, unknowns %s", m.ConsumerGroup, unknowns(m))
	}
	m = template(t, "template-sam-registry.json", "Consumer.Confluent", nil)
	want := "unknown until apply: Resources.Consumer.Properties.Events.Confluent.Properties.SchemaRegistryConfig.AccessConfigs[0].URI, Ref RegistrySecret: a parameter without a value (give --parameter RegistrySecret=VALUE) or an unknown name: blocks registry"
	if got := unknowns(m); got != want {
		t.Fatalf("unknowns\n%s\nwant\n%s", got, want)
	}
}

// schema_registry_config in the Kafka config blocks of a plan; a registry
// ARN known only after apply is unknown and blocks registry.
func TestPlanRegistry(t *testing.T) {
	m := load(t, "plan-registry.json", "aws_lambda_event_source_mapping.confluent")
	sameRegistry(t, "confluent", m.Registry, confluentRegistry)
	if m.ConsumerGroup != "orders-consumer" || len(m.Unknown) != 0 {
		t.Fatalf("group %q, unknowns %v", m.ConsumerGroup, m.Unknown)
	}
	m = load(t, "plan-registry.json", "aws_lambda_event_source_mapping.glue")
	sameRegistry(t, "glue", m.Registry, glueRegistry)
	m = load(t, "plan-registry.json", "aws_lambda_event_source_mapping.new_registry")
	if m.Registry == nil || m.Registry.URI != "" || m.Registry.EventRecordFormat != "JSON" {
		t.Fatalf("new_registry: registry %+v", m.Registry)
	}
	want := "unknown until apply: aws_lambda_event_source_mapping.new_registry.amazon_managed_kafka_event_source_config.schema_registry_config.schema_registry_uri, known after apply (aws_glue_registry.orders.arn, aws_glue_registry.orders): blocks registry"
	if got := unknowns(m); got != want {
		t.Fatalf("unknowns\n%s\nwant\n%s", got, want)
	}
	// Without a schema_registry_config there is no registry.
	if m := load(t, "plan-self-managed.json", ""); m.Registry != nil {
		t.Fatalf("plan-self-managed: registry %+v", m.Registry)
	}
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
