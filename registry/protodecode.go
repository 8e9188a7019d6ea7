package registry

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"
)

// recursionLimit is how deep messages may nest in a record, as protobuf
// Go's default (proto.UnmarshalOptions.RecursionLimit); a map field counts
// one level for its entry, as there. (Java's CodedInputStream does not
// count the outermost message: it accepts one level more.)
const recursionLimit = 100

var (
	errWire      = errors.New("invalid wire-format data")
	errRecursion = errors.New("messages nested deeper than 100 levels")
)

// validate walks b as a message of type m the way protobuf's parsers do
// (Go's proto.Unmarshal into a dynamic message, Java's
// DynamicMessage.parseFrom): malformed wire data, invalid UTF-8 in a
// proto3 string and nesting past the limit are errors; a value whose wire
// type is not its field's is kept as an unknown field, not an error; every
// occurrence of a message field is checked on its own. limit is what is
// left of the recursion limit before entering m.
func validate(m *msgType, b []byte, limit int) error {
	if limit--; limit < 0 {
		return errRecursion
	}
	for len(b) > 0 {
		num, wt, n := protowire.ConsumeTag(b)
		if n < 0 || num > protowire.MaxValidNumber {
			return fmt.Errorf("%s: a bad field tag: %w", m.name, errWire)
		}
		b = b[n:]
		used := -1
		if f := m.fields[int32(num)]; f != nil {
			var err error
			if used, err = f.consume(b, wt, limit); err != nil {
				return fmt.Errorf("%s.%s: %w", m.name, f.name, err)
			}
		}
		if used < 0 { // not a field of m, or not its wire type: unknown
			if used = protowire.ConsumeFieldValue(num, wt, b); used < 0 {
				return fmt.Errorf("%s: field %d: %w", m.name, num, errWire)
			}
		}
		b = b[used:]
	}
	return nil
}

// consume reads one value of f (wire type wt) at the start of b and
// returns its length, or -1 for a value that is an unknown field.
func (f *field) consume(b []byte, wt protowire.Type, limit int) (int, error) {
	if f.isMap && limit-1 < 0 {
		// Go counts the map entry before it looks at the wire type.
		return 0, errRecursion
	}
	switch {
	case !f.accepts(wt):
		return -1, nil
	case f.kind == kindGroup:
		v, n := protowire.ConsumeGroup(protowire.Number(f.num), b)
		if n < 0 {
			return 0, errWire
		}
		return n, validate(f.msg, v, limit)
	case wt == protowire.BytesType && f.packable():
		return consumePacked(b, f.wireType())
	}
	return f.consumeOne(b, wt, limit)
}

// consumeOne reads one value written with the field's own wire type.
func (f *field) consumeOne(b []byte, wt protowire.Type, limit int) (int, error) {
	if wt != protowire.BytesType {
		n := consumeScalar(b, wt)
		if n < 0 {
			return 0, errWire
		}
		return n, nil
	}
	v, n := protowire.ConsumeBytes(b)
	switch {
	case n < 0:
		return 0, errWire
	case f.kind == kindMessage:
		return n, validate(f.msg, v, limit)
	case f.kind == kindString && f.utf8 && !utf8.Valid(v):
		return 0, errors.New("a string that is not valid UTF-8")
	}
	return n, nil
}

// consumePacked reads a packed run of scalars of wire type wt.
func consumePacked(b []byte, wt protowire.Type) (int, error) {
	run, n := protowire.ConsumeBytes(b)
	if n < 0 {
		return 0, errWire
	}
	for len(run) > 0 {
		m := consumeScalar(run, wt)
		if m < 0 {
			return 0, fmt.Errorf("a packed run: %w", errWire)
		}
		run = run[m:]
	}
	return n, nil
}

// consumeScalar is the length of the varint or fixed-size value at the
// start of b, negative when b is too short or the varint overlong.
func consumeScalar(b []byte, wt protowire.Type) int {
	switch wt {
	case protowire.Fixed32Type:
		_, n := protowire.ConsumeFixed32(b)
		return n
	case protowire.Fixed64Type:
		_, n := protowire.ConsumeFixed64(b)
		return n
	}
	_, n := protowire.ConsumeVarint(b)
	return n
}
