package jvmtls

import (
	"crypto/tls"
	"testing"
)

// TestSuitesMatchGo pins which of Java's suites Go implements: a Go
// release that adds or drops one must update the table.
func TestSuitesMatchGo(t *testing.T) {
	goSuites := map[uint16]bool{}
	for _, s := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		goSuites[s.ID] = true
	}
	for _, s := range javaTLS12 {
		if goSuites[s.ID] != s.Go {
			t.Errorf("%s: table says Go=%v, crypto/tls says %v", s.Name, s.Go, goSuites[s.ID])
		}
		if s.Go && tls.CipherSuiteName(s.ID) != s.Name {
			t.Errorf("%#04x: named %s, crypto/tls names it %s", s.ID, s.Name, tls.CipherSuiteName(s.ID))
		}
	}
	if got := KeyExchangeOf(tls.VersionTLS12, tls.TLS_RSA_WITH_AES_128_GCM_SHA256); got != Encipherment {
		t.Errorf("TLS_RSA key exchange: %v", got)
	}
	if got := KeyExchangeOf(tls.VersionTLS13, tls.TLS_AES_128_GCM_SHA256); got != Signature {
		t.Errorf("TLS 1.3 key exchange: %v", got)
	}
}
