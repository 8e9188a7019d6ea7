package resolve

import (
	"testing"

	"github.com/esmdoctor/esmdoctor/awsprobe"
)

// A schema registry reached through AWS (a Glue ARN, or secrets) turns the
// AWS side on as a secret ARN does; a bare Confluent URL does not.
func TestRegistryNeedsAWS(t *testing.T) {
	for _, c := range []struct {
		reg  *SchemaRegistryConfig
		want bool
	}{
		{nil, false},
		{&SchemaRegistryConfig{URI: "https://sr.example.com"}, false},
		{&SchemaRegistryConfig{URI: "arn:aws:glue:us-east-1:123456789012:registry/orders"}, true},
		{&SchemaRegistryConfig{URI: "https://sr.example.com", AccessConfigs: []awsprobe.AccessConfig{{Type: "BASIC_AUTH", URI: "arn:aws:secretsmanager:us-east-1:123456789012:secret:sr"}}}, true},
	} {
		in := Inputs{Bootstrap: []string{"b-1:9092"}, Topic: "orders", KafkaConfig: &KafkaConfig{SchemaRegistry: c.reg}, KafkaConfigFlag: FlagSelfManagedConfig}
		got, err := resolveInputs(in)
		if err != nil || (got.AWS != nil) != c.want {
			t.Errorf("%+v: AWS %v, err %v; want AWS %v", c.reg, got.AWS != nil, err, c.want)
		}
	}
}
