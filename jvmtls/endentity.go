package jvmtls

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/asn1"
)

// KeyExchange is how the negotiated suite uses the server's key, which
// decides the keyUsage bit Java's EndEntityChecker requires.
type KeyExchange int

// Key exchanges (Java's authType groups for a TLS server).
const (
	// Signature: ECDHE_*, DHE_* and every TLS 1.3 suite (digitalSignature).
	Signature KeyExchange = iota
	// Encipherment: TLS_RSA_* (keyEncipherment).
	Encipherment
	// Agreement: static ECDH_* / DH_* (keyAgreement).
	Agreement
)

// KeyExchangeOf is the key exchange of a negotiated version and suite.
func KeyExchangeOf(version, suite uint16) KeyExchange {
	if version >= tls.VersionTLS13 {
		return Signature
	}
	for _, s := range rsaKeyExchange {
		if s == suite {
			return Encipherment
		}
	}
	return Signature
}

// rsaKeyExchange are the TLS_RSA_* suites Go implements.
var rsaKeyExchange = []uint16{
	tls.TLS_RSA_WITH_AES_128_GCM_SHA256, tls.TLS_RSA_WITH_AES_256_GCM_SHA384,
	tls.TLS_RSA_WITH_AES_128_CBC_SHA256, tls.TLS_RSA_WITH_AES_128_CBC_SHA, tls.TLS_RSA_WITH_AES_256_CBC_SHA,
	tls.TLS_RSA_WITH_3DES_EDE_CBC_SHA, tls.TLS_RSA_WITH_RC4_128_SHA,
}

var (
	oidExtKeyUsage      = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidNetscapeCertType = asn1.ObjectIdentifier{2, 16, 840, 1, 113730, 1, 1}
)

// checkEndEntity is EndEntityChecker.checkTLSServer: the keyUsage bit the
// key exchange needs, extendedKeyUsage serverAuth (or anyExtendedKeyUsage,
// or Microsoft/Netscape server-gated crypto) and the Netscape cert type's
// SSL server bit. Only the leaf is checked; its critical extensions were
// judged by PKIX validation (EndEntityChecker re-checks them only for
// Java's simple validator, which TLS does not use).
func checkEndEntity(leaf *x509.Certificate, kx KeyExchange) *Error {
	if hasExtension(leaf, oidKeyUsage) {
		need, name := x509.KeyUsageDigitalSignature, "digitalSignature (needed for ECDHE and TLS 1.3 signatures)"
		switch kx {
		case Encipherment:
			need, name = x509.KeyUsageKeyEncipherment, "keyEncipherment (needed for TLS_RSA key exchange)"
		case Agreement:
			need, name = x509.KeyUsageKeyAgreement, "keyAgreement (needed for static ECDH/DH)"
		}
		if leaf.KeyUsage&need == 0 {
			return fail(KeyUsage, leaf, 0, "keyUsage lacks %s", name)
		}
	}
	if hasExtension(leaf, oidExtKeyUsage) && !serverEKU(leaf) {
		return fail(ExtKeyUsage, leaf, 0, "extendedKeyUsage does not include serverAuth")
	}
	if bits, ok := netscapeCertType(leaf); ok && !bitSet(bits, 1) {
		return fail(NetscapeCertType, leaf, 0, "the Netscape cert type extension does not allow SSL server")
	}
	return nil
}

func serverEKU(c *x509.Certificate) bool {
	for _, u := range c.ExtKeyUsage {
		switch u {
		case x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageAny,
			x509.ExtKeyUsageMicrosoftServerGatedCrypto, x509.ExtKeyUsageNetscapeServerGatedCrypto:
			return true
		}
	}
	return false
}

// netscapeCertType reads the legacy extension's BIT STRING.
func netscapeCertType(c *x509.Certificate) (asn1.BitString, bool) {
	for _, ext := range c.Extensions {
		if ext.Id.Equal(oidNetscapeCertType) {
			var bits asn1.BitString
			if _, err := asn1.Unmarshal(ext.Value, &bits); err != nil {
				return asn1.BitString{}, true
			}
			return bits, true
		}
	}
	return asn1.BitString{}, false
}

func bitSet(b asn1.BitString, i int) bool { return i < b.BitLength && b.At(i) == 1 }
