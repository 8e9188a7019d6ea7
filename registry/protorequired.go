package registry

import (
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
)

// presence is what parsing a message leaves set, following protobuf's
// merge rules: a singular message field seen several times is one merged
// message (its occurrences concatenated parse as that merge), setting one
// member of a oneof clears the others, a map keeps the last entry for a
// key, and each element of a repeated message field stands alone. (Java's
// DynamicMessage keeps every map entry, so there an entry replaced by a
// later one of the same key is still checked: Go's rule is followed here.)
type presence struct {
	set     map[int32]bool
	merged  map[int32][]byte
	oneof   map[int]int32
	entries map[int32]map[mapKey][]byte
	elems   []fieldValue
}

// fieldValue is one value of a message-typed field.
type fieldValue struct {
	f *field
	v []byte
}

// mapKey is a map entry's key as the map compares it.
type mapKey struct {
	n uint64
	s string
}

// checkRequired reports a proto2 required field missing from the message
// b encodes or from any message set in it, as proto.Unmarshal's final
// check does. b must have passed validate: it is well formed.
func checkRequired(m *msgType, b []byte) error {
	if !m.needsRequired {
		return nil
	}
	p := presence{set: map[int32]bool{}, merged: map[int32][]byte{}, oneof: map[int]int32{},
		entries: map[int32]map[mapKey][]byte{}}
	for len(b) > 0 {
		num, wt, n := protowire.ConsumeTag(b)
		used := protowire.ConsumeFieldValue(num, wt, b[n:])
		value := b[n : n+used]
		b = b[n+used:]
		if f := m.fields[int32(num)]; f != nil && f.accepts(wt) {
			p.add(f, wt, value)
		}
	}
	for _, f := range m.required {
		if !p.set[f.num] {
			return fmt.Errorf("%s: the required field %s (%d) is missing", m.name, f.name, f.num)
		}
	}
	return p.checkMessages(m)
}

// add records one value of f (wt and value as read from the wire).
func (p *presence) add(f *field, wt protowire.Type, value []byte) {
	if f.oneof != 0 {
		if prev := p.oneof[f.oneof]; prev != 0 && prev != f.num {
			delete(p.set, prev)
			delete(p.merged, prev)
		}
		p.oneof[f.oneof] = f.num
	}
	p.set[f.num] = true
	if f.msg == nil {
		return
	}
	v := messageBytes(f, wt, value)
	switch {
	case f.isMap:
		if p.entries[f.num] == nil {
			p.entries[f.num] = map[mapKey][]byte{}
		}
		if f.msg.fields[2].msg != nil {
			// A map entry starts from an empty message value (so a
			// missing value is an empty one): an empty value field first.
			v = append([]byte{2<<3 | byte(protowire.BytesType), 0}, v...)
		}
		p.entries[f.num][entryKey(f.msg, v)] = v
	case f.repeated:
		p.elems = append(p.elems, fieldValue{f, v})
	default:
		p.merged[f.num] = append(p.merged[f.num], v...)
	}
}

// checkMessages runs checkRequired on every message left set.
func (p *presence) checkMessages(m *msgType) error {
	for num, v := range p.merged {
		p.elems = append(p.elems, fieldValue{m.fields[num], v})
	}
	for num, entries := range p.entries {
		for _, v := range entries {
			p.elems = append(p.elems, fieldValue{m.fields[num], v})
		}
	}
	for _, e := range p.elems {
		if err := checkRequired(e.f.msg, e.v); err != nil {
			return err
		}
	}
	return nil
}

// messageBytes is a message value's encoding without its length prefix or
// group tags.
func messageBytes(f *field, wt protowire.Type, value []byte) []byte {
	if wt == protowire.StartGroupType {
		v, _ := protowire.ConsumeGroup(protowire.Number(f.num), value)
		return v
	}
	v, _ := protowire.ConsumeBytes(value)
	return v
}

// entryKey is the key of the map entry encoded in b: the last key field
// written with the key's wire type, or the zero key when there is none.
func entryKey(entry *msgType, b []byte) mapKey {
	key, k := mapKey{}, entry.fields[1]
	for len(b) > 0 {
		num, wt, n := protowire.ConsumeTag(b)
		used := protowire.ConsumeFieldValue(num, wt, b[n:])
		if num == 1 && k.accepts(wt) {
			key = keyValue(k.kind, b[n:n+used])
		}
		b = b[n+used:]
	}
	return key
}

// keyValue decodes a map key so that keys the map holds as equal compare
// equal (an int32 key keeps the low 32 bits of its varint, a bool is 0 or 1).
func keyValue(k kind, v []byte) mapKey {
	switch k {
	case kindString:
		s, _ := protowire.ConsumeBytes(v)
		return mapKey{s: string(s)}
	case kindFixed32:
		n, _ := protowire.ConsumeFixed32(v)
		return mapKey{n: uint64(n)}
	case kindFixed64:
		n, _ := protowire.ConsumeFixed64(v)
		return mapKey{n: n}
	}
	n, _ := protowire.ConsumeVarint(v)
	switch k {
	case kindVarint32, kindSint32:
		return mapKey{n: n & 0xffffffff}
	case kindBool:
		return mapKey{n: uint64(protowire.EncodeBool(protowire.DecodeBool(n)))}
	}
	return mapKey{n: n}
}
