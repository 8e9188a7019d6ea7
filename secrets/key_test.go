package secrets

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"strings"
	"testing"
)

// pbes1Options are the `openssl pkcs8 -topk8 -v1` options and what they make.
// All but the first two need OpenSSL 3's legacy provider.
var pbes1Options = []struct {
	opt    string
	legacy bool
	name   string
}{
	{"PBE-SHA1-3DES", false, "pbeWithSHAAnd3-KeyTripleDES-CBC"},
	{"PBE-SHA1-2DES", false, "pbeWithSHAAnd2-KeyTripleDES-CBC"},
	{"PBE-MD5-DES", true, "pbeWithMD5AndDES-CBC"},
	{"PBE-SHA1-DES", true, "pbeWithSHA1AndDES-CBC"},
	{"PBE-SHA1-RC2-40", true, "pbeWithSHAAnd40BitRC2-CBC"},
	{"PBE-SHA1-RC2-128", true, "pbeWithSHAAnd128BitRC2-CBC"},
	{"PBE-SHA1-RC4-40", true, "pbeWithSHAAnd40BitRC4"},
	{"PBE-SHA1-RC4-128", true, "pbeWithSHAAnd128BitRC4"},
	{"PBE-MD5-RC2-64", true, "pbeWithMD5AndRC2-CBC"},
	{"PBE-SHA1-RC2-64", true, "pbeWithSHA1AndRC2-CBC"},
}

func v1Args(opt string, legacy bool) []string {
	args := []string{"-v1", opt}
	if legacy {
		args = append(args, "-provider", "legacy", "-provider", "default")
	}
	return args
}

// testKeys are the plain PKCS#8 keys every scheme is tried with.
func testKeys(t *testing.T) map[string]crypto.Signer {
	return map[string]crypto.Signer{"rsa": testPKI(t).rsaKey, "ec": ecKey(t)}
}

func samePublic(a, b crypto.Signer) bool {
	pa, ok := a.Public().(interface{ Equal(crypto.PublicKey) bool })
	return ok && pa.Equal(b.Public())
}

func TestPBES1SchemesFromOpenSSL(t *testing.T) {
	const password = "correct horse"
	for keyName, key := range testKeys(t) {
		plain := pkcs8PEM(t, key)
		for _, o := range pbes1Options {
			t.Run(keyName+"/"+o.opt, func(t *testing.T) {
				enc := topk8(t, plain, password, v1Args(o.opt, o.legacy)...)
				got, encryption, err := ParsePKCS8PrivateKeyPEM([]byte(enc), []byte(password))
				if err != nil {
					t.Fatalf("good password: %v", err)
				}
				if !samePublic(got, key) {
					t.Error("decrypted key differs from the original")
				}
				if want := "PBES1 (" + o.name + ")"; encryption != want {
					t.Errorf("encryption %q, want %q", encryption, want)
				}
				_, _, err = ParsePKCS8PrivateKeyPEM([]byte(enc), []byte("wrong horse"))
				wantKind(t, err, KindWrongPassword)
				_, _, err = ParsePKCS8PrivateKeyPEM([]byte(enc), nil)
				wantKind(t, err, KindPasswordMissing)
			})
		}
	}
}

// TestNonASCIIPasswords checks the BMPString (PKCS#12) and raw-bytes
// (PBKDF1) password encodings against OpenSSL, surrogate pairs included.
func TestNonASCIIPasswords(t *testing.T) {
	const password = "sécret-€-😀"
	plain := pkcs8PEM(t, ecKey(t))
	for _, o := range []string{"PBE-SHA1-3DES", "PBE-MD5-DES"} {
		enc := topk8(t, plain, password, v1Args(o, o == "PBE-MD5-DES")...)
		if _, _, err := ParsePKCS8PrivateKeyPEM([]byte(enc), []byte(password)); err != nil {
			t.Errorf("%s: %v", o, err)
		}
	}
}

func TestPBES2IsRejected(t *testing.T) {
	plain := pkcs8PEM(t, ecKey(t))
	tests := []struct {
		args   []string
		cipher string
	}{
		{nil, "aes-256-cbc"}, // the openssl default
		{[]string{"-v2", "aes-256-cbc"}, "aes-256-cbc"},
		{[]string{"-v2", "aes-128-cbc"}, "aes-128-cbc"},
		{[]string{"-v2", "des3"}, "des-ede3-cbc"},
	}
	for _, tt := range tests {
		enc := topk8(t, plain, "pw", tt.args...)
		key, encryption, err := ParsePKCS8PrivateKeyPEM([]byte(enc), []byte("pw"))
		e := wantKind(t, err, KindPBES2)
		if key != nil || e.Detail != tt.cipher || encryption != "PBES2 ("+tt.cipher+")" {
			t.Errorf("%v: detail %q encryption %q", tt.args, e.Detail, encryption)
		}
		if want := "privateKey: encrypted with PBES2 (" + tt.cipher + "); Lambda accepts only PBES1 keys"; e.Error() != want {
			t.Errorf("message %q, want %q", e.Error(), want)
		}
	}
}

