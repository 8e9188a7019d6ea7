package secrets

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Fuzz targets: nothing may panic, every error must be an *Error, and a
// success must be usable. Seeds come from the same generators as the tests.

// fuzzKeySeeds returns PEM keys in every encoding the package meets.
func fuzzKeySeeds(f *testing.F) []string {
	pki := testPKI(f)
	plain := pkcs8PEM(f, ecKey(f))
	seeds := []string{plain, pki.leaf.pem, "garbage", plain[:len(plain)/2],
		pemOf("PRIVATE KEY", []byte{0x30, 0x03, 1, 2, 3}),
		pemOf("ENCRYPTED PRIVATE KEY", []byte{0x30, 0x00})}
	if _, err := exec.LookPath("openssl"); err == nil {
		for _, o := range pbes1Options {
			seeds = append(seeds, topk8(f, plain, "pw", v1Args(o.opt, o.legacy)...))
		}
		seeds = append(seeds, topk8(f, plain, "pw"), openssl(f, plain, "", "ec"))
	}
	return seeds
}

func FuzzParsePKCS8PrivateKeyPEM(f *testing.F) {
	for _, s := range fuzzKeySeeds(f) {
		f.Add([]byte(s), []byte("pw"))
		f.Add([]byte(s), []byte(nil))
	}
	f.Fuzz(func(t *testing.T, pemBytes, password []byte) {
		key, enc, err := ParsePKCS8PrivateKeyPEM(pemBytes, password)
		if err != nil {
			mustBeError(t, err)
			if key != nil {
				t.Fatal("key returned with an error")
			}
			return
		}
		if key == nil || enc == "" {
			t.Fatalf("success without key (%v) or encryption (%q)", key != nil, enc)
		}
	})
}

func FuzzParseClientCertificate(f *testing.F) {
	// Small keys keep certificates small and checks cheap: Go's fuzzer
	// minimizes every new input by re-running it thousands of times. The
	// client key is EC: Kafka's loader, which the check follows, refuses
	// Ed25519 keys.
	root := issue(f, "fuzz root", nil, certOpts{isCA: true, key: edKey(f)})
	key := ecKey(f)
	leaf := issue(f, "fuzz client", root, certOpts{key: key})
	chain, plain := chainPEM(leaf, root), pkcs8PEM(f, key)
	f.Add(mtlsDoc(f, chain, plain, ""))
	f.Add(mtlsDoc(f, chainPEM(root, leaf), plain, "x"))
	f.Add([]byte(`{"certificate": 1, "privateKey": null}`))
	f.Add([]byte(`{"certificate": "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n"}`))
	if _, err := exec.LookPath("openssl"); err == nil {
		f.Add(mtlsDoc(f, chain, topk8(f, plain, "pw", "-v1", "PBE-SHA1-3DES"), "pw"))
		f.Add(mtlsDoc(f, chain, topk8(f, plain, "pw"), "pw"))
	}
	now := time.Now()
	f.Fuzz(func(t *testing.T, doc []byte) {
		cc, err := ParseClientCertificate(doc, now)
		if err != nil {
			mustBeError(t, err)
			return
		}
		if len(cc.Chain) == 0 || cc.KeyEncryption == "" {
			t.Fatal("success without a chain or an encryption")
		}
		if cc.PrivateKey != nil && len(cc.TLS.Certificate) != len(cc.Chain) {
			t.Fatal("TLS certificate does not hold the chain")
		}
		_ = cc.String()
	})
}

func FuzzParseSASL(f *testing.F) {
	for _, s := range []string{
		`{"username": "alice", "password": "alice-secret"}`,
		`{"username": "alice", "password": "a/b\\c\"d "}`,
		`{"Username": "a", "password": 1}`,
		`{"username": null}`, `[]`, `null`, ``, "\xef\xbb\xbf{}",
		`{"username": "` + strings.Repeat("u", 100) + `", "password": "\u00e9"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		c, err := ParseSASL(doc)
		if err != nil {
			mustBeError(t, err)
			return
		}
		if c.Username == "" || c.Password.IsZero() {
			t.Fatal("accepted an empty username or password")
		}
		for _, w := range c.Warnings {
			if w.Kind < 1 || w.Kind >= kindEnd {
				t.Fatalf("warning of unknown kind %d", w.Kind)
			}
		}
	})
}

// mustBeError checks the error contract: an *Error of a known kind with a
// message that renders.
func mustBeError(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("%T is not *Error: %v", err, err)
	}
	if e.Kind < 1 || e.Kind >= kindEnd || e.Error() == "" || strings.Contains(e.Error(), "%!") {
		t.Fatalf("bad error %d %q", e.Kind, e.Error())
	}
}
