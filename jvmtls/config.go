package jvmtls

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"sync"
	"time"

	"golang.org/x/crypto/x509roots/fallback/bundle"
)

// publicRoots parses the public root set once: Mozilla's NSS roots as
// golang.org/x/crypto/x509roots/fallback ships them, the closest set to the
// JVM's cacerts that Go can embed (Amazon Trust Services' roots, which MSK
// uses, are in both). Built on first use and never changed afterwards.
var publicRoots = sync.OnceValue(func() []*x509.Certificate {
	var certs []*x509.Certificate
	for r := range bundle.Roots() {
		c, err := x509.ParseCertificate(r.Certificate)
		if err != nil {
			continue
		}
		certs = append(certs, c)
	}
	return certs
})

// publicRootSums are the SHA-256 sums of the public roots' DER encodings,
// computed once without parsing them (parsing the whole set costs a few
// milliseconds that a run with its own CA never needs). A certificate
// matches only if its DER is byte for byte a root's, which then parses as
// that root does.
var publicRootSums = sync.OnceValue(func() map[[32]byte]bool {
	sums := map[[32]byte]bool{}
	for r := range bundle.Roots() {
		sums[sha256.Sum256(r.Certificate)] = true
	}
	return sums
})

// PublicRoots is the trust store of a mapping without
// SERVER_ROOT_CA_CERTIFICATE: public roots like the JVM's, never the
// machine esmdoctor runs on (nor SSL_CERT_FILE).
func PublicRoots() []*x509.Certificate {
	return publicRoots()
}

// IsPublicRoot reports whether c is one of the public roots, which Java
// treats as "jdkCA" for its SHA-1 rule wherever the certificate comes from.
func IsPublicRoot(c *x509.Certificate) bool {
	return publicRootSums()[sha256.Sum256(c.Raw)]
}

// JavaSuites are the TLS 1.2 cipher suites Java 17 enables by default that
// Go implements, in Java's order of preference: the TLS_RSA_* and CBC
// suites Go leaves out of its defaults included. Java's DHE and
// CBC-SHA384 suites have no Go implementation (the tls check then asks
// the server with a ClientHello of its own, see probe.TLS12Hello).
func JavaSuites() []uint16 {
	var ids []uint16
	for _, s := range javaTLS12 {
		if s.Go {
			ids = append(ids, s.ID)
		}
	}
	return ids
}

// ClientConfig is the TLS configuration of every broker connection: TLS
// 1.2 or 1.3, the suites Java offers, and verification by Java's rules
// against roots (nil: the public roots) at now().
func ClientConfig(roots []*x509.Certificate, now func() time.Time) *tls.Config {
	public := roots == nil
	if public {
		roots = PublicRoots()
	}
	return &tls.Config{
		MinVersion:   tls.VersionTLS12,
		CipherSuites: JavaSuites(),
		// Go's own verification follows crypto/x509's rules, not the Java
		// client's, so it is turned off here and only here: Verify (Java
		// 17's rules) runs in VerifyConnection instead, on every
		// handshake. Verification is never skipped.
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			_, err := Verify(cs.PeerCertificates, Options{
				Roots: roots, PublicRoot: IsPublicRoot, Host: cs.ServerName, Now: now(),
				KeyExchange: KeyExchangeOf(cs.Version, cs.CipherSuite),
			})
			if e, ok := err.(*Error); ok {
				e.Negotiated = tls.VersionName(cs.Version) + " " + tls.CipherSuiteName(cs.CipherSuite)
			}
			if err != nil {
				return &tls.CertificateVerificationError{UnverifiedCertificates: cs.PeerCertificates, Err: err}
			}
			return nil
		},
	}
}

// VerifyHost checks leaf against host as Java's HTTPS identification does.
// ClientConfig checks the name the client sent in SNI; an IP literal is
// never sent there, so callers that dialled an IP address check it here.
// publicRoot says the chain ends at a public root (stricter wildcards).
func VerifyHost(leaf *x509.Certificate, host string, publicRoot bool) error {
	if err := checkHost(leaf, host, publicRoot); err != nil {
		return err
	}
	return nil
}
