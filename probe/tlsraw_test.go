package probe

import (
	"context"
	"crypto/tls"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/fixtures"
)

// rawServer serves TLS with cfg and hands each connection to the handshake.
func rawServer(t *testing.T, cfg *tls.Config) string {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { _ = c.(*tls.Conn).Handshake(); c.Close() }()
		}
	}()
	return ln.Addr().String()
}

func TestTLS12HelloReadsSuiteAndChain(t *testing.T) {
	root := fixtures.MustIssue(fixtures.Spec{CN: "Raw Root", IsCA: true}, nil)
	inter := fixtures.MustIssue(fixtures.Spec{CN: "Raw Intermediate", IsCA: true}, root)
	leaf := fixtures.MustIssue(fixtures.Spec{CN: "localhost", DNS: []string{"localhost"}}, inter)
	cert := leaf.TLSCertificate(inter)
	suites := []uint16{0x009e, tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256} // DHE first: Go skips it
	addr := rawServer(t, &tls.Config{Certificates: []tls.Certificate{cert}, MaxVersion: tls.VersionTLS12})
	got := TLS12Hello(context.Background(), addr, "localhost", suites, 2*time.Second)
	if got.Err != nil || got.HasAlert {
		t.Fatalf("err %v, alert %v %d", got.Err, got.HasAlert, got.Alert)
	}
	if got.Suite != tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 || got.Version != tls.VersionTLS12 {
		t.Errorf("suite %#04x, version %#04x", got.Suite, got.Version)
	}
	if len(got.Chain) != 2 || got.Chain[0].Subject.CommonName != "localhost" || got.Chain[1].Subject.CommonName != "Raw Intermediate" {
		t.Errorf("chain %v", got.Chain)
	}
}

func TestTLS12HelloReportsAlert(t *testing.T) {
	leaf := fixtures.MustIssue(fixtures.Spec{CN: "localhost", DNS: []string{"localhost"}}, nil)
	addr := rawServer(t, &tls.Config{Certificates: []tls.Certificate{leaf.TLSCertificate()}, MinVersion: tls.VersionTLS13})
	got := TLS12Hello(context.Background(), addr, "127.0.0.1", []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}, 2*time.Second)
	if !got.HasAlert || got.Alert != 70 {
		t.Fatalf("a TLS 1.3-only server: want alert protocol_version (70), got %+v", got)
	}
}

func TestTLS12HelloHonoursBudget(t *testing.T) {
	bh, err := fixtures.NewBlackhole()
	if err != nil {
		t.Fatal(err)
	}
	defer bh.Close()
	start := time.Now()
	got := TLS12Hello(context.Background(), bh.Addr(), "x", []uint16{0x009e}, 200*time.Millisecond)
	if got.Err == nil || time.Since(start) > time.Second {
		t.Fatalf("blackholed server: %v after %s", got.Err, time.Since(start))
	}
}
