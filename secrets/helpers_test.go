package secrets

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// Everything here is generated at test time, so nothing committed expires.

// issued is a certificate with its key.
type issued struct {
	cert *x509.Certificate
	key  crypto.Signer
	pem  string
}

// certOpts describes a certificate to issue; zero times mean "valid now".
type certOpts struct {
	isCA      bool
	notBefore time.Time
	notAfter  time.Time
	key       crypto.Signer
	eku       []x509.ExtKeyUsage
	dnsNames  []string
}

var serial int64

// issue makes a certificate for cn signed by parent (self-signed when nil).
func issue(t testing.TB, cn string, parent *issued, o certOpts) *issued {
	t.Helper()
	if o.key == nil {
		o.key = ecKey(t)
	}
	if o.notBefore.IsZero() {
		o.notBefore = time.Now().Add(-time.Hour)
	}
	if o.notAfter.IsZero() {
		o.notAfter = time.Now().Add(24 * time.Hour)
	}
	serial++
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(serial),
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             o.notBefore,
		NotAfter:              o.notAfter,
		BasicConstraintsValid: true,
		IsCA:                  o.isCA,
		ExtKeyUsage:           o.eku,
		DNSNames:              o.dnsNames,
		KeyUsage:              x509.KeyUsageDigitalSignature,
	}
	if o.isCA {
		tmpl.KeyUsage |= x509.KeyUsageCertSign
	}
	signerCert, signerKey := tmpl, o.key
	if parent != nil {
		signerCert, signerKey = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signerCert, o.key.Public(), signerKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &issued{cert: cert, key: o.key, pem: pemOf("CERTIFICATE", der)}
}

func ecKey(t testing.TB) crypto.Signer {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func ed25519Key(t testing.TB) crypto.Signer {
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func pemOf(typ string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

func pkcs8PEM(t testing.TB, key any) string {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pemOf("PRIVATE KEY", der)
}

// pkiFixture is one CA hierarchy shared by the tests (RSA keygen is slow).
type pkiFixture struct {
	root, inter, leaf *issued
	rsaKey            *rsa.PrivateKey
}

var (
	fixtureOnce sync.Once
	fixture     pkiFixture
)

// testPKI returns root -> intermediate -> leaf; the leaf key is RSA-2048.
func testPKI(t testing.TB) pkiFixture {
	t.Helper()
	fixtureOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		fixture.rsaKey = k
		fixture.root = issue(t, "test root", nil, certOpts{isCA: true})
		fixture.inter = issue(t, "test intermediate", fixture.root, certOpts{isCA: true})
		fixture.leaf = issue(t, "client", fixture.inter, certOpts{key: k,
			eku: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
	})
	return fixture
}

// chainPEM concatenates certificates in the given order.
func chainPEM(certs ...*issued) string {
	var b strings.Builder
	for _, c := range certs {
		b.WriteString(c.pem)
	}
	return b.String()
}

// mtlsDoc builds an mTLS secret; password is omitted when empty.
func mtlsDoc(t testing.TB, cert, key, password string) []byte {
	m := map[string]string{"certificate": cert, "privateKey": key}
	if password != "" {
		m["privateKeyPassword"] = password
	}
	return mustJSON(t, m)
}

func mustJSON(t testing.TB, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// requireOpenSSL skips when the openssl binary is absent.
func requireOpenSSL(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not installed")
	}
}

// openssl runs the openssl binary with stdin; the password, when any, is
// passed as $ESMD_PW (use pass arguments "env:ESMD_PW").
func openssl(t testing.TB, stdin, password string, args ...string) string {
	t.Helper()
	requireOpenSSL(t)
	cmd := exec.Command("openssl", args...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "ESMD_PW="+password)
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("openssl %s: %v: %s", strings.Join(args, " "), err, ee.Stderr)
		}
		t.Fatalf("openssl %s: %v", strings.Join(args, " "), err)
	}
	return string(out)
}

// topk8 encrypts a PKCS#8 PEM key with `openssl pkcs8 -topk8` and extra args.
func topk8(t testing.TB, keyPEM, password string, args ...string) string {
	full := append([]string{"pkcs8", "-topk8", "-passout", "env:ESMD_PW"}, args...)
	return openssl(t, keyPEM, password, full...)
}

// wantKind fails unless err is an *Error of kind want.
func wantKind(t testing.TB, err error, want Kind) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T): want *Error of kind %v", err, err, want)
	}
	if e.Kind != want {
		t.Fatalf("kind %v (%q): want %v", e.Kind, e.Error(), want)
	}
	return e
}

// hasWarning reports whether ws holds a warning of kind k.
func hasWarning(ws []Warning, k Kind) bool {
	for _, w := range ws {
		if w.Kind == k {
			return true
		}
	}
	return false
}

func writeFile(t testing.TB, name, data string) {
	if err := os.WriteFile(name, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

func readFile(t testing.TB, name string) string {
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func edKey(t testing.TB) crypto.Signer {
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
