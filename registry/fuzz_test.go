package registry

import (
	"context"
	"testing"
	"time"
)

// FuzzDecodeRecord feeds hostile record bytes (a broker's, read by the
// poll check) through the header parser and every decoder: nothing may
// panic, and a decode ends quickly (the decoders bound allocation and
// recursion).
func FuzzDecodeRecord(f *testing.F) {
	for _, seed := range [][]byte{
		{0, 0, 0, 0, 1, 0x0e, 0x08, 'b', 'o', 'o', 'k'},
		{0, 0, 0, 0, 2, '{', '"', 'i', 'd', '"', ':', '1', '}'},
		{0, 0, 0, 0, 3, 0, 8, 1, 0x12, 4, 'b', 'o', 'o', 'k'},
		{0, 0, 0, 0, 3, 4, 0, 0},
		{3, 5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0x78, 0x9c},
		{0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0x0f},
	} {
		f.Add(seed)
	}
	schemas := []Schema{
		{Type: "AVRO", Text: `{"type":"record","name":"Order","fields":[{"name":"id","type":"long"},{"name":"item","type":"string"},{"name":"tags","type":{"type":"array","items":"string"}},{"name":"m","type":{"type":"map","values":"bytes"}}]}`},
		{Type: "JSON", Text: `{"type":"object","required":["id"],"properties":{"id":{"type":"integer"}}}`},
		{Type: "PROTOBUF", Text: `syntax = "proto3"; message Order { int64 id = 1; string item = 2; repeated Order kids = 3; message Line { bytes b = 1; } }`},
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ref, payload := Parse(data)
		if ref.Wire == WireGlue && ref.Compression == GlueZlib {
			if inflated, err := Inflate(payload); err == nil {
				payload = inflated
			}
		}
		for _, s := range schemas {
			start := time.Now()
			_ = Decode(context.Background(), WireConfluent, s, payload)
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("%s decode of %d bytes took %s", s.Type, len(payload), d)
			}
		}
	})
}
