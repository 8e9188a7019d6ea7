package registry

// wellKnown holds, for each of Google's well-known-type files a schema may
// import, the fields of its messages (enough to decode them: names,
// numbers and types; options, comments and enum values left out). A field
// of such a type is decoded and checked like the schema's own messages:
// its strings must be valid UTF-8 (these files are proto3) and nested
// messages (Struct's Values, Any's bytes excepted) are walked.
//
// descriptor.proto and the compiler and feature files may be imported
// (for custom options) but their types are not defined here: a field of
// one of them is a SchemaError. Any other import is a SchemaError too: a
// schema never makes esmdoctor read a file.
var wellKnown = map[string]string{
	"google/protobuf/any.proto":       wktHeader + `message Any { string type_url = 1; bytes value = 2; }`,
	"google/protobuf/duration.proto":  wktHeader + `message Duration { int64 seconds = 1; int32 nanos = 2; }`,
	"google/protobuf/timestamp.proto": wktHeader + `message Timestamp { int64 seconds = 1; int32 nanos = 2; }`,
	"google/protobuf/empty.proto":     wktHeader + `message Empty {}`,
	"google/protobuf/field_mask.proto": wktHeader +
		`message FieldMask { repeated string paths = 1; }`,
	"google/protobuf/source_context.proto": wktHeader +
		`message SourceContext { string file_name = 1; }`,
	"google/protobuf/struct.proto": wktHeader + `
		message Struct { map<string, Value> fields = 1; }
		message Value { oneof kind { NullValue null_value = 1; double number_value = 2; string string_value = 3;
			bool bool_value = 4; Struct struct_value = 5; ListValue list_value = 6; } }
		enum NullValue { NULL_VALUE = 0; }
		message ListValue { repeated Value values = 1; }`,
	"google/protobuf/wrappers.proto": wktHeader + `
		message DoubleValue { double value = 1; }  message FloatValue { float value = 1; }
		message Int64Value { int64 value = 1; }    message UInt64Value { uint64 value = 1; }
		message Int32Value { int32 value = 1; }    message UInt32Value { uint32 value = 1; }
		message BoolValue { bool value = 1; }      message StringValue { string value = 1; }
		message BytesValue { bytes value = 1; }`,
	"google/protobuf/type.proto": wktHeader + `
		import "google/protobuf/any.proto"; import "google/protobuf/source_context.proto";
		message Type { string name = 1; repeated Field fields = 2; repeated string oneofs = 3;
			repeated Option options = 4; SourceContext source_context = 5; Syntax syntax = 6; string edition = 7; }
		message Field { enum Kind { TYPE_UNKNOWN = 0; } enum Cardinality { CARDINALITY_UNKNOWN = 0; }
			Kind kind = 1; Cardinality cardinality = 2; int32 number = 3; string name = 4; string type_url = 6;
			int32 oneof_index = 7; bool packed = 8; repeated Option options = 9; string json_name = 10;
			string default_value = 11; }
		message Enum { string name = 1; repeated EnumValue enumvalue = 2; repeated Option options = 3;
			SourceContext source_context = 4; Syntax syntax = 5; string edition = 6; }
		message EnumValue { string name = 1; int32 number = 2; repeated Option options = 3; }
		message Option { string name = 1; Any value = 2; }
		enum Syntax { SYNTAX_PROTO2 = 0; }`,
	"google/protobuf/api.proto": wktHeader + `
		import "google/protobuf/source_context.proto"; import "google/protobuf/type.proto";
		message Api { string name = 1; repeated Method methods = 2; repeated Option options = 3; string version = 4;
			SourceContext source_context = 5; repeated Mixin mixins = 6; Syntax syntax = 7; }
		message Method { string name = 1; string request_type_url = 2; bool request_streaming = 3;
			string response_type_url = 4; bool response_streaming = 5; repeated Option options = 6; Syntax syntax = 7; }
		message Mixin { string name = 1; string root = 2; }`,
	"google/protobuf/descriptor.proto":      "",
	"google/protobuf/compiler/plugin.proto": "",
	"google/protobuf/go_features.proto":     "",
	"google/protobuf/cpp_features.proto":    "",
	"google/protobuf/java_features.proto":   "",
}

const wktHeader = `syntax = "proto3"; package google.protobuf; `
