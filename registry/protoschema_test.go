package registry

import (
	"context"
	"errors"
	"testing"

	"github.com/bufbuild/protocompile"
)

// TestProtobufSchemaAgreesWithProtocompile: the schema texts protocompile
// compiles, esmdoctor reads; those it refuses for a reason that changes
// decoding (a type or import it cannot resolve, field numbers), esmdoctor
// refuses as a SchemaError too.
func TestProtobufSchemaAgreesWithProtocompile(t *testing.T) {
	cases := []struct {
		name, text string
		ok         bool
	}{
		{"proto3", proto3Schema, true},
		{"proto2", proto2Schema, true},
		{"no syntax (proto2)", `message A { optional int32 a = 1; }`, true},
		{"options, reserved, extensions, extend, services, comments", `syntax = "proto2";
			package p.q; // a comment
			import "google/protobuf/descriptor.proto";
			option java_package = "x.y";
			extend google.protobuf.FieldOptions { optional string tag = 50000; }
			/* block */ message A { optional int32 a = 1 [default = 5, (tag) = "t", deprecated = true];
			  reserved 2, 3 to 5; reserved "b"; extensions 100 to max;
			  repeated int32 r = 6 [packed = false];
			  enum E { option allow_alias = true; X = 0; Y = 0; }
			  optional E e = 7; }
			extend A { optional int32 ext = 100; }
			service S { rpc M (A) returns (A); }`, true},
		{"qualified names", `syntax = "proto3"; package p.q;
			message A { B.C c = 1; .p.q.B b = 2; p.q.B.C c2 = 3; q.B b2 = 4; }
			message B { message C { A a = 1; } }`, true},
		{"inner scope first", `syntax = "proto3"; message A { message B {} B b = 1; } message B { int32 x = 1; }`, true},
		{"type undefined", `syntax = "proto3"; message A { B b = 1; }`, false},
		{"nested type undefined", `syntax = "proto3"; message A { A.B b = 1; }`, false},
		{"well-known type not imported", `syntax = "proto3"; message A { google.protobuf.Timestamp t = 1; }`, false},
		{"import of a file", `syntax = "proto3"; import "other.proto"; message A {}`, false},
		{"import of a non-standard google file", `syntax = "proto3"; import "google/protobuf/other.proto"; message A {}`, false},
		{"required in proto3", `syntax = "proto3"; message A { required int32 a = 1; }`, false},
		{"field number used twice", `syntax = "proto3"; message A { int32 a = 1; string b = 1; }`, false},
		{"field number 0", `syntax = "proto3"; message A { int32 a = 0; }`, false},
		{"field number reserved for protobuf", `syntax = "proto3"; message A { int32 a = 19000; }`, false},
		{"field number too large", `syntax = "proto3"; message A { int32 a = 536870912; }`, false},
		{"message defined twice", `syntax = "proto3"; message A {} message A {}`, false},
		{"unknown syntax", `syntax = "proto4"; message A {}`, false},
		{"not a schema", `{"type":"record"}`, false},
		{"unterminated", `syntax = "proto3"; message A {`, false},
	}
	for _, c := range cases {
		ref := protocompile.Compiler{Resolver: protocompile.WithStandardImports(&protocompile.SourceResolver{
			Accessor: protocompile.SourceAccessorFromMap(map[string]string{"s.proto": c.text})})}
		_, refErr := ref.Compile(context.Background(), "s.proto")
		err := Decode(context.Background(), WireConfluent, Schema{Type: "PROTOBUF", Text: c.text}, []byte{0})
		var se *SchemaError
		if got := !errors.As(err, &se); got != c.ok || (refErr == nil) != c.ok {
			t.Errorf("%s: esmdoctor says %v, protocompile says %v, want ok=%v", c.name, err, refErr, c.ok)
		}
	}
}

// editionSchemas: edition 2023 files, one whose strings are not checked
// (utf8_validation = NONE on the file, VERIFY on one field), one with the
// defaults; fields made required by LEGACY_REQUIRED, message fields written
// as groups by DELIMITED.
const editionLoose = `edition = "2023";
package e;
option features.utf8_validation = NONE;
message A {
  string loose = 1; string strict = 2 [features.utf8_validation = VERIFY];
  int32 must = 3 [features.field_presence = LEGACY_REQUIRED];
  A child = 4 [features.message_encoding = DELIMITED]; map<string, string> m = 5;
  repeated int32 r = 6; B b = 7; oneof o { string os = 8; }
  map<string, string> vm = 9 [features.utf8_validation = VERIFY];
}
message B { int32 x = 1 [features.field_presence = LEGACY_REQUIRED]; }`

const editionDefault = `edition = "2023";
message C { string s = 1; map<string, C> m = 2; C d = 3 [features.message_encoding = DELIMITED];
  repeated C ds = 4 [features.message_encoding = DELIMITED]; C plain = 5; }`

func TestProtobufEditionsAgreeWithRuntime(t *testing.T) {
	bad := "\xff"
	must := tv(3, 1)
	for _, c := range []struct {
		name, text string
		payload    []byte
		ok         bool
	}{
		{"A complete", editionLoose, cat(must, ts(1, "x"), tg(4, must), tb(7, tv(1, 1))), true},
		{"A without must", editionLoose, ts(1, "x"), false},
		{"A: invalid UTF-8, unchecked", editionLoose, cat(must, ts(1, bad), ts(8, bad), tb(5, ts(1, bad), ts(2, bad))), true},
		{"A: invalid UTF-8 where VERIFY", editionLoose, cat(must, ts(2, bad)), false},
		{"A: invalid UTF-8 in a VERIFY map", editionLoose, cat(must, tb(9, ts(1, bad))), false},
		{"A: child group without must", editionLoose, cat(must, tg(4)), false},
		{"A: child length-prefixed: unknown", editionLoose, cat(must, tb(4)), true},
		{"A: b without x", editionLoose, cat(must, tb(7)), false},
		{"C: invalid UTF-8", editionDefault, ts(1, bad), false},
		{"C: invalid UTF-8 map key", editionDefault, tb(2, ts(1, bad)), false},
		{"C: groups", editionDefault, cat(tg(3, ts(1, "x")), tg(4), tg(4, tg(3)), tb(2, ts(1, "k"), tb(2, tg(3)))), true},
		{"C: a map value as a group: unknown", editionDefault, tb(2, tg(2)), true},
		{"C: d length-prefixed: unknown", editionDefault, tb(3, ts(1, bad)), true},
		{"C: plain length-prefixed", editionDefault, tb(5, ts(1, bad)), false},
	} {
		agree(t, c.name, c.text, []int{0}, c.payload, c.ok)
	}
}

// An edition protocompile v0.14 does not compile either: not decoded.
func TestProtobufEditionNotDecoded(t *testing.T) {
	err := Decode(context.Background(), WireConfluent, Schema{Type: "PROTOBUF", Text: `edition = "2024"; message A { int32 a = 1; }`}, []byte{0})
	if !errors.Is(err, ErrUnsupported) {
		t.Errorf("edition 2024: %v, want ErrUnsupported", err)
	}
}
