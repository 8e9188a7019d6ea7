package checks

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/registry"
)

// schemaSource fetches schemas from one registry.
type schemaSource interface {
	// wire is the header records of this registry carry.
	wire() registry.Wire
	// fetch returns the schema a reference names. missing is set when the
	// registry answered that it has no such schema; any other error stops
	// the check (the registry itself failed), with its outcome.
	fetch(ctx context.Context, ref registry.Ref) (sch registry.Schema, missing error, stop *Outcome)
}

// recordIssue is one sampled record's problem.
type recordIssue struct {
	rec    SampledRecord
	attr   string
	ref    registry.Ref
	typ    string // the schema's type (AVRO, JSON, PROTOBUF), when fetched
	detail string
}

// sampleReport is what decoding the sample found.
type sampleReport struct {
	sampled                     int
	refs                        map[string]bool
	fetched                     []string
	unknown, mismatch, noHeader []recordIssue
	protobuf, referencing       []recordIssue
	unparsed                    []recordIssue
	// beyond counts attributes left unchecked: their schema would have
	// been one more than maxSchemas.
	beyond int
}

// maxSchemas bounds the schemas one run fetches (each a GET or a Glue call
// within a step budget): a sample of 20 records rarely uses more.
const maxSchemas = 10

// checkSample decodes each sampled record's validated attributes (or, with
// no SchemaValidationConfigs, every attribute that carries the registry's
// header) with the schema it references.
func checkSample(ctx context.Context, s *State, cfg registry.Config, src schemaSource) (sampleReport, *Outcome) {
	rep := sampleReport{refs: map[string]bool{}}
	cache := map[string]registry.Schema{}
	missing := map[string]error{}
	for _, rec := range s.sample() {
		rep.sampled++
		for _, attr := range []string{registry.AttrKey, registry.AttrValue} {
			data := rec.Value
			if attr == registry.AttrKey {
				data = rec.Key
			}
			if stop := checkAttr(ctx, &rep, rec, attr, data, cfg, src, cache, missing); stop != nil {
				return rep, stop
			}
		}
	}
	return rep, nil
}

// checkAttr checks one attribute of one record.
func checkAttr(ctx context.Context, rep *sampleReport, rec SampledRecord, attr string, data []byte, cfg registry.Config,
	src schemaSource, cache map[string]registry.Schema, missing map[string]error) *Outcome {
	validated := cfg.Validates(attr)
	ref, payload := registry.Parse(data)
	if ref.Wire != src.wire() {
		if validated {
			rep.noHeader = append(rep.noHeader, recordIssue{rec: rec, attr: attr, ref: ref, detail: leading(data)})
		}
		return nil
	}
	key := ref.String()
	rep.refs[key] = true
	if err, ok := missing[key]; ok {
		rep.unknown = append(rep.unknown, recordIssue{rec: rec, attr: attr, ref: ref, detail: err.Error()})
		return nil
	}
	sch, ok := cache[key]
	if !ok && len(cache)+len(missing) >= maxSchemas {
		rep.beyond++
		return nil
	}
	if !ok {
		var miss error
		var stop *Outcome
		sch, miss, stop = src.fetch(ctx, ref)
		if stop != nil {
			return stop
		}
		if miss != nil {
			missing[key] = miss
			rep.unknown = append(rep.unknown, recordIssue{rec: rec, attr: attr, ref: ref, detail: miss.Error()})
			return nil
		}
		cache[key] = sch
		rep.fetched = append(rep.fetched, fmt.Sprintf("%s (%s)", key, sch.Type))
	}
	if !validated && len(cfg.SchemaValidationConfigs) > 0 {
		return nil
	}
	decodeAttr(ctx, rep, rec, attr, ref, sch, payload)
	return nil
}

