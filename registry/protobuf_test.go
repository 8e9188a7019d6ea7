package registry

import (
	"context"
	"errors"
	"testing"

	"github.com/bufbuild/protocompile"
	"github.com/bufbuild/protocompile/protoutil"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/dynamicpb"
)

// proto3Schema exercises proto3 decoding: scalars, packed repeated,
// maps, oneofs, nested and recursive messages, enums and the well-known
// types.
const proto3Schema = `syntax = "proto3";
package t;
import "google/protobuf/timestamp.proto"; import "google/protobuf/struct.proto";
import "google/protobuf/any.proto"; import "google/protobuf/wrappers.proto";
import "google/protobuf/duration.proto"; import "google/protobuf/empty.proto";
import "google/protobuf/field_mask.proto";
message Order {
  int64 id = 1; string item = 2; repeated int32 qty = 3; repeated string tags = 4;
  map<string, Line> lines = 5; oneof pay { string card = 6; Line voucher = 7; }
  Status status = 8; optional sint32 delta = 9; fixed64 f64 = 10; float price = 11;
  google.protobuf.Timestamp at = 12; google.protobuf.Struct meta = 13; google.protobuf.Any extra = 14;
  google.protobuf.StringValue note = 15; google.protobuf.Duration ttl = 16;
  google.protobuf.Empty none = 17; google.protobuf.FieldMask mask = 18;
  repeated Line items = 19; map<int32, string> names = 20; bytes raw = 21; repeated double ds = 22;
  message Line { string sku = 1; Order parent = 2; }
  enum Status { NEW = 0; PAID = 1; }
}
message Other { bool flag = 1; }`

// proto2Schema exercises proto2 required fields (merged, cleared by a
// oneof, replaced in a map), groups and packed or unpacked repeated fields.
const proto2Schema = `syntax = "proto2";
package t2;
message Req {
  required int32 id = 1; optional string name = 2; optional Sub sub = 3; repeated Sub subs = 4;
  map<string, Sub> by_name = 5; oneof choice { Sub a = 6; Sub b = 7; int32 c = 8; }
  optional group Grp = 9 { required int32 x = 1; }
  repeated int32 nums = 11 [packed = true]; repeated fixed32 plain = 12;
  message Sub { required string key = 1; optional Sub next = 2; }
  repeated group Rg = 13 { optional string s = 1; required Sub sub = 2; }
  oneof other { group Og = 14 { required int32 y = 1; } int32 z = 15; }
}`

// Wire-building helpers: a field of each wire type.
func tv(num protowire.Number, v uint64) []byte {
	return protowire.AppendVarint(protowire.AppendTag(nil, num, protowire.VarintType), v)
}
func tb(num protowire.Number, parts ...[]byte) []byte {
	var v []byte
	for _, p := range parts {
		v = append(v, p...)
	}
	return protowire.AppendBytes(protowire.AppendTag(nil, num, protowire.BytesType), v)
}
func ts(num protowire.Number, s string) []byte { return tb(num, []byte(s)) }
func tf64(num protowire.Number, v uint64) []byte {
	return protowire.AppendFixed64(protowire.AppendTag(nil, num, protowire.Fixed64Type), v)
}
func tf32(num protowire.Number, v uint32) []byte {
	return protowire.AppendFixed32(protowire.AppendTag(nil, num, protowire.Fixed32Type), v)
}
func tg(num protowire.Number, body ...[]byte) []byte {
	b := protowire.AppendTag(nil, num, protowire.StartGroupType)
	for _, p := range body {
		b = append(b, p...)
	}
	return protowire.AppendTag(b, num, protowire.EndGroupType)
}
func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}
func packed(vs ...uint64) []byte {
	var b []byte
	for _, v := range vs {
		b = protowire.AppendVarint(b, v)
	}
	return b
}

// referenceDecode is what protobuf's Go runtime says of payload as the
// message at index path idx of the schema: the old decodeProtobuf.
func referenceDecode(t testing.TB, text string, idx []int, payload []byte) error {
	t.Helper()
	return unmarshalAs(referenceMessage(t, text, idx), payload)
}

// unmarshalAs is proto.Unmarshal into a dynamic message of type md, with
// the recursion limit decodeProtobuf used.
func unmarshalAs(md protoreflect.MessageDescriptor, payload []byte) error {
	return proto.UnmarshalOptions{RecursionLimit: 100}.Unmarshal(payload, dynamicpb.NewMessage(md))
}

