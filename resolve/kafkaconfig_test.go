package resolve

import (
	"reflect"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/awsprobe"
)

// Every member of the CLI's JSON reaches its typed field.
func TestParseKafkaConfig(t *testing.T) {
	got, err := ParseKafkaConfig(FlagSelfManagedConfig, "x", []byte(`{"ConsumerGroupId":"orders-share","ConsumptionMode":"Queue",
		"SchemaRegistryConfig":{"SchemaRegistryURI":"https://reg:8081","EventRecordFormat":"JSON",
		"AccessConfigs":[{"Type":"OAUTHBEARER_AUTH","URI":"arn:aws:secretsmanager:us-east-1:123456789012:secret:o-AbCdEf"},{"Type":"SERVER_ROOT_CA_CERTIFICATE","URI":"arn:ca"}],
		"SchemaValidationConfigs":[{"Attribute":"VALUE"}]}}`))
	want := KafkaConfig{ConsumerGroupID: "orders-share", ConsumptionMode: "Queue", SchemaRegistry: &SchemaRegistryConfig{URI: "https://reg:8081",
		EventRecordFormat: "JSON", AccessConfigs: []awsprobe.AccessConfig{{Type: "OAUTHBEARER_AUTH", URI: "arn:aws:secretsmanager:us-east-1:123456789012:secret:o-AbCdEf"},
			{Type: "SERVER_ROOT_CA_CERTIFICATE", URI: "arn:ca"}}, Validate: []string{"VALUE"}}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("%+v %+v %v", got, got.SchemaRegistry, err)
	}
	got, err = ParseKafkaConfig(FlagMSKConfig, "x", []byte(` {"ConsumerGroupId":"g"} `))
	if err != nil || got.ConsumerGroupID != "g" || got.ConsumptionMode != "" || got.SchemaRegistry != nil {
		t.Fatalf("MSK: %+v %v", got, err)
	}
}

// Bad JSON, unknown members and unknown values are one-line input errors
// naming the flag, the quoted value and the member.
func TestParseKafkaConfigRefusals(t *testing.T) {
	for _, c := range []struct{ flag, in, want string }{
		{FlagSelfManagedConfig, `{"ConsumptionMode":"queue"}`, `ConsumptionMode "queue": want Stream or Queue`},
		{FlagSelfManagedConfig, `{"consumerGroupId":"g"}`, `unknown member "consumerGroupId": want ConsumerGroupId, ConsumptionMode, SchemaRegistryConfig (names are case-sensitive)`},
		{FlagMSKConfig, `{"ConsumptionMode":"Queue"}`, "ConsumptionMode: an MSK mapping has none (Queue mode is for self-managed Kafka only)"},
		{FlagSelfManagedConfig, `{"ConsumerGroupId":"g",}`, "not JSON (syntax error at byte 24)"},
		{FlagSelfManagedConfig, `{"ConsumerGroupId":"g"`, "not JSON: it ends before the object does"},
		{FlagSelfManagedConfig, `{} {}`, "not JSON: text after the object"},
		{FlagSelfManagedConfig, ``, "empty: want a JSON object"},
		{FlagSelfManagedConfig, `["Queue"]`, "not a JSON object"},
		{FlagSelfManagedConfig, `null`, "not a JSON object"},
		{FlagSelfManagedConfig, `{"ConsumerGroupId":""}`, "ConsumerGroupId is empty"},
		{FlagSelfManagedConfig, `{"ConsumerGroupId":7}`, "ConsumerGroupId: want a string"},
		{FlagSelfManagedConfig, `{"ConsumptionMode":null}`, "ConsumptionMode: want a string"},
		{FlagSelfManagedConfig, `{"SchemaRegistryConfig":[]}`, "SchemaRegistryConfig: want an object"},
		{FlagSelfManagedConfig, `{"SchemaRegistryConfig":{"URI":"x"}}`, `unknown member "SchemaRegistryConfig.URI"`},
		{FlagSelfManagedConfig, `{"SchemaRegistryConfig":{"EventRecordFormat":"AVRO"}}`, `SchemaRegistryConfig.EventRecordFormat "AVRO": want JSON or SOURCE`},
		{FlagMSKConfig, `{"SchemaRegistryConfig":{"AccessConfigs":{}}}`, "SchemaRegistryConfig.AccessConfigs: want a list"},
		{FlagMSKConfig, `{"SchemaRegistryConfig":{"AccessConfigs":[{"URI":"x"}]}}`, "SchemaRegistryConfig.AccessConfigs[0].Type is missing: want BASIC_AUTH, CLIENT_CERTIFICATE_TLS_AUTH, SERVER_ROOT_CA_CERTIFICATE or OAUTHBEARER_AUTH"},
		{FlagMSKConfig, `{"SchemaRegistryConfig":{"AccessConfigs":[{"Type":"SASL_SCRAM_512_AUTH"}]}}`, `SchemaRegistryConfig.AccessConfigs[0].Type "SASL_SCRAM_512_AUTH"`},
		{FlagMSKConfig, `{"SchemaRegistryConfig":{"SchemaValidationConfigs":[{"Attribute":"HEADERS"}]}}`, `SchemaRegistryConfig.SchemaValidationConfigs[0].Attribute "HEADERS": want KEY or VALUE`},
	} {
		_, err := ParseKafkaConfig(c.flag, "(the given JSON)", []byte(c.in))
		want := c.flag + `: "(the given JSON)": ` + c.want
		if err == nil || !strings.HasPrefix(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s %s: %v, want %q", c.flag, c.in, err, want)
		}
		if _, ok := err.(*InputError); !ok {
			t.Errorf("%s: %T, want *InputError", c.in, err)
		}
	}
}

