package resolve

import (
	"errors"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/awsprobe"
)

// FuzzAccessConfiguration feeds the --source-access-configuration
// shorthand parser and the classification of the result: any input is
// either accepted or refused with an InputError, never a panic.
func FuzzAccessConfiguration(f *testing.F) {
	for _, s := range []string{
		"Type=SASL_SCRAM_512_AUTH,URI=arn:aws:secretsmanager:us-east-1:123456789012:secret:AmazonMSK_x-AbCdEf",
		"type=VPC_SUBNET,uri=subnet:subnet-0123456789abcdef0",
		"Type=VPC_SECURITY_GROUP,URI=security_group:sg-0123",
		"URI=arn:aws:secretsmanager:eu-west-1:1:secret:ca,Type=SERVER_ROOT_CA_CERTIFICATE",
		"Type=BASIC_AUTH", "Type=,URI=", "=,=", "Type=X,URI=arn:aws:kafka:::", "Type=BASIC_AUTH,URI=arn:aws:secretsmanager",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		ac, err := parseShorthand(raw)
		if err != nil {
			return
		}
		acc := access{list: []awsprobe.AccessConfig{ac}}
		if err := acc.classify(); err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("%q: error of type %T", raw, err)
			}
			return
		}
		if a, _ := acc.authFromType(); acc.authSecret != nil && a == "" {
			t.Fatalf("%q: secret type %q selects no auth mode", raw, acc.authSecret.Type)
		}
	})
}

// FuzzKafkaConfig feeds the --self-managed-kafka-event-source-config and
// --amazon-managed-kafka-event-source-config JSON reader: any input is
// accepted with values from the API's enumerations, or refused with a
// one-line InputError naming the flag, never a panic.
func FuzzKafkaConfig(f *testing.F) {
	for _, s := range []string{
		`{"ConsumerGroupId":"g","ConsumptionMode":"Queue"}`,
		`{"SchemaRegistryConfig":{"SchemaRegistryURI":"https://r","EventRecordFormat":"JSON","AccessConfigs":[{"Type":"BASIC_AUTH","URI":"arn:x"}],"SchemaValidationConfigs":[{"Attribute":"KEY"}]}}`,
		`{"ConsumptionMode":null}`, `{"SchemaRegistryConfig":{"AccessConfigs":[{}]}}`, `{} x`, `[`, ``, `"\u0000"`,
	} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, raw string, selfManaged bool) {
		flag := FlagMSKConfig
		if selfManaged {
			flag = FlagSelfManagedConfig
		}
		k, err := ParseKafkaConfig(flag, "(the given JSON)", []byte(raw))
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || ie.Input != flag || strings.ContainsAny(ie.Msg, "\n\r") {
				t.Fatalf("%q: refusal %T %q", raw, err, err)
			}
			return
		}
		if k.ConsumptionMode != "" && k.ConsumptionMode != "Stream" && k.ConsumptionMode != "Queue" || (!selfManaged && k.ConsumptionMode != "") {
			t.Fatalf("%q: ConsumptionMode %q accepted", raw, k.ConsumptionMode)
		}
		if r := k.SchemaRegistry; r != nil && r.EventRecordFormat != "" && r.EventRecordFormat != "JSON" && r.EventRecordFormat != "SOURCE" {
			t.Fatalf("%q: EventRecordFormat %q accepted", raw, r.EventRecordFormat)
		}
	})
}
