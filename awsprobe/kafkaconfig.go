package awsprobe

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// The ConsumptionMode values of SelfManagedKafkaEventSourceConfig.
const (
	ConsumptionStream = "Stream" // a consumer group (the default)
	ConsumptionQueue  = "Queue"  // a Kafka share group (Kafka 4.2 or later)
)

// KafkaConfig is a Kafka mapping's AmazonManagedKafkaEventSourceConfig or
// SelfManagedKafkaEventSourceConfig: from the mapping Lambda holds, or
// from the flags shaped like them.
type KafkaConfig struct {
	// ConsumerGroupID is the custom group id; "" means the mapping's UUID.
	ConsumerGroupID string
	// ConsumptionMode is Stream, Queue or "" (not set: Stream). Only a
	// self-managed source has it.
	ConsumptionMode string
	// SchemaRegistry is nil when the mapping uses no schema registry.
	SchemaRegistry *SchemaRegistryConfig
}

// Queue says the mapping reads through a share group.
func (k KafkaConfig) Queue() bool { return k.ConsumptionMode == ConsumptionQueue }

// SchemaRegistryConfig is KafkaSchemaRegistryConfig.
type SchemaRegistryConfig struct {
	// URI is a Glue registry ARN or a Confluent-compatible registry URL.
	URI string
	// EventRecordFormat is JSON, SOURCE or "" (not set).
	EventRecordFormat string
	// AccessConfigs are the registry's: BASIC_AUTH,
	// CLIENT_CERTIFICATE_TLS_AUTH, SERVER_ROOT_CA_CERTIFICATE and
	// OAUTHBEARER_AUTH secrets.
	AccessConfigs []AccessConfig
	// Validate lists SchemaValidationConfigs[].Attribute: KEY, VALUE.
	Validate []string
}

// kafkaConfig reads the mapping's Kafka configuration from the API's.
func kafkaConfig(msk *types.AmazonManagedKafkaEventSourceConfig, self *types.SelfManagedKafkaEventSourceConfig) KafkaConfig {
	var k KafkaConfig
	if msk != nil {
		k.ConsumerGroupID = aws.ToString(msk.ConsumerGroupId)
		k.SchemaRegistry = registryConfig(msk.SchemaRegistryConfig)
	}
	if self != nil {
		k.ConsumerGroupID = aws.ToString(self.ConsumerGroupId)
		k.ConsumptionMode = string(self.ConsumptionMode)
		k.SchemaRegistry = registryConfig(self.SchemaRegistryConfig)
	}
	return k
}

// registryConfig flattens KafkaSchemaRegistryConfig; nil stays nil.
func registryConfig(r *types.KafkaSchemaRegistryConfig) *SchemaRegistryConfig {
	if r == nil {
		return nil
	}
	out := &SchemaRegistryConfig{URI: aws.ToString(r.SchemaRegistryURI), EventRecordFormat: string(r.EventRecordFormat)}
	for _, a := range r.AccessConfigs {
		out.AccessConfigs = append(out.AccessConfigs, AccessConfig{Type: string(a.Type), URI: aws.ToString(a.URI)})
	}
	for _, v := range r.SchemaValidationConfigs {
		out.Validate = append(out.Validate, string(v.Attribute))
	}
	return out
}
