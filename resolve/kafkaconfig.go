package resolve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/esmdoctor/esmdoctor/awsprobe"
)

// KafkaConfig is the mapping's Kafka event source configuration
// (ConsumerGroupId, ConsumptionMode, SchemaRegistryConfig).
type KafkaConfig = awsprobe.KafkaConfig

// SchemaRegistryConfig is the mapping's KafkaSchemaRegistryConfig.
type SchemaRegistryConfig = awsprobe.SchemaRegistryConfig

// The flags that carry a KafkaConfig, shaped like create-event-source-mapping's.
const (
	FlagSelfManagedConfig = "--self-managed-kafka-event-source-config"
	FlagMSKConfig         = "--amazon-managed-kafka-event-source-config"
)

// The enumerations the Lambda API model gives the configuration's members.
var (
	consumptionModes = []string{awsprobe.ConsumptionStream, awsprobe.ConsumptionQueue}
	recordFormats    = []string{"JSON", "SOURCE"}
	registryAuth     = []string{"BASIC_AUTH", "CLIENT_CERTIFICATE_TLS_AUTH", "SERVER_ROOT_CA_CERTIFICATE", "OAUTHBEARER_AUTH"}
	validationAttrs  = []string{"KEY", "VALUE"}
)

// ParseKafkaConfig reads the JSON of --self-managed-kafka-event-source-config
// (flag FlagSelfManagedConfig) or --amazon-managed-kafka-event-source-config
// (FlagMSKConfig), with the AWS CLI's rules: members named exactly as the
// API names them (case included), each of its type, enumerations as the
// API lists them; ConsumptionMode only for a self-managed source. value is
// what the refusal quotes (the file's path, or a placeholder for inline
// JSON). Every refusal is an *InputError naming the flag.
func ParseKafkaConfig(flag, value string, data []byte) (KafkaConfig, error) {
	var k KafkaConfig
	members := []string{"ConsumerGroupId", "SchemaRegistryConfig"}
	if flag == FlagSelfManagedConfig {
		members = []string{"ConsumerGroupId", "ConsumptionMode", "SchemaRegistryConfig"}
	}
	obj, err := object(data)
	if _, ok := obj["ConsumptionMode"]; ok && flag == FlagMSKConfig {
		err = errors.New("ConsumptionMode: an MSK mapping has none (Queue mode is for self-managed Kafka only)")
	}
	if err == nil {
		err = known(obj, "", members)
	}
	if err == nil {
		err = kafkaMembers(obj, &k)
	}
	if err != nil {
		return KafkaConfig{}, &InputError{Input: flag, Value: value, Msg: err.Error()}
	}
	return k, nil
}

// kafkaMembers reads the configuration's members into k.
func kafkaMembers(obj map[string]json.RawMessage, k *KafkaConfig) error {
	if raw, ok := obj["ConsumerGroupId"]; ok {
		if err := str(raw, "ConsumerGroupId", &k.ConsumerGroupID); err != nil {
			return err
		}
		if k.ConsumerGroupID == "" {
			return errors.New("ConsumerGroupId is empty: give the group id, or leave the member out to use the mapping's UUID")
		}
	}
	if raw, ok := obj["ConsumptionMode"]; ok {
		if err := enum(raw, "ConsumptionMode", consumptionModes, &k.ConsumptionMode); err != nil {
			return err
		}
	}
	if raw, ok := obj["SchemaRegistryConfig"]; ok {
		r, err := registryMembers(raw)
		if err != nil {
			return err
		}
		k.SchemaRegistry = r
	}
	return nil
}

// registryMembers reads KafkaSchemaRegistryConfig.
func registryMembers(raw json.RawMessage) (*SchemaRegistryConfig, error) {
	obj, err := member(raw, "SchemaRegistryConfig", []string{"SchemaRegistryURI", "EventRecordFormat", "AccessConfigs", "SchemaValidationConfigs"})
	if err != nil {
		return nil, err
	}
	r := &SchemaRegistryConfig{}
	if v, ok := obj["SchemaRegistryURI"]; ok {
		if err := str(v, "SchemaRegistryConfig.SchemaRegistryURI", &r.URI); err != nil {
			return nil, err
		}
	}
	if v, ok := obj["EventRecordFormat"]; ok {
		if err := enum(v, "SchemaRegistryConfig.EventRecordFormat", recordFormats, &r.EventRecordFormat); err != nil {
			return nil, err
		}
	}
	if err := registryAccess(obj["AccessConfigs"], r); err != nil {
		return nil, err
	}
	return r, registryValidation(obj["SchemaValidationConfigs"], r)
}

