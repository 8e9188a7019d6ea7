// Package iac reads a mapping from infrastructure code before it is
// applied: the JSON of `terraform show -json PLANFILE`. Values Terraform
// only knows after apply are reported as unknown, with the checks they
// block; they are never guessed. The package does no I/O beyond the bytes
// it is given.
package iac

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/esmdoctor/esmdoctor/netaudit"
)

// MaxPlanBytes bounds a plan file (a plan of a few hundred resources is a
// few MB).
const MaxPlanBytes = 32 << 20

// Mapping is an event source mapping as the infrastructure code declares it.
type Mapping struct {
	Address        string // the resource address (aws_lambda_event_source_mapping.orders)
	Region         string // the AWS provider's region, when a constant
	EventSourceARN string
	Bootstrap      []string
	Topics         []string
	AccessConfigs  [][2]string // Type, URI
	ConsumerGroup  string
	// ConsumptionMode is Stream, Queue or "" (not set): SAM's
	// SelfManagedKafka event only.
	ConsumptionMode string
	Function        string // the function name or ARN
	Role            string // the function's execution role ARN, when the plan holds the function
	Provisioned     bool
	Destination     string
	// Registry is the SchemaRegistryConfig, nil when the code names none.
	Registry *Registry
	// Cluster is the MSK cluster the same code creates, when the mapping's
	// source is that cluster: its network can be audited before it exists.
	Cluster *Cluster
	// Planned are the subnets and security groups of the mapping's network
	// that the code creates (placeholder ids: their addresses).
	Planned *netaudit.Planned
	// Unknown lists what the code does not fix before apply.
	Unknown []Unknown
}

// Unknown is a value known only after apply (or an expression esmdoctor
// cannot resolve), and the checks it blocks.
type Unknown struct {
	Field  string   // address.attribute
	Why    string   // "known after apply (aws_msk_cluster.orders.arn)"
	Blocks []string // check ids
}

// String renders an unknown for the report's notes.
func (u Unknown) String() string {
	return fmt.Sprintf("unknown until apply: %s, %s: blocks %s", u.Field, u.Why, strings.Join(u.Blocks, ", "))
}

// Cluster is an MSK cluster declared next to the mapping.
type Cluster struct {
	Address                 string
	Subnets, SecurityGroups []string
	// Client authentication it enables.
	IAM, SCRAM, TLS bool
}

// plan is the part of Terraform's JSON plan esmdoctor reads
// (https://developer.hashicorp.com/terraform/internals/json-format).
type plan struct {
	FormatVersion string `json:"format_version"`
	Planned       struct {
		Root module `json:"root_module"`
	} `json:"planned_values"`
	Changes []struct {
		Address string `json:"address"`
		Change  struct {
			AfterUnknown map[string]any `json:"after_unknown"`
		} `json:"change"`
	} `json:"resource_changes"`
	Configuration struct {
		Providers map[string]struct {
			Name        string                     `json:"name"`
			Expressions map[string]json.RawMessage `json:"expressions"`
		} `json:"provider_config"`
		Root configModule `json:"root_module"`
	} `json:"configuration"`
}

type module struct {
	Resources []resource `json:"resources"`
	Children  []module   `json:"child_modules"`
}

type resource struct {
	Address string         `json:"address"`
	Mode    string         `json:"mode"`
	Type    string         `json:"type"`
	Values  map[string]any `json:"values"`
}

type configModule struct {
	Resources []struct {
		Address     string                     `json:"address"`
		Expressions map[string]json.RawMessage `json:"expressions"`
	} `json:"resources"`
}

// FromTerraformPlan reads the plan's Kafka event source mapping: the only
// one, or the one at address.
func FromTerraformPlan(data []byte, address string) (Mapping, error) {
	if len(data) > MaxPlanBytes {
		return Mapping{}, fmt.Errorf("plan of %d bytes exceeds %d", len(data), MaxPlanBytes)
	}
	var p plan
	if err := json.Unmarshal(data, &p); err != nil {
		return Mapping{}, fmt.Errorf("not the JSON of terraform show -json: %w", err)
	}
	if p.FormatVersion == "" {
		return Mapping{}, fmt.Errorf("not the JSON of terraform show -json: no format_version")
	}
	all := resources(p.Planned.Root)
	esm, err := pickMapping(all, address)
	if err != nil {
		return Mapping{}, err
	}
	r := &reader{p: p, byAddr: map[string]resource{}}
	for _, x := range all {
		r.byAddr[x.Address] = x
	}
	return r.mapping(esm), nil
}

// resources flattens a module tree, managed resources only.
func resources(m module) []resource {
	var out []resource
	for _, r := range m.Resources {
		if r.Mode == "managed" || r.Mode == "" {
			out = append(out, r)
		}
	}
	for _, c := range m.Children {
		out = append(out, resources(c)...)
	}
	return out
}

// pickMapping finds the Kafka mapping: the one at address, or the only one.
func pickMapping(all []resource, address string) (resource, error) {
	var found []resource
	for _, r := range all {
		if r.Type != "aws_lambda_event_source_mapping" || !isKafka(r) {
			continue
		}
		if address == "" || r.Address == address {
			found = append(found, r)
		}
	}
	switch {
	case len(found) == 1:
		return found[0], nil
	case len(found) == 0 && address != "":
		return resource{}, fmt.Errorf("the plan has no Kafka event source mapping at %s", address)
	case len(found) == 0:
		return resource{}, fmt.Errorf("the plan has no Kafka event source mapping (aws_lambda_event_source_mapping with an MSK or self-managed Kafka source)")
	}
	var names []string
	for _, r := range found {
		names = append(names, r.Address)
	}
	sort.Strings(names)
	return resource{}, fmt.Errorf("the plan has %d Kafka event source mappings; choose one with --terraform-address: %s", len(found), strings.Join(names, ", "))
}

// isKafka says whether a mapping reads from Kafka: a self-managed source,
// an MSK config block, or an MSK ARN (an unknown ARN with the MSK block).
func isKafka(r resource) bool {
	if len(list(r.Values["self_managed_event_source"])) > 0 || len(list(r.Values["amazon_managed_kafka_event_source_config"])) > 0 ||
		len(list(r.Values["topics"])) > 0 {
		return true
	}
	arn, _ := r.Values["event_source_arn"].(string)
	return strings.HasPrefix(arn, "arn:") && strings.Split(arn, ":")[2] == "kafka"
}
