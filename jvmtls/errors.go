// Package jvmtls verifies a TLS server's certificate chain and name the way
// Lambda's pollers do: Kafka's Java client on Java 17, with the stock
// security settings. It follows sun.security.validator.PKIXValidator and
// sun.security.provider.certpath (path building and PKIX validation),
// sun.security.validator.EndEntityChecker (the leaf's key usages) and
// sun.security.util.HostnameChecker (HTTPS identification), and applies the
// default jdk.certpath.disabledAlgorithms. Parsing and signature arithmetic
// come from Go's standard library; this package holds only Java's rules.
// Every function is pure: no network, no clock (the time is an input).
package jvmtls

import (
	"crypto/x509"
	"fmt"
)

// Reason is why a chain or name fails Java's rules.
type Reason int

// Reasons, one per fault a user fixes differently.
const (
	// NoTrustAnchor: no path from the leaf reaches a trusted certificate.
	NoTrustAnchor Reason = iota + 1
	// Incomplete: the presented chain stops at a certificate whose issuer
	// is neither sent by the server nor trusted (a missing intermediate).
	Incomplete
	// BadSignature: a certificate's signature does not verify with its
	// issuer's key.
	BadSignature
	// DisabledAlgorithm: a signature algorithm jdk.certpath.disabledAlgorithms
	// forbids (MD2, MD5).
	DisabledAlgorithm
	// SHA1PublicRoot: a SHA-1 signature in a chain that ends at a root the
	// JDK bundles ("SHA1 jdkCA & usage TLSServer").
	SHA1PublicRoot
	// WeakKey: a key below the disabled sizes (RSA/DSA < 1024, EC < 224).
	WeakKey
	// Expired and NotYetValid: a certificate of the path (leaf or
	// intermediate; never the trust anchor) is outside its dates.
	Expired
	NotYetValid
	// NotCA: an intermediate without the CA basic constraint.
	NotCA
	// CAKeyUsage: an intermediate whose keyUsage lacks keyCertSign.
	CAKeyUsage
	// PathLength: an intermediate's pathLenConstraint is exceeded.
	PathLength
	// NameConstraints: a name violates an intermediate's name constraints.
	NameConstraints
	// CriticalExtension: a critical extension Java does not process.
	CriticalExtension
	// ExtKeyUsage: the leaf's extendedKeyUsage does not allow serverAuth.
	ExtKeyUsage
	// KeyUsage: the leaf's keyUsage lacks the bit the key exchange needs.
	KeyUsage
	// NetscapeCertType: the leaf's Netscape cert type excludes SSL server.
	NetscapeCertType
	// Hostname: the leaf does not name the host.
	Hostname
	// Unsupported: esmdoctor cannot check a signature or key that Java may
	// accept (an algorithm Go does not implement).
	Unsupported
)

var reasonNames = map[Reason]string{
	NoTrustAnchor: "no trusted issuer", Incomplete: "incomplete chain", BadSignature: "bad signature",
	DisabledAlgorithm: "disabled signature algorithm", SHA1PublicRoot: "SHA-1 under a public root",
	WeakKey: "key too small", Expired: "expired", NotYetValid: "not yet valid", NotCA: "issuer is not a CA",
	CAKeyUsage: "issuer's keyUsage lacks keyCertSign", PathLength: "path length exceeded",
	NameConstraints: "name constraints violated", CriticalExtension: "unsupported critical extension",
	ExtKeyUsage: "extendedKeyUsage excludes serverAuth", KeyUsage: "keyUsage excludes the key exchange",
	NetscapeCertType: "Netscape cert type excludes SSL server", Hostname: "name mismatch",
	Unsupported: "unsupported by esmdoctor",
}

// String names the reason.
func (r Reason) String() string {
	if n, ok := reasonNames[r]; ok {
		return n
	}
	return fmt.Sprintf("reason %d", int(r))
}

// Error is a verification failure: the reason, the certificate it is about
// (Index into the presented chain, -1 for a certificate not presented) and
// a one-line detail in Java's terms.
type Error struct {
	Reason Reason
	Cert   *x509.Certificate
	Index  int
	// Missing is the issuer name nobody supplied (Incomplete, NoTrustAnchor).
	Missing string
	Detail  string
	// Negotiated is the version and suite of the handshake, when known.
	Negotiated string
}

// Error renders the reason, the certificate and the detail on one line.
func (e *Error) Error() string {
	if e.Cert == nil {
		return "java rules: " + e.Reason.String() + ": " + e.Detail
	}
	return fmt.Sprintf("java rules: %s: certificate %s: %s", e.Reason, e.Cert.Subject, e.Detail)
}

// rank orders errors from different candidate paths: the failure of the
// path that got furthest (reached an anchor) explains the fault best.
func (e *Error) rank() int {
	switch e.Reason {
	case NoTrustAnchor:
		return 0
	case Incomplete:
		return 1
	}
	return 2
}

func fail(r Reason, c *x509.Certificate, idx int, format string, args ...any) *Error {
	return &Error{Reason: r, Cert: c, Index: idx, Detail: fmt.Sprintf(format, args...)}
}
