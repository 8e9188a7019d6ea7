package registry

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/bufbuild/protocompile"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"
)

// maxIndexes bounds the message-index path a record may claim.
const maxIndexes = 32

// schemaFile is the name the registry's schema text compiles under.
const schemaFile = "registry-schema.proto"

// decodeProtobuf decodes a Confluent-framed Protobuf payload: the
// message-index path (zigzag varints: a count, then the indexes; a single
// 0 means [0], the file's first message) names the message type in the
// schema, and the rest must unmarshal as that message. The schema compiles
// from its own text only: an import other than Google's well-known types
// is an error, never a file read.
func decodeProtobuf(ctx context.Context, text string, payload []byte) error {
	path, rest, err := messageIndexes(payload)
	if err != nil {
		return &MismatchError{Type: "PROTOBUF", Err: err}
	}
	c := protocompile.Compiler{Resolver: protocompile.WithStandardImports(&protocompile.SourceResolver{
		Accessor: protocompile.SourceAccessorFromMap(map[string]string{schemaFile: text})})}
	files, err := c.Compile(ctx, schemaFile)
	if err != nil {
		return &SchemaError{Type: "PROTOBUF", Err: err}
	}
	md, err := messageAt(files[0].Messages(), path)
	if err != nil {
		return &MismatchError{Type: "PROTOBUF", Err: err}
	}
	msg := dynamicpb.NewMessage(md)
	if err := (proto.UnmarshalOptions{RecursionLimit: 100}).Unmarshal(rest, msg); err != nil {
		return &MismatchError{Type: "PROTOBUF", Err: fmt.Errorf("as %s: %w", md.FullName(), err)}
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
func messageAt(ms protoreflect.MessageDescriptors, path []int) (protoreflect.MessageDescriptor, error) {
	var md protoreflect.MessageDescriptor
	for depth, i := range path {
		if i >= ms.Len() {
			return nil, fmt.Errorf("message index %d (depth %d): the schema has %d message(s) there", i, depth, ms.Len())
		}
		md = ms.Get(i)
		ms = md.Messages()
	}
	return md, nil
}
