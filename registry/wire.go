package registry

import (
	"encoding/binary"
	"fmt"
)

// Wire is how a record's bytes reference a schema.
type Wire int

// Wire formats.
const (
	// WireNone: the bytes carry no registry header.
	WireNone Wire = iota
	// WireConfluent: magic byte 0, then the schema id as a big-endian
	// uint32 (Confluent's serializers; Apicurio's ccompat mode).
	WireConfluent
	// WireGlue: header version 3, a compression byte (0 none, 5 zlib), then
	// the schema version id as a 16-byte UUID (AWS Glue serializers).
	WireGlue
)

// Wire header sizes and markers.
const (
	confluentMagic    = 0x00
	confluentHeader   = 5
	glueHeaderVersion = 0x03
	glueHeader        = 18
	// GlueUncompressed and GlueZlib are the Glue header's compression bytes.
	GlueUncompressed = 0x00
	GlueZlib         = 0x05
)

// Ref is the schema reference a record's key or value starts with.
type Ref struct {
	Wire Wire
	// ID is the Confluent schema id.
	ID uint32
	// VersionID is the Glue schema version id (a UUID).
	VersionID string
	// Compression is the Glue header's compression byte.
	Compression byte
}

// String names the reference for a report line.
func (r Ref) String() string {
	switch r.Wire {
	case WireConfluent:
		return fmt.Sprintf("schema id %d", r.ID)
	case WireGlue:
		return "Glue schema version " + r.VersionID
	}
	return "no schema reference"
}

// Parse reads the schema reference at the start of b and returns the
// payload after it. A record that starts with neither header is WireNone
// with the whole of b as payload.
func Parse(b []byte) (Ref, []byte) {
	if len(b) >= glueHeader && b[0] == glueHeaderVersion && (b[1] == GlueUncompressed || b[1] == GlueZlib) {
		return Ref{Wire: WireGlue, VersionID: uuidString(b[2:18]), Compression: b[1]}, b[glueHeader:]
	}
	if len(b) >= confluentHeader && b[0] == confluentMagic {
		return Ref{Wire: WireConfluent, ID: binary.BigEndian.Uint32(b[1:5])}, b[confluentHeader:]
	}
	return Ref{}, b
}

// uuidString renders 16 bytes as a canonical UUID.
func uuidString(b []byte) string {
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