// registryAccess reads SchemaRegistryConfig.AccessConfigs[{Type, URI}].
func registryAccess(raw json.RawMessage, r *SchemaRegistryConfig) error {
	items, err := list(raw, "SchemaRegistryConfig.AccessConfigs")
	for i, item := range items {
		name := fmt.Sprintf("SchemaRegistryConfig.AccessConfigs[%d]", i)
		obj, err := member(item, name, []string{"Type", "URI"})
		if err != nil {
			return err
		}
		var ac awsprobe.AccessConfig
		if err := enum(obj["Type"], name+".Type", registryAuth, &ac.Type); err != nil {
			return err
		}
		if v, ok := obj["URI"]; ok {
			if err := str(v, name+".URI", &ac.URI); err != nil {
				return err
			}
		}
		r.AccessConfigs = append(r.AccessConfigs, ac)
	}
	return err
}

// registryValidation reads SchemaRegistryConfig.SchemaValidationConfigs[{Attribute}].
func registryValidation(raw json.RawMessage, r *SchemaRegistryConfig) error {
	items, err := list(raw, "SchemaRegistryConfig.SchemaValidationConfigs")
	for i, item := range items {
		name := fmt.Sprintf("SchemaRegistryConfig.SchemaValidationConfigs[%d]", i)
		obj, err := member(item, name, []string{"Attribute"})
		if err != nil {
			return err
		}
		var a string
		if err := enum(obj["Attribute"], name+".Attribute", validationAttrs, &a); err != nil {
			return err
		}
		r.Validate = append(r.Validate, a)
	}
	return err
}

// object reads one JSON object and nothing after it.
func object(data []byte) (map[string]json.RawMessage, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	var obj map[string]json.RawMessage
	if err := d.Decode(&obj); err != nil || obj == nil {
		return nil, jsonErr(err)
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("not JSON: text after the object")
	}
	return obj, nil
}

// member reads a nested object, refusing members other than allowed.
func member(raw json.RawMessage, name string, allowed []string) (map[string]json.RawMessage, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return nil, fmt.Errorf("%s: want an object", name)
	}
	return obj, known(obj, name+".", allowed)
}

// known refuses a member not in allowed, naming the allowed ones.
func known(obj map[string]json.RawMessage, prefix string, allowed []string) error {
	for k := range obj {
		if !slices.Contains(allowed, k) {
			return fmt.Errorf("unknown member %q: want %s (names are case-sensitive)", prefix+k, strings.Join(allowed, ", "))
		}
	}
	return nil
}

// list reads a JSON array (absent: none).
func list(raw json.RawMessage, name string) ([]json.RawMessage, error) {
	if raw == nil {
		return nil, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("%s: want a list", name)
	}
	return items, nil
}

// str reads a JSON string.
func str(raw json.RawMessage, name string, out *string) error {
	if err := json.Unmarshal(raw, out); err != nil || string(raw) == "null" {
		return fmt.Errorf("%s: want a string", name)
	}
	return nil
}

// enum reads a JSON string that must be one of values (exactly: the API's
// enumerations are case-sensitive).
func enum(raw json.RawMessage, name string, values []string, out *string) error {
	if raw == nil {
		return fmt.Errorf("%s is missing: want %s", name, orList(values))
	}
	if err := str(raw, name, out); err != nil {
		return err
	}
	if !slices.Contains(values, *out) {
		return fmt.Errorf("%s %q: want %s", name, *out, orList(values))
	}
	return nil
}

// orList renders "A, B or C".
func orList(v []string) string {
	if len(v) < 2 {
		return strings.Join(v, "")
	}
	return strings.Join(v[:len(v)-1], ", ") + " or " + v[len(v)-1]
}

// jsonErr says why data is not a JSON object, with the byte offset of a
// syntax error.
func jsonErr(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("not JSON (syntax error at byte %d): want an object such as {\"ConsumerGroupId\":\"orders\"}", se.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("not JSON: it ends before the object does")
	case errors.Is(err, io.EOF):
		return errors.New("empty: want a JSON object such as {\"ConsumerGroupId\":\"orders\"}")
	}
	return errors.New("not a JSON object: want one such as {\"ConsumerGroupId\":\"orders\"}")
}

// registryNeedsAWS says the schema registry is reached through AWS: a Glue
// registry ARN, or access configurations naming Secrets Manager secrets.
// Like a secret ARN, that is an explicit AWS input.
func registryNeedsAWS(k KafkaConfig) bool {
	r := k.SchemaRegistry
	if r == nil {
		return false
	}
	a, ok := awsprobe.ParseARN(r.URI)
	return ok && a.Service == "glue" || len(r.AccessConfigs) > 0
}
