package checks

import (
	"context"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/registry"
	"github.com/hamba/avro/v2"
)

const testOrderAvro = `{"type":"record","name":"Order","fields":[{"name":"id","type":"long"}]}`

// memSource serves schemas from a map, as a registry would; ids absent
// from it are "not found".
type memSource map[uint32]registry.Schema

func (memSource) wire() registry.Wire { return registry.WireConfluent }

func (m memSource) fetch(_ context.Context, ref registry.Ref) (registry.Schema, error, *Outcome) {
	if s, ok := m[ref.ID]; ok {
		return s, nil, nil
	}
	return registry.Schema{}, errors.New("HTTP 404 (error_code 40403)"), nil
}

func framed(id uint32, payload []byte) []byte {
	b := make([]byte, 5, 5+len(payload))
	binary.BigEndian.PutUint32(b[1:], id)
	return append(b, payload...)
}

func registryState(records ...SampledRecord) *State {
	return &State{Cfg: Config{Topic: "orders", Now: time.Now}, Step: time.Second, Facts: Facts{Records: &RecordFacts{Sample: records}}}
}

func TestRegistrySampleOutcomes(t *testing.T) {
	good, _ := avro.Marshal(avro.MustParse(testOrderAvro), map[string]any{"id": int64(1)})
	src := memSource{7: {ID: 7, Type: "AVRO", Text: testOrderAvro}}
	cfg := registry.Config{SchemaRegistryURI: "https://sr", EventRecordFormat: "JSON", SchemaValidationConfigs: []registry.ValidationConfig{{Attribute: "VALUE"}}}
	rec := func(off int64, value []byte) SampledRecord {
		return SampledRecord{Topic: "orders", Offset: off, Key: []byte("k"), Value: value}
	}
	cases := []struct {
		name   string
		recs   []SampledRecord
		status model.Status
		code   string
		fact   string
	}{
		{"healthy", []SampledRecord{rec(0, framed(7, good)), rec(1, framed(7, good))}, model.Pass, "", "fetched: schema id 7 (AVRO)"},
		{"empty topic", nil, model.Pass, "", "no record sampled"},
		{"unknown id", []SampledRecord{rec(0, framed(7, good)), rec(1, framed(99, good)), rec(2, framed(99, good))}, model.Fail, catalog.REGISTRY007, "2 of 3 sampled"},
		{"mismatch", []SampledRecord{rec(4, framed(7, []byte(`{"id":1}`)))}, model.Fail, catalog.REGISTRY008, "offset 4"},
		{"no header", []SampledRecord{rec(5, []byte(`{"id":1}`))}, model.Fail, catalog.REGISTRY015, "starting 7b 22"},
		{"protobuf", []SampledRecord{rec(0, framed(8, []byte{0, 8, 1}))}, model.Pass, "", "schema id 8 (PROTOBUF)"},
		{"schema does not parse", []SampledRecord{rec(0, framed(10, good))}, model.Warn, catalog.REGISTRY104, "AVRO schema does not parse"},
		{"references", []SampledRecord{rec(0, framed(9, good))}, model.Warn, catalog.REGISTRY103, "schema id 9"},
		{"protobuf mismatch", []SampledRecord{rec(3, framed(8, []byte{0, 8}))}, model.Fail, catalog.REGISTRY008, "does not decode as its PROTOBUF schema"},
	}
	src[10] = registry.Schema{ID: 10, Type: "AVRO", Text: `{"type":"nope"}`}
	src[9] = registry.Schema{ID: 9, Type: "AVRO", Text: testOrderAvro, References: 1}
	src[8] = registry.Schema{ID: 8, Type: "PROTOBUF", Text: `syntax = "proto3"; message Flag { int64 on = 1; }`}
	for _, c := range cases {
		s := registryState(c.recs...)
		rep, stop := checkSample(context.Background(), s, cfg, src)
		if stop != nil {
			t.Fatalf("%s: stopped: %+v", c.name, stop)
		}
		o := sampleOutcome(s, cfg, rep)
		text := strings.Join(o.Detail, " | ")
		if e, ok := catalog.Lookup(o.Code); ok {
			text += " | " + catalog.Format(e.Cause, o.Args)
		}
		if o.Status != c.status || o.Code != c.code || !strings.Contains(text, c.fact) {
			t.Errorf("%s: %s %s %q, want %s %s with %q", c.name, o.Status, o.Code, text, c.status, c.code, c.fact)
		}
	}
}

