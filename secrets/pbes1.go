package secrets

import (
	"crypto/cipher"
	"crypto/des"
	"crypto/md5"
	"crypto/rc4"
	"crypto/sha1"
	"hash"
)

type kdfKind int

const (
	kdfMD2    kdfKind = iota // PKCS#5 PBKDF1 with MD2: not implemented
	kdfMD5                   // PKCS#5 PBKDF1 with MD5
	kdfSHA1                  // PKCS#5 PBKDF1 with SHA-1
	kdfPKCS12                // PKCS#12 appendix B with SHA-1
)

type cipherKind int

const (
	cipherDES cipherKind = iota
	cipherDESede
	cipherRC2
	cipherRC4
)

// pbes1Scheme is one PBES1 algorithm: how to derive the key and which cipher.
type pbes1Scheme struct {
	name    string
	kdf     kdfKind
	cipher  cipherKind
	keyLen  int  // bytes
	rc2Bits int  // RC2 effective key bits
	java    bool // OpenJDK 17's SunJCE can load it (Kafka's PEM loader path)
}

// pbes1Schemes maps each PBES1 OID Lambda accepts to its scheme. The java
// column was measured with OpenJDK 17.0.15 (EncryptedPrivateKeyInfo +
// SecretKeyFactory.getInstance(algName), as Kafka's PEM key store does).
var pbes1Schemes = map[string]*pbes1Scheme{
	"1.2.840.113549.1.5.1":    {"pbeWithMD2AndDES-CBC", kdfMD2, cipherDES, 8, 0, false},
	"1.2.840.113549.1.5.3":    {"pbeWithMD5AndDES-CBC", kdfMD5, cipherDES, 8, 0, true},
	"1.2.840.113549.1.5.4":    {"pbeWithMD2AndRC2-CBC", kdfMD2, cipherRC2, 8, 64, false},
	"1.2.840.113549.1.5.6":    {"pbeWithMD5AndRC2-CBC", kdfMD5, cipherRC2, 8, 64, false},
	"1.2.840.113549.1.5.10":   {"pbeWithSHA1AndDES-CBC", kdfSHA1, cipherDES, 8, 0, false},
	"1.2.840.113549.1.5.11":   {"pbeWithSHA1AndRC2-CBC", kdfSHA1, cipherRC2, 8, 64, false},
	"1.2.840.113549.1.12.1.1": {"pbeWithSHAAnd128BitRC4", kdfPKCS12, cipherRC4, 16, 0, true},
	"1.2.840.113549.1.12.1.2": {"pbeWithSHAAnd40BitRC4", kdfPKCS12, cipherRC4, 5, 0, true},
	"1.2.840.113549.1.12.1.3": {"pbeWithSHAAnd3-KeyTripleDES-CBC", kdfPKCS12, cipherDESede, 24, 0, true},
	"1.2.840.113549.1.12.1.4": {"pbeWithSHAAnd2-KeyTripleDES-CBC", kdfPKCS12, cipherDESede, 16, 0, false},
	"1.2.840.113549.1.12.1.5": {"pbeWithSHAAnd128BitRC2-CBC", kdfPKCS12, cipherRC2, 16, 128, true},
	"1.2.840.113549.1.12.1.6": {"pbeWithSHAAnd40BitRC2-CBC", kdfPKCS12, cipherRC2, 5, 40, true},
}

// decrypt derives key and IV from password and decrypts data. A bad CBC
// padding means a wrong password.
func (s *pbes1Scheme) decrypt(password []byte, p pbeParams, data []byte) ([]byte, error) {
	key, iv := s.deriveKeyIV(password, p)
	defer clear(key)
	if s.cipher == cipherRC4 {
		c, err := rc4.NewCipher(key)
		if err != nil {
			return nil, newError(KindBadKey, fieldKey, "cannot set up RC4")
		}
		out := make([]byte, len(data))
		c.XORKeyStream(out, data)
		return out, nil
	}
	block, err := s.newBlock(key)
	if err != nil {
		return nil, newError(KindBadKey, fieldKey, "cannot set up "+s.name)
	}
	bs := block.BlockSize()
	if len(data) == 0 || len(data)%bs != 0 {
		return nil, newError(KindBadKey, fieldKey, "encrypted data is not a whole number of cipher blocks")
	}
	out := make([]byte, len(data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, data)
	plain, ok := unpad(out, bs)
	if !ok {
		clear(out)
		return nil, newError(KindWrongPassword, fieldPassword, "")
	}
	return plain, nil
}

// deriveKeyIV runs the scheme's key derivation (PBKDF1 yields 16 bytes:
// an 8-byte key then an 8-byte IV; PKCS#12 derives them separately).
func (s *pbes1Scheme) deriveKeyIV(password []byte, p pbeParams) (key, iv []byte) {
	switch s.kdf {
	case kdfMD5, kdfSHA1:
		h := md5.New
		if s.kdf == kdfSHA1 {
			h = sha1.New
		}
		dk := pbkdf1(h, password, p.Salt, p.Iterations, 16)
		return dk[:8], dk[8:16]
	}
	bmp := bmpString(password)
	defer clear(bmp)
	key = pkcs12KDF(bmp, p.Salt, 1, p.Iterations, s.keyLen)
	if s.cipher != cipherRC4 {
		iv = pkcs12KDF(bmp, p.Salt, 2, p.Iterations, 8)
	}
	return key, iv
}

func (s *pbes1Scheme) newBlock(key []byte) (cipher.Block, error) {
	switch s.cipher {
	case cipherDES:
		return des.NewCipher(key)
	case cipherDESede:
		if len(key) == 16 { // two-key 3DES: K1 K2 K1
			key = append(key[:16:16], key[:8]...)
		}
		return des.NewTripleDESCipher(key)
	}
	return newRC2(key, s.rc2Bits)
}

// unpad strips PKCS#5/PKCS#7 padding, reporting whether it was valid.
func unpad(b []byte, blockSize int) ([]byte, bool) {
	n := int(b[len(b)-1])
	if n == 0 || n > blockSize {
		return nil, false
	}
	for _, c := range b[len(b)-n:] {
		if int(c) != n {
			return nil, false
		}
	}
	return b[:len(b)-n], true
}

// pbkdf1 is PKCS#5 PBKDF1: hash(password || salt) iterated.
func pbkdf1(h func() hash.Hash, password, salt []byte, iterations, size int) []byte {
	d := h()
	d.Write(password)
	d.Write(salt)
	t := d.Sum(nil)
	for i := 1; i < iterations; i++ {
		d.Reset()
		d.Write(t)
		t = d.Sum(t[:0])
	}
	return t[:size]
}
