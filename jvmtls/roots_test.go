package jvmtls

import (
	"crypto/x509"
	"testing"

	"golang.org/x/crypto/x509roots/fallback/bundle"
)

// IsPublicRoot matches certificates by their DER without parsing the
// bundle: it must agree with the parsed set, root by root.
func TestIsPublicRootAgreesWithParsedRoots(t *testing.T) {
	roots := PublicRoots()
	if len(roots) < 100 {
		t.Fatalf("only %d public roots parsed", len(roots))
	}
	for _, c := range roots {
		if !IsPublicRoot(c) {
			t.Fatalf("%s is a parsed public root but IsPublicRoot says no", c.Subject)
		}
	}
	n := 0
	for r := range bundle.Roots() {
		if _, err := x509.ParseCertificate(r.Certificate); err == nil {
			n++
		}
	}
	if n != len(roots) || len(publicRootSums()) != n {
		t.Fatalf("bundle: %d parse, PublicRoots has %d, sums %d", n, len(roots), len(publicRootSums()))
	}
	if IsPublicRoot(&x509.Certificate{Raw: []byte("not a root")}) {
		t.Fatal("an arbitrary certificate counted as a public root")
	}
}
