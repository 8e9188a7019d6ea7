package secrets

import (
	"crypto/sha1"
	"unicode/utf16"
)

// bmpString encodes a password as PKCS#12 wants it: UTF-16BE (a BMPString,
// surrogate pairs for characters beyond it, as Java does) plus two zero bytes.
func bmpString(password []byte) []byte {
	units := utf16.Encode([]rune(string(password)))
	out := make([]byte, 0, 2*len(units)+2)
	for _, u := range units {
		out = append(out, byte(u>>8), byte(u))
	}
	return append(out, 0, 0)
}

// pkcs12KDF is the key derivation of RFC 7292 appendix B.2 with SHA-1.
// id is 1 for key material, 2 for an IV, 3 for a MAC key.
func pkcs12KDF(password, salt []byte, id byte, iterations, size int) []byte {
	const v = 64 // SHA-1 block size in bytes
	d := make([]byte, v)
	for i := range d {
		d[i] = id
	}
	ii := append(repeatTo(salt, v), repeatTo(password, v)...)
	defer clear(ii)
	var out []byte
	for {
		a := iterateSHA1(d, ii, iterations)
		out = append(out, a...)
		if len(out) >= size {
			return out[:size]
		}
		b := repeatTo(a, v)
		for j := 0; j < len(ii); j += v {
			addPlusOne(ii[j:j+v], b)
		}
	}
}

// iterateSHA1 returns H^iterations(d || i).
func iterateSHA1(d, i []byte, iterations int) []byte {
	h := sha1.New()
	h.Write(d)
	h.Write(i)
	a := h.Sum(nil)
	for n := 1; n < iterations; n++ {
		h.Reset()
		h.Write(a)
		a = h.Sum(a[:0])
	}
	return a
}

// repeatTo concatenates copies of x up to the next multiple of v bytes
// (nothing when x is empty), as RFC 7292 builds S and P.
func repeatTo(x []byte, v int) []byte {
	if len(x) == 0 {
		return nil
	}
	out := make([]byte, v*((len(x)+v-1)/v))
	for i := range out {
		out[i] = x[i%len(x)]
	}
	return out
}

// addPlusOne sets block = (block + b + 1) mod 2^(8*len(block)), big-endian.
func addPlusOne(block, b []byte) {
	carry := 1
	for i := len(block) - 1; i >= 0; i-- {
		sum := int(block[i]) + int(b[i]) + carry
		block[i] = byte(sum)
		carry = sum >> 8
	}
}
