package checks

import (
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/jvmtls"
	"github.com/esmdoctor/esmdoctor/probe"
)

// TestClassifyJavaReasons maps every reason of Java's rules to its code,
// with the certificate the reason is about in the cause.
func TestClassifyJavaReasons(t *testing.T) {
	s := &State{Cfg: Config{Auth: AuthTLS, Now: time.Now}, Step: time.Second}
	leaf := &x509.Certificate{Subject: pkix.Name{CommonName: "broker"}, Issuer: pkix.Name{CommonName: "Intermediate"}}
	inter := &x509.Certificate{Subject: pkix.Name{CommonName: "Intermediate"}, NotAfter: time.Now().Add(-time.Hour)}
	cases := []struct {
		reason jvmtls.Reason
		cert   *x509.Certificate
		index  int
		want   string
		arg    string // an argument that must name the fault
		text   string
	}{
		{jvmtls.Incomplete, leaf, 0, "ESM-TLS-010", "missing", "CN=Intermediate"},
		{jvmtls.NoTrustAnchor, leaf, 0, "ESM-TLS-001", "detail", "broker"},
		{jvmtls.BadSignature, leaf, 0, "ESM-TLS-001", "detail", "broker"},
		{jvmtls.Hostname, leaf, 0, "ESM-TLS-002", "detail", "broker"},
		{jvmtls.Expired, leaf, 0, "ESM-TLS-003", "detail", "broker"},
		{jvmtls.Expired, inter, 1, "ESM-TLS-013", "cert_not_after", inter.NotAfter.UTC().Format(time.RFC3339)},
		{jvmtls.SHA1PublicRoot, inter, 1, "ESM-TLS-011", "cert", "CN=Intermediate"},
		{jvmtls.NotCA, inter, 1, "ESM-TLS-012", "cert", "CN=Intermediate"},
		{jvmtls.CAKeyUsage, inter, 1, "ESM-TLS-012", "cert", "CN=Intermediate"},
		{jvmtls.PathLength, inter, 1, "ESM-TLS-014", "cert", "CN=Intermediate"},
		{jvmtls.NameConstraints, leaf, 0, "ESM-TLS-015", "cert", "CN=broker"},
		{jvmtls.CriticalExtension, inter, 1, "ESM-TLS-016", "cert", "CN=Intermediate"},
		{jvmtls.ExtKeyUsage, leaf, 0, "ESM-TLS-017", "cert", "CN=broker"},
		{jvmtls.NetscapeCertType, leaf, 0, "ESM-TLS-017", "cert", "CN=broker"},
		{jvmtls.KeyUsage, leaf, 0, "ESM-TLS-018", "suite", "TLS 1.3"},
		{jvmtls.WeakKey, leaf, 0, "ESM-TLS-019", "cert", "CN=broker"},
		{jvmtls.DisabledAlgorithm, leaf, 0, "ESM-TLS-019", "cert", "CN=broker"},
		{jvmtls.Unsupported, leaf, 0, "ESM-TLS-101", "fix", "cannot check"},
	}
	for _, c := range cases {
		je := &jvmtls.Error{Reason: c.reason, Cert: c.cert, Index: c.index, Missing: "CN=Intermediate", Detail: "x", Negotiated: "TLS 1.3 TLS_AES_128_GCM_SHA256"}
		o := probe.TLSObservation{Addr: "kafka.example.test:9094", PeerChain: []*x509.Certificate{leaf},
			Err: &tls.CertificateVerificationError{UnverifiedCertificates: []*x509.Certificate{leaf}, Err: je}}
		got, failed := classifyTLS(o, s)
		if !failed || got.Code != c.want {
			t.Errorf("%s: got %s, want %s", c.reason, got.Code, c.want)
			continue
		}
		if !strings.Contains(got.Args[c.arg], c.text) {
			t.Errorf("%s: %s = %q, want it to contain %q", c.reason, c.arg, got.Args[c.arg], c.text)
		}
	}
}

func TestAlertNames(t *testing.T) {
	for a, want := range map[uint8]string{70: "protocol_version (70)", 40: "handshake_failure (40)", 71: "insufficient_security (71)", 200: "unknown alert 200"} {
		if got := alertName(a); got != want {
			t.Errorf("alert %d: %q, want %q", a, got, want)
		}
	}
}

// TestGoSpecificFailure: only failures Java's client might not share send
// esmdoctor back with Java's own offer.
func TestGoSpecificFailure(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"no error", nil, false},
		{"certificate verdict", &tls.CertificateVerificationError{Err: errors.New("x")}, false},
		{"not TLS", tls.RecordHeaderError{}, false},
		{"timeout", &net.OpError{Op: "read", Err: timeoutErr{}}, false},
		{"dial refused", &net.OpError{Op: "dial", Err: errors.New("refused")}, false},
		{"local handshake error (unsupported key)", errors.New("tls: unsupported key"), true},
	}
	for _, c := range cases {
		if got := goSpecificFailure(probe.TLSObservation{Err: c.err}); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