// The configuration must fit the source, and its ConsumerGroupId becomes
// the group unless --consumer-group-id says otherwise.
func TestResolveKafkaConfig(t *testing.T) {
	queue := &KafkaConfig{ConsumerGroupID: "orders-share", ConsumptionMode: "Queue"}
	in := Inputs{Bootstrap: []string{"b-1:9092"}, Topic: "orders", KafkaConfig: queue, KafkaConfigFlag: FlagSelfManagedConfig}
	got, err := resolveInputs(in)
	if err != nil || got.ConsumerGroup != "orders-share" || !got.Kafka.Queue() || got.AWS != nil {
		t.Fatalf("%+v %v", got, err)
	}
	in.ConsumerGroup = "orders-share"
	if got, err = resolveInputs(in); err != nil || got.ConsumerGroup != "orders-share" {
		t.Fatalf("the same group twice: %+v %v", got, err)
	}
	in.KafkaConfig = &KafkaConfig{ConsumptionMode: "Stream"}
	if got, err = resolveInputs(in); err != nil || got.ConsumerGroup != "orders-share" || got.Kafka.ConsumptionMode != "Stream" {
		t.Fatalf("group from --consumer-group-id: %+v %v", got, err)
	}
	for _, c := range []struct {
		in   Inputs
		want string
	}{
		{Inputs{Bootstrap: []string{"b-1:9092"}, Topic: "orders", ConsumerGroup: "a", KafkaConfig: queue, KafkaConfigFlag: FlagSelfManagedConfig},
			`--consumer-group-id "a" and --self-managed-kafka-event-source-config's ConsumerGroupId "orders-share" differ`},
		{Inputs{EventSourceARN: msk, Topic: "orders", KafkaConfig: queue, KafkaConfigFlag: FlagSelfManagedConfig},
			"--self-managed-kafka-event-source-config is for a self-managed cluster: an MSK cluster (--event-source-arn) takes --amazon-managed-kafka-event-source-config"},
		{Inputs{Bootstrap: []string{"b-1:9092"}, Topic: "orders", KafkaConfig: &KafkaConfig{}, KafkaConfigFlag: FlagMSKConfig},
			"--amazon-managed-kafka-event-source-config is for an MSK cluster (--event-source-arn): self-managed brokers take --self-managed-kafka-event-source-config"},
		{Inputs{ESM: uuid, KafkaConfig: queue, KafkaConfigFlag: FlagSelfManagedConfig},
			"--self-managed-kafka-event-source-config: not with --esm or --function, which read it from the mapping"},
	} {
		if _, err := resolveInputs(c.in); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%v, want %q", err, c.want)
		}
	}
}

// With --esm the configuration is the mapping's.
func TestFromMappingKafkaConfig(t *testing.T) {
	k := KafkaConfig{ConsumerGroupID: "orders-share", ConsumptionMode: "Queue", SchemaRegistry: &SchemaRegistryConfig{URI: "https://reg"}}
	got, err := FromMapping(awsprobe.Mapping{UUID: uuid, FunctionARN: fnARN, Bootstrap: []string{"b-1:9092"}, Topics: []string{"orders"},
		ConsumerGroupID: k.ConsumerGroupID, Kafka: k}, AWS{})
	if err != nil || !reflect.DeepEqual(got.Kafka, k) || got.ConsumerGroup != "orders-share" {
		t.Fatalf("%+v %v", got, err)
	}
}
