package secrets

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"
)

// parseCertificates parses every PEM block of field as a certificate.
func parseCertificates(field string, data []byte) ([]*x509.Certificate, error) {
	blocks, err := decodePEM(field, data)
	if err != nil {
		return nil, err
	}
	certs := make([]*x509.Certificate, 0, len(blocks))
	for i, b := range blocks {
		if b.Type != "CERTIFICATE" {
			detail := fmt.Sprintf("block %d is %s, not CERTIFICATE", i+1, label(b.Type))
			return nil, newError(KindWrongPEMType, field, detail)
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			// Certificates are public: the parser's message is safe to show.
			detail := fmt.Sprintf("certificate %d: %v", i+1, err)
			return nil, &Error{Kind: KindBadCertificate, Field: field, Detail: detail, Err: err}
		}
		certs = append(certs, c)
	}
	return certs, nil
}

// subject names a certificate in messages.
func subject(c *x509.Certificate) string {
	s := c.Subject.String()
	if s == "" {
		return "empty subject"
	}
	if len(s) > 120 {
		s = strings.ToValidUTF8(s[:120], "") + "..."
	}
	return s
}

// checkKeyMatch verifies the key belongs to the first certificate. A key
// that belongs to another certificate of the chain means the chain is out
// of order, which is the more useful thing to say.
func checkKeyMatch(chain []*x509.Certificate, key crypto.Signer) *Error {
	pub, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || pub.Equal(chain[0].PublicKey) {
		return nil
	}
	for i, c := range chain[1:] {
		if pub.Equal(c.PublicKey) {
			detail := fmt.Sprintf("the private key belongs to certificate %d of %d (%s), not the first%s",
				i+2, len(chain), subject(c), reversedNote(chain))
			return newError(KindChainOrder, fieldCertificate, detail)
		}
	}
	return newError(KindKeyMismatch, fieldKey, "the first certificate is "+subject(chain[0]))
}

// checkChainNames is the check Java's key store makes when Kafka's loader
// stores the chain: each certificate's issuer names the next one's
// subject, and no certificate repeats.
func checkChainNames(chain []*x509.Certificate) *Error {
	for i := 0; i+1 < len(chain); i++ {
		child, parent := chain[i], chain[i+1]
		if !bytes.Equal(child.RawIssuer, parent.RawSubject) {
			detail := fmt.Sprintf("certificate %d (%s) is not issued by certificate %d (%s)%s",
				i+1, subject(child), i+2, subject(parent), reversedNote(chain))
			return newError(KindChainOrder, fieldCertificate, detail)
		}
	}
	for i := range chain {
		for j := i + 1; j < len(chain); j++ {
			if bytes.Equal(chain[i].Raw, chain[j].Raw) {
				detail := fmt.Sprintf("certificate %d repeats certificate %d (%s); Java's key store rejects a chain with duplicates",
					j+1, i+1, subject(chain[i]))
				return newError(KindChainOrder, fieldCertificate, detail)
			}
		}
	}
	return nil
}

// checkChainSignatures verifies that each certificate is signed by the
// next one, as the broker's certificate path validation will. A signature
// crypto/x509 cannot check (SHA-1, MD5, an unknown algorithm) yields a
// warning instead: Java may well accept it.
func checkChainSignatures(chain []*x509.Certificate) ([]Warning, error) {
	var warnings []Warning
	for i := 0; i+1 < len(chain); i++ {
		w, err := checkSignature(i, chain[i], chain[i+1])
		if err != nil {
			return warnings, err
		}
		warnings = append(warnings, w...)
	}
	return warnings, nil
}