// epkiPEM builds an ENCRYPTED PRIVATE KEY with any algorithm and parameters.
func epkiPEM(t *testing.T, oid asn1.ObjectIdentifier, params any, data []byte) string {
	p, err := asn1.Marshal(params)
	if err != nil {
		t.Fatal(err)
	}
	der, err := asn1.Marshal(encryptedPrivateKeyInfo{
		Algo:          pkix.AlgorithmIdentifier{Algorithm: oid, Parameters: asn1.RawValue{FullBytes: p}},
		EncryptedData: data,
	})
	if err != nil {
		t.Fatal(err)
	}
	return pemOf("ENCRYPTED PRIVATE KEY", der)
}

func TestKeyEncodings(t *testing.T) {
	pki := testPKI(t)
	sec1, err := x509.MarshalECPrivateKey(ecKey(t).(*ecdsa.PrivateKey))
	if err != nil {
		t.Fatal(err)
	}
	xKey, _ := ecdh.X25519().GenerateKey(rand.Reader)
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	plain := pkcs8PEM(t, pki.rsaKey)
	salt := pbeParams{Salt: make([]byte, 8), Iterations: 2048}
	tests := []struct {
		name string
		pem  string
		pw   string
		want Kind // 0: success
	}{
		{"pkcs8 rsa", plain, "", 0},
		{"pkcs8 ed25519", pkcs8PEM(t, edKey), "", 0},
		{"pkcs1 from openssl", openssl(t, plain, "", "rsa", "-traditional"), "", KindNotPKCS8},
		{"pkcs1 legacy encrypted", openssl(t, plain, "pw", "rsa", "-traditional", "-aes128", "-passout", "env:ESMD_PW"), "pw", KindNotPKCS8},
		{"pkcs1 labelled PRIVATE KEY", pemOf("PRIVATE KEY", x509.MarshalPKCS1PrivateKey(pki.rsaKey)), "", KindNotPKCS8},
		{"sec1 from openssl ecparam", openssl(t, "", "", "ecparam", "-name", "prime256v1", "-genkey"), "", KindNotPKCS8},
		{"sec1 from go", pemOf("EC PRIVATE KEY", sec1), "", KindNotPKCS8},
		{"x25519", pkcs8PEM(t, xKey), "", KindBadKey},
		{"certificate instead of key", pki.leaf.pem, "", KindWrongPEMType},
		{"public key", pemOf("PUBLIC KEY", []byte{1}), "", KindWrongPEMType},
		{"truncated", plain[:len(plain)/2], "", KindNoPEM},
		{"garbage", "hello, world", "", KindNoPEM},
		{"empty", "", "", KindNoPEM},
		{"literal backslash n", strings.ReplaceAll(plain, "\n", `\n`), "", KindNoPEM},
		{"corrupt der", pemOf("PRIVATE KEY", []byte{0x30, 0x03, 1, 2, 3}), "", KindBadKey},
		{"corrupt epki", pemOf("ENCRYPTED PRIVATE KEY", []byte{0x30, 0x03, 1, 2, 3}), "pw", KindBadKey},
		{"md2 scheme", epkiPEM(t, asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 1}, salt, make([]byte, 16)), "pw", KindUnverifiablePBE},
		{"unknown scheme", epkiPEM(t, asn1.ObjectIdentifier{1, 2, 3, 4}, salt, make([]byte, 16)), "pw", KindUnsupportedPBE},
		{"huge iteration count", epkiPEM(t, oidOf("1.2.840.113549.1.12.1.3"), pbeParams{Salt: []byte{1}, Iterations: maxIterations + 1}, make([]byte, 16)), "pw", KindUnverifiablePBE},
		{"zero iterations", epkiPEM(t, oidOf("1.2.840.113549.1.12.1.3"), pbeParams{Salt: []byte{1}, Iterations: 0}, make([]byte, 16)), "pw", KindBadKey},
		{"partial block", epkiPEM(t, oidOf("1.2.840.113549.1.12.1.3"), salt, make([]byte, 13)), "pw", KindBadKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, _, err := ParsePKCS8PrivateKeyPEM([]byte(tt.pem), []byte(tt.pw))
			if tt.want == 0 {
				if err != nil || key == nil {
					t.Fatalf("want a key, got %v", err)
				}
				return
			}
			wantKind(t, err, tt.want)
			if key != nil {
				t.Error("a key came back with an error")
			}
		})
	}
}

func oidOf(s string) asn1.ObjectIdentifier {
	var oid asn1.ObjectIdentifier
	for _, part := range strings.Split(s, ".") {
		n := 0
		for _, c := range part {
			n = n*10 + int(c-'0')
		}
		oid = append(oid, n)
	}
	return oid
}

// TestDecryptedKeySigns makes sure wiping the plaintext did not damage the key.
func TestDecryptedKeySigns(t *testing.T) {
	for name, key := range testKeys(t) {
		enc := topk8(t, pkcs8PEM(t, key), "pw", "-v1", "PBE-SHA1-3DES")
		got, _, err := ParsePKCS8PrivateKeyPEM([]byte(enc), []byte("pw"))
		if err != nil {
			t.Fatal(err)
		}
		digest := sha256.Sum256([]byte("hello"))
		if _, err := got.Sign(rand.Reader, digest[:], crypto.SHA256); err != nil {
			t.Errorf("%s: sign: %v", name, err)
		}
	}
}
