package awsprobe

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/testbed/awsfake"
)

// GetEventSourceMapping's and ListEventSourceMappings' Kafka configuration
// (ConsumptionMode, every SchemaRegistryConfig member) reaches Mapping.Kafka
// through the SDK's own deserializer, for a self-managed and an MSK mapping.
func TestMappingKafkaConfig(t *testing.T) {
	fake, err := awsfake.New("")
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	none := filepath.Join(t.TempDir(), "none")
	for k, v := range map[string]string{"AWS_ACCESS_KEY_ID": "AKIAKAFKACFG", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
		"AWS_CONFIG_FILE": none, "AWS_SHARED_CREDENTIALS_FILE": none, "AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL": fake.URL()} {
		t.Setenv(k, v)
	}
	fn := "arn:aws:lambda:us-east-1:123456789012:function:orders"
	self, msk := "0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b", "1f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b"
	registry := map[string]any{"SchemaRegistryURI": "https://registry.example.com:8081", "EventRecordFormat": "SOURCE",
		"AccessConfigs":           []any{map[string]any{"Type": "BASIC_AUTH", "URI": "arn:aws:secretsmanager:us-east-1:123456789012:secret:reg-AbCdEf"}},
		"SchemaValidationConfigs": []any{map[string]any{"Attribute": "KEY"}, map[string]any{"Attribute": "VALUE"}}}
	fake.AddMapping(awsfake.Mapping{UUID: self, FunctionARN: fn, Bootstrap: []string{"b-1:9092"}, Topics: []string{"orders"},
		Extra: map[string]any{"SelfManagedKafkaEventSourceConfig": map[string]any{"ConsumerGroupId": "orders-share", "ConsumptionMode": "Queue", "SchemaRegistryConfig": registry}}})
	fake.AddMapping(awsfake.Mapping{UUID: msk, FunctionARN: fn, EventSourceARN: "arn:aws:kafka:us-east-1:123456789012:cluster/c/x-1", Topics: []string{"orders"},
		Extra: map[string]any{"AmazonManagedKafkaEventSourceConfig": map[string]any{"SchemaRegistryConfig": map[string]any{"SchemaRegistryURI": "arn:aws:glue:us-east-1:123456789012:registry/r"}}}})
	sess, err := Load(context.Background(), Options{Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	want := KafkaConfig{ConsumerGroupID: "orders-share", ConsumptionMode: ConsumptionQueue, SchemaRegistry: &SchemaRegistryConfig{
		URI: "https://registry.example.com:8081", EventRecordFormat: "SOURCE",
		AccessConfigs: []AccessConfig{{Type: "BASIC_AUTH", URI: "arn:aws:secretsmanager:us-east-1:123456789012:secret:reg-AbCdEf"}}, Validate: []string{"KEY", "VALUE"}}}
	m, err := sess.Mapping(context.Background(), self, 5*time.Second)
	if err != nil || !reflect.DeepEqual(m.Kafka, want) || m.ConsumerGroupID != "orders-share" || !m.Kafka.Queue() {
		t.Fatalf("self-managed: %+v %+v %v", m.Kafka, m.Kafka.SchemaRegistry, err)
	}
	list, err := sess.Mappings(context.Background(), fn, 5*time.Second)
	if err != nil || len(list) != 2 || !reflect.DeepEqual(list[0].Kafka, want) {
		t.Fatalf("listed: %+v %v", list, err)
	}
	m = list[1]
	if m.Kafka.ConsumptionMode != "" || m.Kafka.Queue() || m.Kafka.SchemaRegistry == nil || m.Kafka.SchemaRegistry.URI != "arn:aws:glue:us-east-1:123456789012:registry/r" || m.ConsumerGroupID != "" {
		t.Fatalf("MSK: %+v", m.Kafka)
	}
}