func checkSignature(i int, child, parent *x509.Certificate) ([]Warning, error) {
	err := child.CheckSignatureFrom(parent)
	var notCA x509.ConstraintViolationError
	var weak x509.InsecureAlgorithmError
	unverified := ""
	switch {
	case err == nil:
		return nil, nil
	case errors.As(err, &notCA):
		detail := fmt.Sprintf("certificate %d (%s) issues certificate %d but may not sign certificates",
			i+2, subject(parent), i+1)
		return nil, newError(KindNotCA, fieldCertificate, detail)
	case errors.As(err, &weak):
		unverified = "which crypto/x509 refuses as insecure"
	case errors.Is(err, x509.ErrUnsupportedAlgorithm):
		unverified = "which crypto/x509 does not support"
	}
	if unverified != "" {
		detail := fmt.Sprintf("certificate %d (%s) is signed with %v, %s",
			i+1, subject(child), child.SignatureAlgorithm, unverified)
		return []Warning{{Kind: KindUnverifiedSignature, Field: fieldCertificate, Detail: detail}}, nil
	}
	detail := fmt.Sprintf("the signature of certificate %d (%s) does not verify with the key of certificate %d (%s): "+
		"the names match, but certificate %d is not the issuer that signed it",
		i+1, subject(child), i+2, subject(parent), i+2)
	return nil, &Error{Kind: KindChainSignature, Field: fieldCertificate, Detail: detail, Err: err}
}

// reversedNote adds a hint when the chain is in exactly reverse order.
func reversedNote(chain []*x509.Certificate) string {
	if len(chain) < 2 {
		return ""
	}
	for i := 0; i+1 < len(chain); i++ {
		if !bytes.Equal(chain[i+1].RawIssuer, chain[i].RawSubject) {
			return ""
		}
	}
	return "; the chain is in reverse order (root first)"
}

// checkValidity fails on the first certificate outside its validity period.
func checkValidity(field string, certs []*x509.Certificate, now time.Time) error {
	for i, c := range certs {
		if err := validity(field, i, len(certs), c, now); err != nil {
			return err
		}
	}
	return nil
}

func validity(field string, i, n int, c *x509.Certificate, now time.Time) *Error {
	switch {
	case now.After(c.NotAfter):
		detail := fmt.Sprintf("certificate %d of %d (%s) expired on %s", i+1, n, subject(c), stamp(c.NotAfter))
		return newError(KindExpired, field, detail)
	case now.Before(c.NotBefore):
		detail := fmt.Sprintf("certificate %d of %d (%s) is valid from %s", i+1, n, subject(c), stamp(c.NotBefore))
		return newError(KindNotYetValid, field, detail)
	}
	return nil
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// checkClientAuth fails a leaf whose extended key usage excludes
// clientAuth: the broker's certificate path validation refuses it as a
// client certificate.
func checkClientAuth(leaf *x509.Certificate) error {
	if len(leaf.ExtKeyUsage) == 0 && len(leaf.UnknownExtKeyUsage) == 0 {
		return nil
	}
	for _, u := range leaf.ExtKeyUsage {
		if u == x509.ExtKeyUsageClientAuth || u == x509.ExtKeyUsageAny {
			return nil
		}
	}
	return newError(KindNoClientAuth, fieldCertificate, subject(leaf))
}

// incompleteChainWarning flags a chain that stops at a certificate that is
// not self-signed: the broker must then trust that certificate's issuer
// itself, which esmdoctor cannot see from the secret.
func incompleteChainWarning(chain []*x509.Certificate) []Warning {
	last := chain[len(chain)-1]
	if bytes.Equal(last.RawIssuer, last.RawSubject) && last.CheckSignature(last.SignatureAlgorithm, last.RawTBSCertificate, last.Signature) == nil {
		return nil
	}
	detail := fmt.Sprintf("it ends at certificate %d (%s), issued by %s, which the secret does not include: "+
		"the broker's truststore must hold %s itself", len(chain), subject(last), last.Issuer, last.Issuer)
	return []Warning{{Kind: KindChainIncomplete, Field: fieldCertificate, Detail: detail}}
}

// IncompleteChain describes where the client chain stops below a root,
// for the tls check's message; "" when it ends at a self-signed root.
func (c ClientCertificate) IncompleteChain() string {
	if len(c.Chain) == 0 {
		return ""
	}
	w := incompleteChainWarning(c.Chain)
	if len(w) == 0 {
		return ""
	}
	last := c.Chain[len(c.Chain)-1]
	return fmt.Sprintf("the chain sent ends at %s, issued by %s, which the secret does not include", subject(last), last.Issuer)
}
