package checks

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/fixtures"
	"github.com/esmdoctor/esmdoctor/jvmtls"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/probe"
	"github.com/esmdoctor/esmdoctor/secrets"
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
		{jvmtls.Incomplete, leaf, 0, "ESM-TLS-010", "missing_issuer", "CN=Intermediate"},
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

// TestClassifyRaw: a server Go could not handshake with is judged by what
// it answered Java's offer.
func TestClassifyRaw(t *testing.T) {
	root := fixtures.MustIssue(fixtures.Spec{CN: "Raw Root", IsCA: true, KeyUsage: x509.KeyUsageCertSign}, nil)
	leaf := fixtures.MustIssue(fixtures.Spec{CN: "kafka.example.test", DNS: []string{"kafka.example.test"}}, root)
	s := &State{Cfg: Config{Auth: AuthTLS, Now: time.Now}, Step: time.Second}
	s.Creds.Roots = &secrets.RootCA{Certs: []*x509.Certificate{root.Cert}}
	const dheRSA = 0x009e
	cases := []struct {
		name string
		raw  probe.RawHello
		addr string
		want string // "" : not judged by the raw answer
	}{
		{"DHE chosen, chain passes", probe.RawHello{Version: tls.VersionTLS12, Suite: dheRSA, Chain: []*x509.Certificate{leaf.Cert}}, "kafka.example.test:9094", "ESM-TLS-101"},
		{"DHE chosen, wrong name", probe.RawHello{Version: tls.VersionTLS12, Suite: dheRSA, Chain: []*x509.Certificate{leaf.Cert}}, "other.example.test:9094", "ESM-TLS-002"},
		{"TLS 1.1 answer", probe.RawHello{Version: tls.VersionTLS11, Suite: dheRSA, Chain: []*x509.Certificate{leaf.Cert}}, "kafka.example.test:9094", ""},
		{"suite Go speaks with a usable key", probe.RawHello{Version: tls.VersionTLS12, Suite: tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, Chain: []*x509.Certificate{leaf.Cert}}, "kafka.example.test:9094", ""},
		{"refused too", probe.RawHello{HasAlert: true, Alert: 40}, "kafka.example.test:9094", ""},
	}
	for _, c := range cases {
		raw := c.raw
		o := probe.TLSObservation{Addr: c.addr, Err: errors.New("tls: local error"), Raw: &raw, PeerChain: raw.Chain}
		got, judged := classifyRaw(o, s, Args{})
		if (c.want == "") == judged || got.Code != c.want {
			t.Errorf("%s: judged=%v code %q, want %q", c.name, judged, got.Code, c.want)
		}
	}
}

// TestBrokerRoots: the CA file wins; without one, the public roots (nil),
// plus the test roots when ESMDOCTOR_TEST_PUBLIC_ROOTS names a file.
func TestBrokerRoots(t *testing.T) {
	root := fixtures.MustIssue(fixtures.Spec{CN: "Test Public Root", IsCA: true}, nil)
	s := &State{}
	t.Setenv(testRootsEnv, "")
	if got := brokerRoots(s); got != nil {
		t.Fatalf("no CA file, no test roots: %d roots, want nil (the public set)", len(got))
	}
	path := t.TempDir() + "/roots.pem"
	if err := os.WriteFile(path, root.PEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(testRootsEnv, path)
	got := brokerRoots(s)
	if len(got) != len(jvmtls.PublicRoots())+1 || !got[len(got)-1].Equal(root.Cert) {
		t.Fatalf("test roots: %d roots", len(got))
	}
	s.Creds.Roots = &secrets.RootCA{Certs: []*x509.Certificate{root.Cert}}
	if got := brokerRoots(s); len(got) != 1 {
		t.Fatalf("CA file: %d roots, want 1", len(got))
	}
}

// TestBlockingWarning: a warning that blocks (TLS esmdoctor cannot speak)
// skips its dependants, naming it; an ordinary warning does not.
func TestBlockingWarning(t *testing.T) {
	warnCheck := func(id string, blocks bool) Check {
		return Check{ID: id, Title: id, Run: func(context.Context, *State) Outcome {
			o := warn(catalog.TLS101, Args{"addr": "a", "detail": "d", "fix": "f"})
			o.blocks = blocks
			return o
		}}
	}
	after := func(need string) Check {
		return Check{ID: "after-" + need, Title: "after", Needs: []string{need},
			Run: func(context.Context, *State) Outcome { return pass() }}
	}
	rs := RunChecks(context.Background(), Config{Timeout: 2 * time.Second},
		[]Check{warnCheck("blocking", true), after("blocking"), warnCheck("plain", false), after("plain")}, nil)
	if rs[1].Status != model.Skip || rs[1].Reason != "requires blocking (warned: ESM-TLS-101)" {
		t.Errorf("after a blocking warning: %s %q", rs[1].Status, rs[1].Reason)
	}
	if rs[3].Status != model.Pass {
		t.Errorf("after a plain warning: %s %q", rs[3].Status, rs[3].Reason)
	}
}