// referenceMessage compiles text with protocompile and returns the message
// at index path idx.
func referenceMessage(t testing.TB, text string, idx []int) protoreflect.MessageDescriptor {
	t.Helper()
	c := protocompile.Compiler{Resolver: protocompile.WithStandardImports(&protocompile.SourceResolver{
		Accessor: protocompile.SourceAccessorFromMap(map[string]string{"s.proto": text})})}
	files, err := c.Compile(context.Background(), "s.proto")
	if err != nil {
		t.Fatalf("reference compile: %v", err)
	}
	// Rebuilt by protodesc from its FileDescriptorProto: the runtime's own
	// descriptors, which honour edition features (protocompile's linker
	// descriptors leave UTF-8 and LEGACY_REQUIRED unchecked in editions).
	fd, err := protodesc.NewFile(protoutil.ProtoFromFileDescriptor(files[0]), protoregistry.GlobalFiles)
	if err != nil {
		t.Fatalf("reference descriptor: %v", err)
	}
	var md protoreflect.MessageDescriptor
	for ms, i := fd.Messages(), 0; i < len(idx); i++ {
		md = ms.Get(idx[i])
		ms = md.Messages()
	}
	return md
}

// indexPath is Confluent's message-index prefix for idx.
func indexPath(idx []int) []byte {
	b := protowire.AppendVarint(nil, protowire.EncodeZigZag(int64(len(idx))))
	for _, i := range idx {
		b = protowire.AppendVarint(b, protowire.EncodeZigZag(int64(i)))
	}
	return b
}

// agree decodes payload both ways and fails unless both accept or both
// refuse (and a refusal is a MismatchError); want is the expected verdict.
func agree(t *testing.T, name, text string, idx []int, payload []byte, want bool) {
	t.Helper()
	ref := referenceDecode(t, text, idx, payload)
	got := Decode(context.Background(), WireConfluent, Schema{Type: "PROTOBUF", Text: text}, append(indexPath(idx), payload...))
	var m *MismatchError
	if got != nil && !errors.As(got, &m) {
		t.Errorf("%s: %v, want a MismatchError", name, got)
	}
	if (got == nil) != (ref == nil) {
		t.Errorf("%s: esmdoctor says %v, protobuf-go says %v", name, got, ref)
	}
	if (ref == nil) != want {
		t.Errorf("%s: protobuf-go says %v, the table expects ok=%v", name, ref, want)
	}
}

// nestOrders is n Orders nested through items -> parent (2n messages).
func nestOrders(n int) []byte {
	b := tv(1, 1)
	for range n {
		b = tb(19, tb(2, b))
	}
	return b
}

// nestMaps is n Orders nested through lines -> value -> parent (3n+1
// messages counting the map entries), the innermost holding inner.
func nestMaps(n int, inner []byte) []byte {
	b := inner
	for range n {
		b = tb(5, ts(1, "k"), tb(2, tb(2, b)))
	}
	return b
}

