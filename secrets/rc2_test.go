package secrets

import (
	"bytes"
	"encoding/hex"
	"testing"
)

// TestRC2Vectors checks the RFC 2268 section 5 test vectors both ways.
func TestRC2Vectors(t *testing.T) {
	tests := []struct {
		key, plain, cipher string
		bits               int
	}{
		{"0000000000000000", "0000000000000000", "ebb773f993278eff", 63},
		{"ffffffffffffffff", "ffffffffffffffff", "278b27e42e2f0d49", 64},
		{"3000000000000000", "1000000000000001", "30649edf9be7d2c2", 64},
		{"88", "0000000000000000", "61a8a244adacccf0", 64},
		{"88bca90e90875a", "0000000000000000", "6ccf4308974c267f", 64},
		{"88bca90e90875a7f0f79c384627bafb2", "0000000000000000", "1a807d272bbe5db1", 64},
		{"88bca90e90875a7f0f79c384627bafb2", "0000000000000000", "2269552ab0f85ca6", 128},
		{"88bca90e90875a7f0f79c384627bafb216f80a6f85920584c42fceb0be255daf1e", "0000000000000000", "5b78d3a43dfff1f1", 129},
	}
	for _, tt := range tests {
		key, _ := hex.DecodeString(tt.key)
		plain, _ := hex.DecodeString(tt.plain)
		want, _ := hex.DecodeString(tt.cipher)
		c, err := newRC2(key, tt.bits)
		if err != nil {
			t.Fatal(err)
		}
		got := make([]byte, 8)
		c.Encrypt(got, plain)
		if !bytes.Equal(got, want) {
			t.Errorf("encrypt key %s bits %d: got %x, want %x", tt.key, tt.bits, got, want)
		}
		c.Decrypt(got, want)
		if !bytes.Equal(got, plain) {
			t.Errorf("decrypt key %s bits %d: got %x, want %x", tt.key, tt.bits, got, plain)
		}
	}
}

func TestRC2RejectsBadKeys(t *testing.T) {
	for _, tt := range []struct{ keyLen, bits int }{{0, 64}, {129, 64}, {8, 0}, {8, 1025}} {
		if _, err := newRC2(make([]byte, tt.keyLen), tt.bits); err == nil {
			t.Errorf("newRC2(%d bytes, %d bits): want an error", tt.keyLen, tt.bits)
		}
	}
}
