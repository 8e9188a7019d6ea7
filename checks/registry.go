package checks

import (
	"context"
	"strings"

	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/registry"
)

// registryCheck runs after poll: it decodes the records poll sampled with
// the schemas they reference, as a provisioned poller does before it
// invokes the function. It needs no earlier check: the registry is reached
// on its own path (a Glue API call, or HTTPS to its URL), so a mapping whose
// brokers fail still learns whether its registry works; without poll's
// records it says that it checked no record. Without a SchemaRegistryConfig
// it does not apply, whatever failed before it.
var registryCheck = Check{
	ID:    "registry",
	Title: "the schema registry serves the schemas the records reference, and they decode",
	Run:   runRegistry,
}

// runRegistry checks the mapping's SchemaRegistryConfig: the configuration
// as the API takes it, provisioned mode, then the registry itself (Glue
// through the AWS API, or a Confluent-compatible URL).
func runRegistry(ctx context.Context, s *State) Outcome {
	cfg := s.registryConfig()
	if cfg == nil {
		return notApplicable("the mapping names no schema registry (SchemaRegistryConfig)")
	}
	if pw := cfg.URLPassword(); pw != "" {
		s.redact(pw)
	}
	if err := cfg.Validate(); err != nil {
		return fail(catalog.REGISTRY002, Args{"detail": err.Error()})
	}
	if !s.provisioned() {
		return fail(catalog.REGISTRY001, Args{"uri": cfg.SchemaRegistryURI})
	}
	if cfg.Kind() == registry.KindGlue {
		return runGlueRegistry(ctx, s, *cfg).leading(formatLine(*cfg))
	}
	return runConfluentRegistry(ctx, s, *cfg).leading(formatLine(*cfg))
}

// leading puts observations before the outcome's own, in the order they
// were made.
func (o Outcome) leading(lines ...string) Outcome {
	o.Detail = append(append([]string{}, lines...), o.Detail...)
	return o
}

// registryConfig is the mapping's SchemaRegistryConfig (from
// --*-kafka-event-source-config, or the mapping with --esm), nil when none.
func (s *State) registryConfig() *registry.Config {
	r := s.kafkaConfig().SchemaRegistry
	if r == nil {
		return nil
	}
	c := &registry.Config{SchemaRegistryURI: r.URI, EventRecordFormat: r.EventRecordFormat}
	for _, a := range r.AccessConfigs {
		c.AccessConfigs = append(c.AccessConfigs, registry.AccessConfig{Type: a.Type, URI: a.URI})
	}
	for _, v := range r.Validate {
		c.SchemaValidationConfigs = append(c.SchemaValidationConfigs, registry.ValidationConfig{Attribute: v})
	}
	return c
}

// provisioned says the mapping runs provisioned pollers.
func (s *State) provisioned() bool {
	return s.maximumPollers() > 0 || (s.Cfg.AWS != nil && s.Cfg.AWS.Provisioned)
}

// formatLine says what EventRecordFormat and SchemaValidationConfigs mean
// for the function.
func formatLine(c registry.Config) string {
	var attrs []string
	for _, v := range c.SchemaValidationConfigs {
		attrs = append(attrs, v.Attribute)
	}
	what := "no attribute (no SchemaValidationConfigs): records reach the function as produced"
	if len(attrs) > 0 {
		what = strings.Join(attrs, " and ") + " decoded with the registry's schema"
	}
	switch c.EventRecordFormat {
	case registry.FormatJSON:
		return "EventRecordFormat JSON: the function receives " + what + ", as JSON; a record that cannot be decoded counts in SchemaRegistryErrorCount"
	case registry.FormatSource:
		return "EventRecordFormat SOURCE: the function receives the records in their source format with the schema metadata (the schema id) removed, " + what + " to validate them; a record that cannot be decoded counts in SchemaRegistryErrorCount"
	}
	return "EventRecordFormat not set: " + what
}

// sample is the records poll kept ("" topic when none).
func (s *State) sample() []SampledRecord {
	if r := s.Facts.Records; r != nil {
		return r.Sample
	}
	return nil
}