func TestProtobufAgreesWithRuntimeProto3(t *testing.T) {
	line := cat(ts(1, "sku"), tb(2, tv(1, 2)))
	valid := cat(tv(1, 7), ts(2, "book"), tb(3, packed(1, 2, 300)), tv(3, 4), ts(4, "a"), ts(4, "b"),
		tb(5, ts(1, "k"), tb(2, line)), ts(6, "visa"), tb(7, line), tv(8, 99), tv(9, 3), tf64(10, 1),
		tf32(11, 0x3f800000), tb(12, tv(1, 1700000000), tv(2, 5)),
		tb(13, tb(1, ts(1, "k"), tb(2, tb(5, tb(1, ts(1, "x"), tb(2, tb(6, tb(1, ts(3, "s"))))))))),
		tb(14, ts(1, "type.googleapis.com/x"), tb(2, []byte{0xff, 0xfe})), tb(15, ts(1, "n")),
		tb(16, tv(1, 3)), tb(17), tb(18, ts(1, "a.b")), tb(19, line), tb(20, tv(1, 5), ts(2, "five")),
		tb(21, []byte{0xff}), tb(22, make([]byte, 16)), tf64(22, 3))
	bad := "\xff\xfe"
	cases := []struct {
		name    string
		idx     []int
		payload []byte
		ok      bool
	}{
		{"every field", []int{0}, valid, true},
		{"empty", []int{0}, nil, true},
		{"Other", []int{1}, tv(1, 1), true},
		{"nested Line (after the two map entries)", []int{0, 2}, line, true},
		{"map entry Order.LinesEntry", []int{0, 0}, cat(ts(1, "k")), true},
		{"map entry Order.NamesEntry", []int{0, 1}, cat(ts(2, "\xff")), false},
		{"unknown fields kept", []int{0}, cat(tv(99, 1), tf32(100, 1), tg(101, tv(1, 1)), ts(102, bad)), true},
		{"id as bytes: unknown", []int{0}, ts(1, "x"), true},
		{"item as varint: unknown", []int{0}, tv(2, 1), true},
		{"voucher as fixed32: unknown", []int{0}, tf32(7, 1), true},
		{"singular id packed: unknown", []int{0}, tb(1, packed(1, 2)), true},
		{"map as varint: unknown", []int{0}, tv(5, 1), true},
		{"repeated double unpacked and packed", []int{0}, cat(tf64(22, 1), tb(22, make([]byte, 8))), true},
		{"packed doubles cut", []int{0}, tb(22, make([]byte, 12)), false},
		{"packed varints cut", []int{0}, tb(3, []byte{0x80}), false},
		{"enum out of range", []int{0}, tv(8, 1<<40), true},
		{"map entry without key or value", []int{0}, tb(5), true},
		{"truncated varint", []int{0}, []byte{0x08, 0x80}, false},
		{"truncated fixed64", []int{0}, tf64(10, 1)[:5], false},
		{"truncated length", []int{0}, ts(2, "book")[:4], false},
		{"field number 0", []int{0}, []byte{0x00, 0x01}, false},
		{"field number 2^29-1", []int{0}, tv(1<<29-1, 1), true},
		{"field number over 2^29-1", []int{0}, cat(protowire.AppendVarint(nil, uint64(1<<29)<<3), []byte{1}), false},
		{"lone end group", []int{0}, protowire.AppendTag(nil, 50, protowire.EndGroupType), false},
		{"unclosed group", []int{0}, protowire.AppendTag(nil, 50, protowire.StartGroupType), false},
		{"mismatched end group", []int{0}, cat(protowire.AppendTag(nil, 50, protowire.StartGroupType), protowire.AppendTag(nil, 51, protowire.EndGroupType)), false},
		{"wire type 6", []int{0}, []byte{0x0e, 0}, false},
		{"invalid UTF-8 item", []int{0}, ts(2, bad), false},
		{"invalid UTF-8 repeated", []int{0}, ts(4, bad), false},
		{"invalid UTF-8 map key", []int{0}, tb(20, ts(2, bad)), false},
		{"invalid UTF-8 nested", []int{0}, tb(19, ts(1, bad)), false},
		{"invalid UTF-8 Struct key", []int{0}, tb(13, tb(1, ts(1, bad))), false},
		{"invalid UTF-8 Value", []int{0}, tb(13, tb(1, tb(2, ts(3, bad)))), false},
		{"invalid UTF-8 StringValue", []int{0}, tb(15, ts(1, bad)), false},
		{"invalid UTF-8 FieldMask", []int{0}, tb(18, ts(1, bad)), false},
		{"invalid UTF-8 Any url", []int{0}, tb(14, ts(1, bad)), false},
		{"bytes need no UTF-8", []int{0}, tb(21, []byte(bad)), true},
		{"Timestamp truncated", []int{0}, tb(12, []byte{0x08}), false},
		{"Empty with unknown fields", []int{0}, tb(17, tv(3, 1)), true},
		{"49 levels", []int{0}, nestOrders(49), true},
		{"50 levels (101 messages)", []int{0}, nestOrders(50), false},
		{"maps: 100 messages", []int{0}, nestMaps(33, nil), true},
		{"maps: an entry at level 101", []int{0}, nestMaps(33, tb(20, tv(1, 1))), false},
		{"maps: an unknown-typed map at level 101", []int{0}, nestMaps(33, tv(20, 1)), false},
		{"maps: an unknown field at level 101", []int{0}, nestMaps(33, tb(99)), true},
	}
	for _, c := range cases {
		agree(t, c.name, proto3Schema, c.idx, c.payload, c.ok)
	}
}