// decodeAttr decodes one payload and records a mismatch.
func decodeAttr(ctx context.Context, rep *sampleReport, rec SampledRecord, attr string, ref registry.Ref, sch registry.Schema, payload []byte) {
	if ref.Wire == registry.WireGlue && ref.Compression == registry.GlueZlib {
		inflated, err := registry.Inflate(payload)
		if err != nil {
			rep.mismatch = append(rep.mismatch, recordIssue{rec: rec, attr: attr, ref: ref, typ: sch.Type, detail: "zlib: " + err.Error()})
			return
		}
		payload = inflated
	}
	if sch.References > 0 {
		rep.referencing = append(rep.referencing, recordIssue{rec: rec, attr: attr, ref: ref, typ: sch.Type})
		return
	}
	err := registry.Decode(ctx, ref.Wire, sch, payload)
	switch {
	case err == nil:
	case errors.As(err, new(*registry.SchemaError)):
		rep.unparsed = append(rep.unparsed, recordIssue{rec: rec, attr: attr, ref: ref, typ: sch.Type, detail: err.Error()})
	case errors.Is(err, registry.ErrUnsupported):
		rep.protobuf = append(rep.protobuf, recordIssue{rec: rec, attr: attr, ref: ref})
	default:
		rep.mismatch = append(rep.mismatch, recordIssue{rec: rec, attr: attr, ref: ref, typ: sch.Type, detail: err.Error()})
	}
}

// leading shows how a record without a header starts, for the cause.
func leading(b []byte) string {
	if len(b) == 0 {
		return "empty"
	}
	n := min(len(b), 8)
	return fmt.Sprintf("%d byte(s) starting % x", len(b), b[:n])
}

// sampleOutcome turns the report into the check's outcome.
func sampleOutcome(s *State, cfg registry.Config, rep sampleReport) Outcome {
	detail := []string{rep.line(s.topic())}
	base := Args{"topic": s.topic(), "uri": cfg.SchemaRegistryURI, "sampled": fmt.Sprint(rep.sampled)}
	switch {
	case len(rep.unknown) > 0:
		return fail(catalog.REGISTRY007, issueArgs(base, rep.unknown), detail...)
	case len(rep.mismatch) > 0:
		args := issueArgs(base, rep.mismatch)
		args["format"] = rep.mismatch[0].typ
		return fail(catalog.REGISTRY008, args, detail...)
	case len(rep.noHeader) > 0:
		args := issueArgs(base, rep.noHeader)
		args["wire"], args["seen"] = wireName(cfg), rep.noHeader[0].detail
		return fail(catalog.REGISTRY015, args, detail...)
	case len(rep.protobuf) > 0:
		return warn(catalog.REGISTRY102, issueArgs(base, rep.protobuf), detail...)
	case len(rep.referencing) > 0:
		return warn(catalog.REGISTRY103, issueArgs(base, rep.referencing), detail...)
	case len(rep.unparsed) > 0:
		return warn(catalog.REGISTRY104, issueArgs(base, rep.unparsed), detail...)
	}
	return pass(detail...)
}

// issueArgs fills the arguments that name the issues and the first one.
func issueArgs(base Args, issues []recordIssue) Args {
	args := Args{}
	for k, v := range base {
		args[k] = v
	}
	refs := map[string]bool{}
	for _, i := range issues {
		refs[i.ref.String()] = true
	}
	first := issues[0]
	args["count"], args["refs"] = fmt.Sprint(len(issues)), joinSorted(refs)
	args["partition"], args["offset"] = fmt.Sprint(first.rec.Partition), fmt.Sprint(first.rec.Offset)
	args["attribute"], args["ref"], args["detail"] = strings.ToLower(first.attr), first.ref.String(), first.detail
	return args
}

func joinSorted(m map[string]bool) string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

func wireName(cfg registry.Config) string {
	if cfg.Kind() == registry.KindGlue {
		return "Glue schema registry"
	}
	return "Confluent (magic byte 0 and schema id)"
}

// line sums up the sample for the detail.
func (r sampleReport) line(topic string) string {
	if r.sampled == 0 {
		return fmt.Sprintf("no record sampled from %s (the topic is empty, or poll did not run): the schemas records use were not checked", topic)
	}
	fetched := "none"
	if len(r.fetched) > 0 {
		fetched = strings.Join(r.fetched, ", ")
	}
	line := fmt.Sprintf("%d record(s) sampled from %s, read-only; they reference %d schema(s); fetched: %s; %d unknown, %d not decoding, %d without the header",
		r.sampled, topic, len(r.refs), fetched, len(r.unknown), len(r.mismatch), len(r.noHeader))
	if r.beyond > 0 {
		line += fmt.Sprintf("; %d attribute(s) not checked: their schemas were beyond the first %d", r.beyond, maxSchemas)
	}
	return line
}
