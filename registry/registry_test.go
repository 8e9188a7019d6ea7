package registry

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hamba/avro/v2"
	"google.golang.org/protobuf/encoding/protowire"
)

func TestParseWire(t *testing.T) {
	ref, rest := Parse([]byte{0, 0, 0, 1, 2, 'x'})
	if ref.Wire != WireConfluent || ref.ID != 258 || string(rest) != "x" || ref.String() != "schema id 258" {
		t.Errorf("confluent: %+v %q", ref, rest)
	}
	glue := append([]byte{3, 0}, bytes.Repeat([]byte{0xab}, 16)...)
	ref, rest = Parse(append(glue, 'y'))
	if ref.Wire != WireGlue || ref.VersionID != "abababab-abab-abab-abab-abababababab" || string(rest) != "y" {
		t.Errorf("glue: %+v %q", ref, rest)
	}
	for _, b := range [][]byte{nil, {0, 1}, []byte(`{"a":1}`), {3, 9, 1, 2}} {
		if ref, rest := Parse(b); ref.Wire != WireNone || !bytes.Equal(rest, b) {
			t.Errorf("Parse(%v) = %+v", b, ref)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	ok := []Config{
		{SchemaRegistryURI: "arn:aws:glue:us-east-1:123456789012:registry/orders", EventRecordFormat: "JSON"},
		{SchemaRegistryURI: "https://sr.example.com:8081", EventRecordFormat: "SOURCE",
			AccessConfigs:           []AccessConfig{{BasicAuth, "arn:aws:secretsmanager:us-east-1:1:secret:x"}},
			SchemaValidationConfigs: []ValidationConfig{{AttrKey}, {AttrValue}}},
	}
	for _, c := range ok {
		if err := c.Validate(); err != nil {
			t.Errorf("%+v: %v", c, err)
		}
	}
	bad := map[string]Config{
		"neither":           {SchemaRegistryURI: "sr.example.com", EventRecordFormat: "JSON"},
		"EventRecordFormat": {SchemaRegistryURI: "https://sr", EventRecordFormat: "AVRO"},
		"given twice": {SchemaRegistryURI: "https://sr", EventRecordFormat: "JSON",
			AccessConfigs: []AccessConfig{{BasicAuth, "a"}, {BasicAuth, "b"}}},
		"at most 2": {SchemaRegistryURI: "https://sr", EventRecordFormat: "JSON",
			AccessConfigs: []AccessConfig{{BasicAuth, "a"}, {ServerRootCA, "b"}, {ClientCertificate, "c"}}},
		"KEY or VALUE": {SchemaRegistryURI: "https://sr", EventRecordFormat: "JSON", SchemaValidationConfigs: []ValidationConfig{{"HEADERS"}}},
	}
	for want, c := range bad {
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%+v: %v, want %q", c, err, want)
		}
	}
	if p := (Config{SchemaRegistryURI: "https://u:s3cret@sr.example.com"}).URLPassword(); p != "s3cret" {
		t.Errorf("URLPassword = %q", p)
	}
	g, ok2 := ParseGlueARN("arn:aws:glue:eu-west-1:123456789012:registry/r1")
	if !ok2 || g.Region != "eu-west-1" || g.Name != "r1" || g.SchemaARNs() != "arn:aws:glue:eu-west-1:123456789012:schema/r1/*" {
		t.Errorf("ParseGlueARN: %+v", g)
	}
}

const orderAvro = `{"type":"record","name":"Order","fields":[{"name":"id","type":"long"},{"name":"item","type":"string"}]}`

func TestDecodeAvro(t *testing.T) {
	sch := avro.MustParse(orderAvro)
	good, _ := avro.Marshal(sch, map[string]any{"id": int64(7), "item": "book"})
	s := Schema{Type: "AVRO", Text: orderAvro}
	if err := Decode(context.Background(), WireConfluent, s, good); err != nil {
		t.Errorf("good record: %v", err)
	}
	var m *MismatchError
	for _, b := range [][]byte{[]byte(`{"id":7}`), append(good, 1, 2, 3), {0x0e}} {
		if err := Decode(context.Background(), WireConfluent, s, b); !errors.As(err, &m) {
			t.Errorf("Decode(%q) = %v, want a mismatch", b, err)
		}
	}
	var se *SchemaError
	if err := Decode(context.Background(), WireConfluent, Schema{Type: "AVRO", Text: `{"type":"nope"}`}, good); !errors.As(err, &se) {
		t.Errorf("bad schema: %v", err)
	}
	if err := Decode(context.Background(), WireGlue, Schema{Type: "PROTOBUF", Text: "syntax"}, good); !errors.Is(err, ErrUnsupported) {
		t.Errorf("protobuf behind Glue's header: %v", err)
	}
}

func TestDecodeJSONSchema(t *testing.T) {
	s := Schema{Type: "JSON", Text: `{"type":"object","required":["id"],"properties":{"id":{"type":"integer"}}}`}
	if err := Decode(context.Background(), WireConfluent, s, []byte(`{"id":1}`)); err != nil {
		t.Errorf("valid: %v", err)
	}
	var m *MismatchError
	for _, b := range []string{`{"id":"x"}`, `{}`, `not json`} {
		if err := Decode(context.Background(), WireConfluent, s, []byte(b)); !errors.As(err, &m) {
			t.Errorf("Decode(%s) = %v, want a mismatch", b, err)
		}
	}
	// A $ref to a file is never followed.
	ref := Schema{Type: "JSON", Text: `{"$ref":"file:///etc/passwd"}`}
	var se *SchemaError
	if err := Decode(context.Background(), WireConfluent, ref, []byte(`{}`)); !errors.As(err, &se) {
		t.Errorf("file $ref: %v, want a schema error", err)
	}
}

func TestInflateBounded(t *testing.T) {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	_, _ = w.Write(make([]byte, MaxBody+10))
	_ = w.Close()
	if _, err := Inflate(buf.Bytes()); !errors.Is(err, ErrBodyTooLarge) {
		t.Errorf("Inflate of %d bytes: %v", MaxBody+10, err)
	}
}

func TestClient(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, _ := r.BasicAuth()
		switch {
		case u != "reader" || p != "pw":
			w.WriteHeader(401)
			_, _ = w.Write([]byte(`{"error_code":40101,"message":"Unauthorized"}`))
		case r.URL.Path == "/base/schemas/ids/1":
			_, _ = w.Write([]byte(`{"schema":"\"string\""}`))
		case r.URL.Path == "/base/schemas/ids/5":
			_, _ = w.Write([]byte(`{"schema":"\"string\"","references":[{"name":"a","subject":"s","version":1}]}`))
		case r.URL.Path == "/base/schemas/ids/2":
			_, _ = w.Write(bytes.Repeat([]byte(" "), MaxBody+1))
		case r.URL.Path == "/base/schemas/ids/3":
			http.Redirect(w, r, "http://elsewhere.invalid/", http.StatusFound)
		default:
			w.WriteHeader(404)
			_, _ = w.Write([]byte(`{"error_code":40403,"message":"Schema not found"}`))
		}
	}))
	defer srv.Close()
	base, _ := url.Parse(srv.URL + "/base/")
	ctx, budget := context.Background(), 2*time.Second
	c := NewClient(Endpoint{Base: base, Username: "reader", Password: "pw"})
	defer c.Close()
	if s, err := c.Schema(ctx, 1, budget); err != nil || s.Type != "AVRO" || s.Text != `"string"` {
		t.Errorf("schema 1: %+v %v", s, err)
	}
	if s, err := c.Schema(ctx, 5, budget); err != nil || s.References != 1 {
		t.Errorf("schema 5: %+v %v", s, err)
	}
	var st *StatusError
	if _, err := c.Schema(ctx, 9, budget); !errors.As(err, &st) || st.Status != 404 || st.ErrorCode != 40403 {
		t.Errorf("schema 9: %v", err)
	}
	if _, err := c.Schema(ctx, 2, budget); !errors.Is(err, ErrBodyTooLarge) {
		t.Errorf("schema 2: %v", err)
	}
	if _, err := c.Schema(ctx, 3, budget); !errors.As(err, &st) || st.Status != 302 {
		t.Errorf("schema 3 (redirect not followed): %v", err)
	}
	bad := NewClient(Endpoint{Base: base, Username: "reader", Password: "wrong"})
	defer bad.Close()
	if _, err := bad.Schema(ctx, 1, budget); !errors.As(err, &st) || st.Status != 401 || st.ErrorCode != 40101 {
		t.Errorf("wrong password: %v", err)
	}
	if r := Reach(ctx, Endpoint{Base: base}, budget); r.Err != nil || r.Addr == "" {
		t.Errorf("Reach: %+v", r)
	}
}

