package registry

import (
	"fmt"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"
)

// maxFieldNumber is the largest field number protobuf allows (2^29-1).
const maxFieldNumber = int32(protowire.MaxValidNumber)

// kind is a field's type as far as the wire format tells them apart.
type kind uint8

const (
	kindVarint   kind = iota + 1 // int64, uint64
	kindSint32                   // sint32 (zigzag; map keys compare the low 32 bits)
	kindSint64                   // sint64 (zigzag)
	kindFixed32                  // fixed32, sfixed32, float
	kindFixed64                  // fixed64, sfixed64, double
	kindBytes                    // bytes
	kindString                   // string: valid UTF-8 in proto3 files
	kindMessage                  // a message (length-delimited)
	kindGroup                    // a proto2 group (start/end-group tags)
	kindVarint32                 // int32, uint32, enums (map keys compare the low 32 bits)
	kindBool                     // bool (map keys compare != 0)
)

// scalarKinds maps protobuf's scalar type names to their kinds.
var scalarKinds = map[string]kind{
	"int32": kindVarint32, "uint32": kindVarint32, "int64": kindVarint, "uint64": kindVarint,
	"sint32": kindSint32, "sint64": kindSint64, "bool": kindBool,
	"fixed32": kindFixed32, "sfixed32": kindFixed32, "float": kindFixed32,
	"fixed64": kindFixed64, "sfixed64": kindFixed64, "double": kindFixed64,
	"bytes": kindBytes, "string": kindString,
}

// field is one field of a msgType.
type field struct {
	name     string
	num      int32
	kind     kind
	repeated bool
	required bool
	isMap    bool
	utf8     bool // a proto3 string: invalid UTF-8 is an error
	// delimited: an edition's message field written as a group.
	delimited bool
	oneof     int // the id of its oneof, 0 for none
	typeName  string
	msg       *msgType // for kindMessage and kindGroup
}

// wireType is the wire type a field's values are written with.
func (f *field) wireType() protowire.Type {
	switch f.kind {
	case kindFixed32:
		return protowire.Fixed32Type
	case kindFixed64:
		return protowire.Fixed64Type
	case kindBytes, kindString, kindMessage:
		return protowire.BytesType
	case kindGroup:
		return protowire.StartGroupType
	}
	return protowire.VarintType
}

// packable: a repeated field of this kind may also come packed (one
// length-delimited run of values), whatever the schema's packed option.
func (f *field) packable() bool {
	return f.repeated && f.wireType() != protowire.BytesType && f.kind != kindGroup
}

// accepts reports whether a value of wire type wt is this field's; any
// other wire type makes the value an unknown field, as in protobuf's own
// parsers (Go's proto.Unmarshal, Java's CodedInputStream), not an error.
func (f *field) accepts(wt protowire.Type) bool {
	return wt == f.wireType() || (wt == protowire.BytesType && f.packable())
}

// resolve gives every queued field type name its message or enum type,
// with protobuf's scoping: a relative name's first component is looked up
// from the innermost scope outwards, and the rest must follow from there.
func (s *schema) resolve() error {
	for _, r := range s.refs {
		full, ok := s.lookup(r.f.typeName, r.scope)
		switch {
		case ok && s.msgs[full] != nil:
			r.f.kind, r.f.msg = kindMessage, s.msgs[full]
			if r.f.delimited {
				r.f.kind = kindGroup
			}
		case ok && s.enums[full]:
			r.f.kind = kindVarint32
		default:
			return fmt.Errorf("field %s.%s: type %s is not defined", r.scope, r.f.name, r.f.typeName)
		}
	}
	return nil
}

// lookup finds the full name a type reference means in scope.
func (s *schema) lookup(name, scope string) (string, bool) {
	if abs, ok := strings.CutPrefix(name, "."); ok {
		return abs, s.isType(abs)
	}
	first, _, _ := strings.Cut(name, ".")
	for sc := scope; ; {
		if s.isType(join(sc, first)) || s.packages[join(sc, first)] {
			return join(sc, name), s.isType(join(sc, name))
		}
		var more bool
		if sc, more = cutLast(sc); !more {
			return "", false
		}
	}
}

func (s *schema) isType(name string) bool { return s.msgs[name] != nil || s.enums[name] }

// markRequired sets needsRequired on every type that has required fields
// or reaches one through its message fields (types may be recursive, so
// this repeats until nothing changes).
func (s *schema) markRequired() {
	for changed := true; changed; {
		changed = false
		for _, m := range s.msgs {
			if !m.needsRequired && m.reachesRequired() {
				m.needsRequired, changed = true, true
			}
		}
	}
}

func (m *msgType) reachesRequired() bool {
	if len(m.required) > 0 {
		return true
	}
	for _, f := range m.fields {
		if f.msg != nil && f.msg.needsRequired {
			return true
		}
	}
	return false
}