// Keys are checked only when KEY is validated (or when nothing is, and
// the key carries the registry's header).
func TestRegistryValidatesOnlyTheNamedAttributes(t *testing.T) {
	good, _ := avro.Marshal(avro.MustParse(testOrderAvro), map[string]any{"id": int64(1)})
	src := memSource{7: {ID: 7, Type: "AVRO", Text: testOrderAvro}}
	s := registryState(SampledRecord{Key: []byte("plain-key"), Value: framed(7, good)})
	for _, c := range []struct {
		attrs []string
		code  string
	}{{[]string{"VALUE"}, ""}, {[]string{"KEY", "VALUE"}, catalog.REGISTRY015}, {nil, ""}} {
		cfg := registry.Config{SchemaRegistryURI: "https://sr"}
		for _, a := range c.attrs {
			cfg.SchemaValidationConfigs = append(cfg.SchemaValidationConfigs, registry.ValidationConfig{Attribute: a})
		}
		rep, _ := checkSample(context.Background(), s, cfg, src)
		if o := sampleOutcome(s, cfg, rep); o.Code != c.code {
			t.Errorf("validate %v: %s %s, want %q", c.attrs, o.Status, o.Code, c.code)
		}
	}
}

func TestRegistryCheckApplies(t *testing.T) {
	s := &State{Cfg: Config{Topic: "orders", Now: time.Now}, Step: time.Second}
	if o := runRegistry(context.Background(), s); o.Status != model.Skip || !o.notApplicable {
		t.Errorf("no registry: %+v", o)
	}
	s.Cfg.Kafka.SchemaRegistry = &awsprobe.SchemaRegistryConfig{URI: "http://127.0.0.1:1/apis/ccompat/v7", EventRecordFormat: "JSON"}
	if o := runRegistry(context.Background(), s); o.Code != catalog.REGISTRY001 {
		t.Errorf("on-demand: %+v", o)
	}
	s.Cfg.MaximumPollers = 1
	s.Cfg.Kafka.SchemaRegistry.URI = "registry.example.com"
	if o := runRegistry(context.Background(), s); o.Code != catalog.REGISTRY002 || !strings.Contains(o.Args["detail"], "neither a Glue registry ARN") {
		t.Errorf("bad URI: %+v", o)
	}
	s.Cfg.Kafka.SchemaRegistry.URI = "http://127.0.0.1:1/apis/ccompat/v7"
	if o := runRegistry(context.Background(), s); o.Code != catalog.REGISTRY004 || !strings.Contains(o.Args["detail"], "connection refused") {
		t.Errorf("closed port: %+v", o)
	}
	s.Cfg.Kafka.SchemaRegistry.URI = "arn:aws:glue:us-east-1:123456789012:registry/orders"
	if o := runRegistry(context.Background(), s); o.Code != catalog.REGISTRY012 || !strings.Contains(o.Args["detail"], "no AWS input") {
		t.Errorf("Glue without AWS: %+v", o)
	}
}

func TestRegistryGlueFailures(t *testing.T) {
	g, _ := registry.ParseGlueARN("arn:aws:glue:us-east-1:123456789012:registry/orders")
	s := awsTestState()
	s.Cfg.AWS.Options.RoleARN = "arn:aws:iam::123456789012:role/consumer"
	for _, c := range []struct {
		op, code, want, fact string
	}{
		{"glue:GetRegistry", "EntityNotFoundException", catalog.REGISTRY010, "aws glue create-registry"},
		{"glue:GetRegistry", "AccessDeniedException", catalog.REGISTRY011, `--role-name consumer --policy-name esm-registry`},
		{"glue:GetSchemaVersion", "AccessDeniedException", catalog.REGISTRY011, `arn:aws:glue:us-east-1:123456789012:schema/orders/*`},
		{"glue:GetRegistry", "ThrottlingException", catalog.REGISTRY012, "ThrottlingException"},
	} {
		o := glueFailure(s, g, c.op, g.ARN(), "https://glue.us-east-1.amazonaws.com", apiErr("Glue", strings.TrimPrefix(c.op, "glue:"), c.code))
		e, _ := catalog.Lookup(o.Code)
		text := catalog.Format(e.Cause, o.Args) + " | " + catalog.Format(e.Remediation, o.Args)
		if o.Code != c.want || !strings.Contains(text, c.fact) {
			t.Errorf("%s %s: %s %q, want %s with %q", c.op, c.code, o.Code, text, c.want, c.fact)
		}
	}
}

// At most maxSchemas schemas are fetched in one run.
func TestRegistryFetchesBoundedSchemas(t *testing.T) {
	var recs []SampledRecord
	for id := uint32(100); id < 100+maxSchemas+3; id++ {
		recs = append(recs, SampledRecord{Value: framed(id, nil)})
	}
	cfg := registry.Config{SchemaRegistryURI: "https://sr", SchemaValidationConfigs: []registry.ValidationConfig{{Attribute: "VALUE"}}}
	s := registryState(recs...)
	rep, _ := checkSample(context.Background(), s, cfg, memSource{})
	if len(rep.unknown) != maxSchemas || rep.beyond != 3 || !strings.Contains(rep.line("orders"), "3 attribute(s) not checked") {
		t.Errorf("unknown %d, beyond %d: %s", len(rep.unknown), rep.beyond, rep.line("orders"))
	}
}
