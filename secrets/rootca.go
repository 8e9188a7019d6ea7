package secrets

import (
	"crypto/x509"
	"fmt"
	"time"
)

// RootCA is a validated SERVER_ROOT_CA_CERTIFICATE secret or CA file.
type RootCA struct {
	Certs    []*x509.Certificate
	Pool     *x509.CertPool // every certificate of Certs
	Warnings []Warning
}

// ParseRootCASecret validates a root CA secret: {"certificate": "<PEM>"}
// holding at least one certificate. See ParseCAFile for the checks.
func ParseRootCASecret(doc []byte, now time.Time) (*RootCA, error) {
	d, err := parseDocument(doc)
	if err != nil {
		return nil, err
	}
	pemText, err := d.str(fieldCertificate, true)
	if err != nil {
		return nil, err
	}
	return parseRootCA(fieldCertificate, []byte(pemText), now)
}

// ParseCAFile validates a plain PEM bundle (the --ca-file flag). Every block
// must be a certificate. A certificate that is not a CA, or is outside its
// validity period, is a warning, never an error: Java loads every
// certificate of a PEM truststore and never checks a trust anchor's own
// dates, so an expired root still verifies the brokers for Lambda.
func ParseCAFile(pemBytes []byte, now time.Time) (*RootCA, error) {
	return parseRootCA("", pemBytes, now)
}

func parseRootCA(field string, data []byte, now time.Time) (*RootCA, error) {
	certs, err := parseCertificates(field, data)
	if err != nil {
		return nil, err
	}
	ca := &RootCA{Certs: certs, Pool: x509.NewCertPool()}
	for i, c := range certs {
		ca.Pool.AddCert(c)
		if !c.IsCA {
			detail := fmt.Sprintf("certificate %d of %d (%s) has no CA basic constraint", i+1, len(certs), subject(c))
			ca.Warnings = append(ca.Warnings, Warning{Kind: KindNotCA, Field: field, Detail: detail})
		}
		if e := validity(field, i, len(certs), c, now); e != nil {
			ca.Warnings = append(ca.Warnings, e.warning())
		}
	}
	return ca, nil
}
