package registry

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
)

// maxIndexes bounds the message-index path a record may claim.
const maxIndexes = 32

// decodeProtobuf decodes a Confluent-framed Protobuf payload: the
// message-index path (zigzag varints: a count, then the indexes; a single
// 0 means [0], the file's first message) names the message type in the
// schema, and the rest must parse as that message.
//
// Neither protocompile nor the protobuf runtime's descriptors are used:
// their package initialisation (building the standard imports'
// descriptors) cost every esmdoctor invocation about 2.6 ms for this one
// rarely used path. The schema text is read with emicklei/proto (a parser
// with no runtime) into the few facts decoding needs (protoschema.go), and
// the record is walked with protowire by a validator that accepts and
// refuses what protobuf's own parsers do (protodecode.go,
// protorequired.go). The schema is read from its own text only: an import
// other than Google's well-known types is an error, never a file read.
func decodeProtobuf(ctx context.Context, text string, payload []byte) error {
	path, rest, err := messageIndexes(payload)
	if err != nil {
		return &MismatchError{Type: "PROTOBUF", Err: err}
	}
	if err := ctx.Err(); err != nil { // as protocompile's Compile did
		return &SchemaError{Type: "PROTOBUF", Err: err}
	}
	top, err := compileSchema(text)
	if errors.Is(err, errEdition) {
		// A schema esmdoctor's reader lacks, not a Glue record: the
		// registry check reports it as a schema it cannot parse.
		return &SchemaError{Type: "PROTOBUF", Err: fmt.Errorf("%w: %w", ErrUnsupported, err)}
	}
	if err != nil {
		return &SchemaError{Type: "PROTOBUF", Err: err}
	}
	m, err := messageAt(top, path)
	if err != nil {
		return &MismatchError{Type: "PROTOBUF", Err: err}
	}
	if err := validate(m, rest, recursionLimit); err != nil {
		return &MismatchError{Type: "PROTOBUF", Err: fmt.Errorf("as %s: %w", m.name, err)}
	}
	if err := checkRequired(m, rest); err != nil {
		return &MismatchError{Type: "PROTOBUF", Err: fmt.Errorf("as %s: %w", m.name, err)}
	}
	return nil
}

// compileSchema reads the schema text and the well-known-type files it
// imports, resolves every field type and returns the file's top-level
// messages.
func compileSchema(text string) ([]*msgType, error) {
	s := newSchema()
	top, imports, err := s.addFile(text)
	if err != nil {
		return nil, err
	}
	if err := s.addImports(imports, map[string]bool{}); err != nil {
		return nil, err
	}
	if err := s.resolve(); err != nil {
		return nil, err
	}
	s.markRequired()
	return top, nil
}

// addImports reads the imported well-known-type files (and theirs), each
// once; any other import is an error.
func (s *schema) addImports(imports []string, seen map[string]bool) error {
	for _, name := range imports {
		text, ok := wellKnown[name]
		if !ok {
			return fmt.Errorf("import %q: only Google's well-known types may be imported", name)
		}
		if seen[name] || text == "" {
			continue
		}
		seen[name] = true
		_, more, err := s.addFile(text)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := s.addImports(more, seen); err != nil {
			return err
		}
	}
	return nil
}

// messageIndexes reads Confluent's message-index path.
func messageIndexes(b []byte) ([]int, []byte, error) {
	n, w := binary.Varint(b)
	if w <= 0 {
		return nil, nil, errors.New("no message-index path after the schema id")
	}
	b = b[w:]
	if n == 0 {
		return []int{0}, b, nil
	}
	if n < 0 || n > maxIndexes {
		return nil, nil, fmt.Errorf("a message-index path of %d entries", n)
	}
	path := make([]int, 0, n)
	for range n {
		i, w := binary.Varint(b)
		if w <= 0 || i < 0 {
			return nil, nil, errors.New("a malformed message-index path")
		}
		path = append(path, int(i))
		b = b[w:]
	}
	return path, b, nil
}

// messageAt walks the message-index path through nested messages.
func messageAt(ms []*msgType, path []int) (*msgType, error) {
	var m *msgType
	for depth, i := range path {
		if i >= len(ms) {
			return nil, fmt.Errorf("message index %d (depth %d): the schema has %d message(s) there", i, depth, len(ms))
		}
		m = ms[i]
		ms = m.nested
	}
	return m, nil
}