const orderProto = `syntax = "proto3";
package testbed;
import "google/protobuf/timestamp.proto";
message Order { int64 id = 1; string item = 2; google.protobuf.Timestamp at = 3; message Line { string sku = 1; } }
message Other { bool flag = 1; }`

func TestDecodeProtobuf(t *testing.T) {
	ctx := context.Background()
	s := Schema{Type: "PROTOBUF", Text: orderProto}
	order := protowire.AppendVarint(protowire.AppendTag(nil, 1, protowire.VarintType), 7)
	order = protowire.AppendString(protowire.AppendTag(order, 2, protowire.BytesType), "book")
	line := protowire.AppendString(protowire.AppendTag(nil, 1, protowire.BytesType), "sku-1")
	for name, payload := range map[string][]byte{
		"[0] as a single 0": append([]byte{0}, order...),
		"[0] spelled out":   append([]byte{2, 0}, order...), // count 1 (zigzag 2), index 0
		"nested [0,0]":      append([]byte{4, 0, 0}, line...),
		"[1]":               append([]byte{2, 2}, protowire.AppendVarint(protowire.AppendTag(nil, 1, protowire.VarintType), 1)...),
	} {
		if err := Decode(ctx, WireConfluent, s, payload); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	var m *MismatchError
	for name, payload := range map[string][]byte{
		"truncated field":    append([]byte{0}, order[:len(order)-2]...),
		"index out of range": append([]byte{2, 8}, order...),
		"no index path":      nil,
		"JSON text":          append([]byte{0}, `{"id":7}`...),
	} {
		if err := Decode(ctx, WireConfluent, s, payload); !errors.As(err, &m) {
			t.Errorf("%s: %v, want a mismatch", name, err)
		}
	}
	var se *SchemaError
	for _, text := range []string{`syntax = "proto3"; message {`, `syntax = "proto3"; import "/etc/passwd"; message A {}`} {
		if err := Decode(ctx, WireConfluent, Schema{Type: "PROTOBUF", Text: text}, []byte{0}); !errors.As(err, &se) {
			t.Errorf("schema %q: %v, want a schema error", text, err)
		}
	}
}

// A JSON schema of a draft the validator does not judge is a schema
// esmdoctor cannot read, never a record that does not match it.
func TestJSONDraftsOutsideTheValidator(t *testing.T) {
	rec := []byte(`{}`) // lacks "a": a mismatch under any draft that is judged
	for draft, wantSchemaErr := range map[string]bool{
		"http://json-schema.org/draft-04/schema#": true, "http://json-schema.org/draft-06/schema#": true,
		"https://json-schema.org/draft/2019-09/schema": true, "http://json-schema.org/draft-07/schema#": false,
		"https://json-schema.org/draft/2020-12/schema": false, "": false,
	} {
		text := `{"type":"object","required":["a"]}`
		if draft != "" {
			text = `{"$schema":"` + draft + `","type":"object","required":["a"]}`
		}
		err := decodeJSON(text, rec)
		var se *SchemaError
		var me *MismatchError
		if got := errors.As(err, &se); got != wantSchemaErr || (!wantSchemaErr && !errors.As(err, &me)) {
			t.Errorf("%q: %v (schema error %v, want %v)", draft, err, got, wantSchemaErr)
		}
	}
}