func TestProtobufAgreesWithRuntimeProto2(t *testing.T) {
	sub := ts(1, "k")
	cases := []struct {
		name    string
		payload []byte
		ok      bool
	}{
		{"id only", tv(1, 1), true},
		{"every field", cat(tv(1, 1), ts(2, "n"), tb(3, sub), tb(4, sub), tb(5, ts(1, "x"), tb(2, sub)),
			tb(6, sub), tg(9, tv(1, 1)), tb(11, packed(1, 2)), tv(11, 3), tf32(12, 1), tb(12, make([]byte, 8))), true},
		{"id missing", ts(2, "n"), false},
		{"id as bytes: unknown, so missing", ts(1, "n"), false},
		{"invalid UTF-8 in a proto2 string", cat(tv(1, 1), ts(2, "\xff")), true},
		{"sub without key", cat(tv(1, 1), tb(3)), false},
		{"sub merged from two halves", cat(tv(1, 1), tb(3, tb(2, sub)), tb(3, sub)), true},
		{"sub.next without key", cat(tv(1, 1), tb(3, sub, tb(2))), false},
		{"subs element without key", cat(tv(1, 1), tb(4, sub), tb(4)), false},
		{"map value without key", cat(tv(1, 1), tb(5, ts(1, "x"), tb(2))), false},
		{"map entry without value", cat(tv(1, 1), tb(5, ts(1, "x"))), false},
		{"map key replaced by a complete value", cat(tv(1, 1), tb(5, ts(1, "x"), tb(2)), tb(5, ts(1, "x"), tb(2, sub))), true},
		{"map value merged within an entry", cat(tv(1, 1), tb(5, tb(2, tb(2, sub)), tb(2, sub))), true},
		{"oneof member replaced by a scalar", cat(tv(1, 1), tb(6), tv(8, 1)), true},
		{"oneof member replaced by another", cat(tv(1, 1), tb(6), tb(7, sub)), true},
		{"oneof member set after another", cat(tv(1, 1), tb(7, sub), tb(6)), false},
		{"oneof member merged again", cat(tv(1, 1), tb(6), tb(6, sub)), true},
		{"oneof member reset by another", cat(tv(1, 1), tb(6, sub), tv(8, 1), tb(6)), false},
		{"group without x", cat(tv(1, 1), tg(9)), false},
		{"group as bytes: unknown", cat(tv(1, 1), tb(9)), true},
		{"group unclosed", cat(tv(1, 1), protowire.AppendTag(nil, 9, protowire.StartGroupType)), false},
		{"packed field unpacked", cat(tv(1, 1), tv(11, 1)), true},
		{"unpacked field packed", cat(tv(1, 1), tb(12, make([]byte, 4))), true},
		{"packed fixed32 cut", cat(tv(1, 1), tb(12, make([]byte, 5))), false},
		{"repeated group", cat(tv(1, 1), tg(13, ts(1, "\xff"), tb(2, sub)), tg(13, tb(2, sub))), true},
		{"repeated group element without sub", cat(tv(1, 1), tg(13, tb(2, sub)), tg(13)), false},
		{"group in a oneof without y", cat(tv(1, 1), tg(14)), false},
		{"group in a oneof replaced", cat(tv(1, 1), tg(14), tv(15, 1)), true},
		{"group in a oneof merged", cat(tv(1, 1), tg(14), tg(14, tv(1, 2))), true},
		{"group end of another number", cat(tv(1, 1), protowire.AppendTag(nil, 14, protowire.StartGroupType), protowire.AppendTag(nil, 13, protowire.EndGroupType)), false},
	}
	for _, c := range cases {
		agree(t, c.name, proto2Schema, []int{0}, c.payload, c.ok)
	}
	agree(t, "Sub alone without key", proto2Schema, []int{0, 2}, tv(2, 1), false)
	agree(t, "group type as a message", proto2Schema, []int{0, 1}, tv(1, 1), true)
	agree(t, "map entry type", proto2Schema, []int{0, 0}, ts(1, "x"), true)
	agree(t, "repeated group type", proto2Schema, []int{0, 3}, ts(1, "x"), false)
	agree(t, "oneof group type", proto2Schema, []int{0, 4}, tv(1, 1), true)
}
