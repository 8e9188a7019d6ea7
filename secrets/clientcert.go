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
// chain, "privateKey": PKCS#8 PEM, "privateKeyPassword": optional}. It checks,
// in order: the document, the certificates, the key (PKCS#8, PBES1, the
// password), that the key matches the first certificate, that each
// certificate is signed by the next, and that all are valid at now.
func ParseClientCertificate(doc []byte, now time.Time) (*ClientCertificate, error) {
	d, err := parseDocument(doc)
	if err != nil {
		return nil, err
	}
	certPEM, keyPEM, password, err := mtlsFields(d)
	if err != nil {
		return nil, err
	}
	chain, err := parseCertificates(fieldCertificate, []byte(certPEM))
	if err != nil {
		return nil, err
	}
	kr, warnings, err := readKey(keyPEM, password)
	if err != nil {
		return nil, err
	}
	cc := &ClientCertificate{Chain: chain, PrivateKey: kr.key, KeyEncryption: kr.encryption, Warnings: warnings}
	if err := checkCertificate(cc, now); err != nil {
		return nil, err
	}
	if kr.key != nil {
		cc.TLS = tlsCertificate(chain, kr.key)
	}
	return cc, nil
}

func mtlsFields(d document) (certPEM, keyPEM, password string, err error) {
	if certPEM, err = d.str(fieldCertificate, true); err != nil {
		return "", "", "", err
	}
	if keyPEM, err = d.str(fieldKey, true); err != nil {
		return "", "", "", err
	}
	password, err = d.str(fieldPassword, false)
	return certPEM, keyPEM, password, err
}

// readKey parses the key; an unverifiable PBES1 key becomes a warning.
func readKey(keyPEM, password string) (keyResult, []Warning, error) {
	kr, err := parseKeyPEM([]byte(keyPEM), []byte(password))
	var warnings []Warning
	var e *Error
	if errors.As(err, &e) && e.Kind == KindUnverifiablePBE {
		warnings, err = append(warnings, e.warning()), nil
	}
	if err != nil {
		return kr, nil, err
	}
	return kr, append(warnings, passwordWarnings(kr, password)...), nil
}

// passwordWarnings reports a useless password, a scheme Java cannot load,
// and a password Java's PBEKey refuses (it allows only 0x20-0x7e).
func passwordWarnings(kr keyResult, password string) []Warning {
	if kr.encryption == "none" {
		if password != "" {
			return []Warning{{Kind: KindPasswordUnused, Field: fieldPassword}}
		}
		return nil
	}
	var warnings []Warning
	if kr.scheme != nil && !kr.scheme.java {
		warnings = append(warnings, Warning{Kind: KindJavaUnsupportedPBE, Field: fieldKey, Detail: kr.scheme.name})
	}
	for _, r := range password {
		if r < 0x20 || r > 0x7e {
			return append(warnings, Warning{Kind: KindPasswordNotASCII, Field: fieldPassword})
		}
	}
	return warnings
}

// checkCertificate runs the checks that relate the key and the certificates.
func checkCertificate(cc *ClientCertificate, now time.Time) error {
	if cc.PrivateKey != nil {
		if err := checkKeyMatch(cc.Chain, cc.PrivateKey); err != nil {
			return err
		}
	}
	warnings, err := checkChainOrder(cc.Chain)
	if err != nil {
		return err
	}
	if err := checkValidity(fieldCertificate, cc.Chain, now); err != nil {
		return err
	}
	cc.Warnings = append(cc.Warnings, warnings...)
	cc.Warnings = append(cc.Warnings, clientAuthWarning(cc.Chain[0])...)
	return nil
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
