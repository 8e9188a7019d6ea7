package secrets

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// ClientCertificate is a validated CLIENT_CERTIFICATE_TLS_AUTH secret.
// Printing it (any fmt verb) or marshalling it to JSON yields a summary,
// never the private key.
type ClientCertificate struct {
	Chain []*x509.Certificate // leaf first
	// PrivateKey is the decrypted key; nil only when a KindUnverifiablePBE
	// warning says esmdoctor could not decrypt it.
	PrivateKey crypto.Signer
	// KeyEncryption is "none" or e.g. "PBES1 (pbeWithSHAAnd3-KeyTripleDES-CBC)".
	KeyEncryption string
	// TLS is ready for crypto/tls; zero when PrivateKey is nil.
	TLS      tls.Certificate
	Warnings []Warning
}

// ParseClientCertificate validates an mTLS secret: {"certificate": PEM
// chain, "privateKey": PKCS#8 PEM, "privateKeyPassword": optional} as
// Lambda's poller loads it (Kafka's DefaultSslEngineFactory with
// ssl.keystore.type=PEM; see javapem.go) and as the broker then judges the
// chain. In order: the document, the certificates, the key (one PKCS#8
// key; with a password, a PBES1 scheme Java can load and a trimmed,
// printable-ASCII password), the chain's names (the key store's check), the
// key against the first certificate, each signature, validity at now, and
// the leaf's extended key usage.
func ParseClientCertificate(doc []byte, now time.Time) (*ClientCertificate, error) {
	d, err := parseDocument(doc)
	if err != nil {
		return nil, err
	}
	certPEM, keyPEM, pw, err := mtlsFields(d)
	if err != nil {
		return nil, err
	}
	chain, warnings, dropped, err := parseClientChain(certPEM)
	if err != nil {
		return nil, err
	}
	kr, keyWarnings, err := readKey(keyPEM, pw)
	if err != nil {
		return nil, err
	}
	cc := &ClientCertificate{Chain: chain, PrivateKey: kr.key, KeyEncryption: kr.encryption,
		Warnings: append(warnings, keyWarnings...)}
	if err := checkCertificate(cc, now, dropped); err != nil {
		return nil, err
	}
	if kr.key != nil {
		cc.TLS = tlsCertificate(chain, kr.key)
	}
	return cc, nil
}

func mtlsFields(d document) (certPEM, keyPEM string, pw keyPassword, err error) {
	if certPEM, err = d.str(fieldCertificate, true); err != nil {
		return "", "", pw, err
	}
	if keyPEM, err = d.str(fieldKey, true); err != nil {
		return "", "", pw, err
	}
	pw.value, err = d.str(fieldPassword, false)
	pw.set = d.present(fieldPassword)
	return certPEM, keyPEM, pw, err
}

// parseClientChain reads the certificates Kafka's loader finds in the
// certificate field; dropped says why it finds fewer than the field has.
func parseClientChain(value string) ([]*x509.Certificate, []Warning, string, error) {
	blocks, err := javaPEM(fieldCertificate, certKind, value)
	if err != nil {
		return nil, nil, "", err
	}
	if len(blocks) == 0 {
		return nil, nil, "", noBlockError(fieldCertificate, "the certificate chain", value)
	}
	certs := make([]*x509.Certificate, 0, len(blocks))
	for i, b := range blocks {
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			// Certificates are public: the parser's message is safe to show.
			detail := fmt.Sprintf("certificate %d: %v", i+1, err)
			return nil, nil, "", &Error{Kind: KindBadCertificate, Field: fieldCertificate, Detail: detail, Err: err}
		}
		certs = append(certs, c)
	}
	warnings, dropped := layoutWarnings(fieldCertificate, certKind, blocks, value)
	return certs, warnings, dropped, nil
}

// readKey parses the key; an unverifiable PBES1 key becomes a warning.
func readKey(keyPEM string, pw keyPassword) (keyResult, []Warning, error) {
	kr, err := parseKeyPEM(keyPEM, pw)
	var e *Error
	if errors.As(err, &e) && e.Kind == KindUnverifiablePBE {
		return kr, append(kr.warnings, e.warning()), nil
	}
	return kr, kr.warnings, err
}

// checkCertificate runs the checks that relate the key and the
// certificates, in the order Lambda meets them: the key store's name check
// (P8), then what only the broker judges (P10a).
func checkCertificate(cc *ClientCertificate, now time.Time, dropped string) error {
	if err := checkChainNames(cc.Chain); err != nil {
		return withDropped(err, dropped)
	}
	if cc.PrivateKey != nil {
		if err := checkKeyMatch(cc.Chain, cc.PrivateKey); err != nil {
			return withDropped(err, dropped)
		}
	}
	warnings, err := checkChainSignatures(cc.Chain)
	if err != nil {
		return err
	}
	if err := checkValidity(fieldCertificate, cc.Chain, now); err != nil {
		return err
	}
	if err := checkClientAuth(cc.Chain[0]); err != nil {
		return err
	}
	cc.Warnings = append(cc.Warnings, warnings...)
	cc.Warnings = append(cc.Warnings, incompleteChainWarning(cc.Chain)...)
	return nil
}

// withDropped adds to a chain error that Kafka's loader skipped blocks.
func withDropped(err *Error, dropped string) error {
	if dropped != "" {
		err.Detail += "; " + dropped
	}
	return err
}

func tlsCertificate(chain []*x509.Certificate, key crypto.Signer) tls.Certificate {
	c := tls.Certificate{PrivateKey: key, Leaf: chain[0]}
	for _, cert := range chain {
		c.Certificate = append(c.Certificate, cert.Raw)
	}
	return c
}

// String summarises the certificate without any key material.
func (c ClientCertificate) String() string {
	leaf := "no certificate"
	if len(c.Chain) > 0 {
		leaf = subject(c.Chain[0])
	}
	return fmt.Sprintf("client certificate %s (%d in chain, %s key, encryption %s)",
		leaf, len(c.Chain), keyType(c.PrivateKey), c.KeyEncryption)
}

// GoString returns String, so %#v does not dump the key.
func (c ClientCertificate) GoString() string { return c.String() }

// Format writes String for every verb.
func (c ClientCertificate) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// MarshalJSON encodes the summary, never the key.
func (c ClientCertificate) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{
		"summary":       c.String(),
		"keyEncryption": c.KeyEncryption,
		"warnings":      c.Warnings,
	})
}

func keyType(k crypto.Signer) string {
	switch k := k.(type) {
	case nil:
		return "undecrypted"
	case *rsa.PrivateKey:
		return fmt.Sprintf("RSA-%d", k.N.BitLen())
	case *ecdsa.PrivateKey:
		return "ECDSA " + k.Curve.Params().Name
	case ed25519.PrivateKey:
		return "Ed25519"
	}
	return fmt.Sprintf("%T", k)
}
