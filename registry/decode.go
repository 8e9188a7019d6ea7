package registry

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/hamba/avro/v2"
)

// ErrUnsupported is a schema type (or wire format) esmdoctor does not
// decode: Protobuf behind Glue's header, or a type it does not know.
var ErrUnsupported = errors.New("schema type not decoded by esmdoctor")

// SchemaError is a schema the registry served that does not parse.
type SchemaError struct {
	Type string
	Err  error
}

func (e *SchemaError) Error() string { return e.Type + " schema does not parse: " + e.Err.Error() }
func (e *SchemaError) Unwrap() error { return e.Err }

// MismatchError is a payload that does not decode with its schema.
type MismatchError struct {
	Type string
	Err  error
}

func (e *MismatchError) Error() string {
	return "does not decode as its " + e.Type + " schema: " + e.Err.Error()
}
func (e *MismatchError) Unwrap() error { return e.Err }

// avroAPI bounds what an Avro decode may allocate: a hostile record cannot
// claim gigabytes with a long length prefix.
var avroAPI = avro.Config{MaxByteSliceSize: MaxBody, MaxSliceAllocSize: 1 << 16}.Freeze()

// Decode checks that payload (the bytes after the wire header) decodes
// with s: Avro binary, a JSON document valid against a JSON Schema, or
// (behind Confluent's header, which carries the message-index path) a
// Protobuf message. Other cases return ErrUnsupported.
func Decode(ctx context.Context, w Wire, s Schema, payload []byte) error {
	switch {
	case s.Type == "AVRO":
		return decodeAvro(s.Text, payload)
	case s.Type == "JSON":
		return decodeJSON(s.Text, payload)
	case s.Type == "PROTOBUF" && w == WireConfluent:
		return decodeProtobuf(ctx, s.Text, payload)
	}
	return fmt.Errorf("%s: %w", s.Type, ErrUnsupported)
}

func decodeAvro(text string, payload []byte) error {
	sch, err := avro.ParseWithCache(text, "", &avro.SchemaCache{})
	if err != nil {
		return &SchemaError{Type: "AVRO", Err: err}
	}
	// A Reader, not Unmarshal: Unmarshal reports a truncated datum as
	// success.
	r := avro.NewReader(bytes.NewReader(payload), len(payload)+1, avro.WithReaderConfig(avroAPI))
	var v any
	r.ReadVal(sch, &v)
	if r.Error != nil {
		if errors.Is(r.Error, io.EOF) {
			return &MismatchError{Type: "AVRO", Err: errors.New("the datum ends early")}
		}
		return &MismatchError{Type: "AVRO", Err: r.Error}
	}
	// A datum that re-encodes shorter than the payload leaves bytes
	// unread: it was written with another schema.
	again, err := avroAPI.Marshal(sch, v)
	if err == nil && len(again) < len(payload) {
		return &MismatchError{Type: "AVRO", Err: fmt.Errorf("%d byte(s) left after the datum", len(payload)-len(again))}
	}
	return nil
}

// jsonDrafts are the $schema values (without scheme and trailing #) the
// validator judges.
var jsonDrafts = map[string]bool{"json-schema.org/draft-07/schema": true, "json-schema.org/draft/2020-12/schema": true}

func decodeJSON(text string, payload []byte) error {
	var doc jsonschema.Schema
	if err := json.Unmarshal([]byte(text), &doc); err != nil {
		return &SchemaError{Type: "JSON", Err: err}
	}
	// Confluent's serializer also writes drafts 4, 6 and 2019-09, whose
	// rules differ (draft 4's boolean exclusiveMaximum, for one): the
	// validator refuses to judge them, and a record is not a mismatch
	// because esmdoctor cannot judge its schema.
	if d := doc.Schema; d != "" && !jsonDrafts[strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(d, "http://"), "https://"), "#")] {
		return &SchemaError{Type: "JSON", Err: fmt.Errorf("$schema %q: esmdoctor validates JSON Schema drafts 7 and 2020-12 only", d)}
	}
	// No loader: a schema's $ref never makes esmdoctor read a file or a URL.
	sch, err := doc.Resolve(&jsonschema.ResolveOptions{BaseURI: "registry:schema.json"})
	if err != nil {
		return &SchemaError{Type: "JSON", Err: err}
	}
	var inst any
	dec := json.NewDecoder(bytes.NewReader(payload))
	if err := dec.Decode(&inst); err != nil {
		return &MismatchError{Type: "JSON", Err: fmt.Errorf("not JSON: %w", err)}
	}
	if dec.More() {
		return &MismatchError{Type: "JSON", Err: errors.New("not JSON: data after the value")}
	}
	if err := sch.Validate(inst); err != nil {
		return &MismatchError{Type: "JSON", Err: err}
	}
	return nil
}

// Inflate undoes the Glue header's zlib compression, bounded by MaxBody.
func Inflate(payload []byte) ([]byte, error) {
	r, err := zlib.NewReader(bytes.NewReader(payload))
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return readBounded(r)
}
