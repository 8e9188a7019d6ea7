package iac

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// kafkaConfigBlocks are the blocks of aws_lambda_event_source_mapping that
// hold a schema_registry_config.
var kafkaConfigBlocks = []string{"amazon_managed_kafka_event_source_config", "self_managed_kafka_event_source_config"}

// registryMembers are schema_registry_config's arguments (the provider's
// schema: schema_registry_uri, event_record_format, and the repeatable
// blocks access_config {type, uri} and schema_validation_config
// {attribute}).
var registryMembers = []string{"schema_registry_uri", "event_record_format", "access_config", "schema_validation_config"}

// registry reads the mapping's schema_registry_config and the members of it
// known only after apply.
func (r *reader) registry(m *Mapping, esm resource) {
	for _, k := range kafkaConfigBlocks {
		for _, c := range list(esm.Values[k]) {
			b := mapOf(first(mapOf(c)["schema_registry_config"]))
			if b == nil {
				continue
			}
			reg := &Registry{URI: str(b["schema_registry_uri"]), EventRecordFormat: str(b["event_record_format"])}
			for _, a := range list(b["access_config"]) {
				reg.AccessConfigs = append(reg.AccessConfigs, [2]string{str(mapOf(a)["type"]), str(mapOf(a)["uri"])})
			}
			for _, v := range list(b["schema_validation_config"]) {
				reg.Validate = append(reg.Validate, str(mapOf(v)["attribute"]))
			}
			m.Registry = reg
		}
	}
	au := r.afterUnknown(esm.Address)
	for _, k := range kafkaConfigBlocks {
		for _, c := range list(au[k]) {
			sc := mapOf(c)["schema_registry_config"]
			block := k + ".schema_registry_config"
			if sc == true {
				r.registryUnknown(m, esm.Address, block, []string{k, "schema_registry_config"})
				continue
			}
			for _, b := range list(sc) {
				for _, member := range registryMembers {
					if unknownIn(mapOf(b)[member]) {
						r.registryUnknown(m, esm.Address, block+"."+member, []string{k, "schema_registry_config", member})
					}
				}
			}
		}
	}
}

// registryUnknown notes a schema_registry_config member known only after
// apply: it blocks the registry check.
func (r *reader) registryUnknown(m *Mapping, addr, field string, path []string) {
	if m.Registry == nil {
		m.Registry = &Registry{}
	}
	why := "known after apply"
	if refs := r.nestedReferences(addr, path); len(refs) > 0 {
		why = fmt.Sprintf("known after apply (%s)", strings.Join(refs, ", "))
	}
	m.Unknown = append(m.Unknown, Unknown{Field: addr + "." + field, Why: why, Blocks: blocksRegistry})
}

// nestedReferences are the references in the configuration's expression
// of a nested block argument (path: block, nested block, ..., argument),
// most specific first.
func (r *reader) nestedReferences(addr string, path []string) []string {
	for _, c := range r.p.Configuration.Root.Resources {
		if c.Address != addr {
			continue
		}
		var tree any
		_ = json.Unmarshal(c.Expressions[path[0]], &tree)
		for _, p := range path[1:] {
			var next []any
			for _, b := range blocksOf(tree) {
				next = append(next, mapOf(b)[p])
			}
			tree = next
		}
		seen := map[string]bool{}
		var refs []string
		collectRefs(tree, func(ref string) {
			if !seen[ref] {
				seen[ref] = true
				refs = append(refs, ref)
			}
		})
		sort.Slice(refs, func(i, j int) bool {
			if di, dj := strings.Count(refs[i], "."), strings.Count(refs[j], "."); di != dj {
				return di > dj
			}
			return refs[i] < refs[j]
		})
		return refs
	}
	return nil
}

// blocksOf flattens the lists a nested block's expressions come in.
func blocksOf(v any) []any {
	l, ok := v.([]any)
	if !ok {
		return []any{v}
	}
	var out []any
	for _, e := range l {
		out = append(out, blocksOf(e)...)
	}
	return out
}

// collectRefs calls add for every reference in an expression tree.
func collectRefs(v any, add func(string)) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			collectRefs(e, add)
		}
	case map[string]any:
		for k, e := range x {
			if k == "references" {
				for _, ref := range list(e) {
					add(str(ref))
				}
				continue
			}
			collectRefs(e, add)
		}
	}
}
