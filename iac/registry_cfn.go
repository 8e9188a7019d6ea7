package iac

import (
	"fmt"
	"strings"
)

// Registry is the mapping's SchemaRegistryConfig as the code declares it
// (the Lambda API's KafkaSchemaRegistryConfig). Values are passed on as
// written: the registry check validates them as it does the flag's.
type Registry struct {
	URI               string      // SchemaRegistryURI: a Glue registry ARN or a registry URL
	EventRecordFormat string      // JSON, SOURCE or "" (not set)
	AccessConfigs     [][2]string // AccessConfigs: Type, URI
	Validate          []string    // SchemaValidationConfigs[].Attribute
}

// blocksRegistry is what an unknown SchemaRegistryConfig member blocks.
var blocksRegistry = []string{"registry"}

// registry reads SchemaRegistryConfig: on a SAM MSK / SelfManagedKafka
// event it is an event property; on an AWS::Lambda::EventSourceMapping it
// is a member of AmazonManagedKafkaEventSourceConfig or
// SelfManagedKafkaEventSourceConfig. Each member is resolved on its own,
// so an unknown one is named exactly.
func (r *cfnResolver) registry(m *Mapping, s cfnSource, p map[string]any, note func(string, string, []string)) {
	prefix, raw := "SchemaRegistryConfig", p["SchemaRegistryConfig"]
	if s.sam == "" {
		raw = nil
		for _, k := range []string{"AmazonManagedKafkaEventSourceConfig", "SelfManagedKafkaEventSourceConfig"} {
			if c := mapOf(p[k])["SchemaRegistryConfig"]; c != nil {
				prefix, raw = k+".SchemaRegistryConfig", c
			}
		}
	}
	if raw == nil {
		return
	}
	obj, why := r.object(raw)
	m.Registry = &Registry{}
	if why != "" {
		note(prefix, why, blocksRegistry)
		return
	}
	reg := m.Registry
	reg.URI, why = r.str(obj["SchemaRegistryURI"])
	note(prefix+".SchemaRegistryURI", why, blocksRegistry)
	reg.EventRecordFormat, why = r.str(obj["EventRecordFormat"])
	note(prefix+".EventRecordFormat", why, blocksRegistry)
	items, why := r.items(obj["AccessConfigs"])
	note(prefix+".AccessConfigs", why, blocksRegistry)
	for i, a := range items {
		name := fmt.Sprintf("%s.AccessConfigs[%d]", prefix, i)
		ac, why := r.object(a)
		if why != "" {
			note(name, why, blocksRegistry)
			continue
		}
		typ, why1 := r.str(ac["Type"])
		note(name+".Type", why1, blocksRegistry)
		uri, why2 := r.str(ac["URI"])
		note(name+".URI", why2, blocksRegistry)
		reg.AccessConfigs = append(reg.AccessConfigs, [2]string{typ, uri})
	}
	items, why = r.items(obj["SchemaValidationConfigs"])
	note(prefix+".SchemaValidationConfigs", why, blocksRegistry)
	for i, v := range items {
		name := fmt.Sprintf("%s.SchemaValidationConfigs[%d]", prefix, i)
		vc, why := r.object(v)
		if why == "" {
			var attr string
			attr, why = r.str(vc["Attribute"])
			reg.Validate = append(reg.Validate, attr)
			name += ".Attribute"
		}
		note(name, why, blocksRegistry)
	}
}

// object resolves a value that must be an object: an object written out
// (its members resolved one by one by the caller), or an intrinsic
// function that yields one.
func (r *cfnResolver) object(v any) (map[string]any, string) {
	if isIntrinsic(v) {
		out, err := r.value(v)
		if err != nil {
			return nil, err.Error()
		}
		v = out
	}
	if obj := mapOf(v); obj != nil {
		return obj, ""
	}
	return nil, "not an object"
}

// items resolves a value that must be a list (absent: none), its elements
// left to the caller.
func (r *cfnResolver) items(v any) ([]any, string) {
	if v == nil {
		return nil, ""
	}
	if isIntrinsic(v) {
		out, err := r.value(v)
		if err != nil {
			return nil, err.Error()
		}
		v = out
	}
	if l, ok := v.([]any); ok {
		return l, ""
	}
	return nil, "not a list"
}

// isIntrinsic says whether v is a Ref, a Condition or an Fn:: call.
func isIntrinsic(v any) bool {
	x := mapOf(v)
	if len(x) != 1 {
		return false
	}
	for k := range x {
		return k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::")
	}
	return false
}
