package jvmtls

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"time"
)

// Extensions whose criticality Java's PKIX checkers resolve (KeyChecker,
// ConstraintsChecker, PolicyChecker); any other critical extension on a
// certificate of the path fails validation.
var pkixHandled = map[string]bool{
	"2.5.29.15": true, // keyUsage
	"2.5.29.37": true, // extendedKeyUsage
	"2.5.29.17": true, // subjectAltName
	"2.5.29.19": true, // basicConstraints
	"2.5.29.30": true, // nameConstraints
	"2.5.29.32": true, // certificatePolicies
	"2.5.29.33": true, // policyMappings
	"2.5.29.36": true, // policyConstraints
	"2.5.29.54": true, // inhibitAnyPolicy
}

var oidKeyUsage = asn1.ObjectIdentifier{2, 5, 29, 15}

// pathState is what PKIX validation carries from one certificate to the
// next, walking from the anchor down to the leaf.
type pathState struct {
	signer      any    // the previous certificate's (or the anchor's) key
	signerName  []byte // its raw subject
	maxPathLen  int    // Java's maxPathLength
	constraints []*x509.Certificate
	publicRoot  bool
}

// validate is Java's PKIXCertPathValidator over path (indexes into chain,
// leaf first) under anchor a: per certificate, in Java's checker order,
// algorithm constraints, CA key usage, basic and name constraints, then
// signature and dates. The anchor itself is never checked, except its key
// as the signer of the first certificate.
func validate(chain []*x509.Certificate, path []int, a *x509.Certificate, o Options) *Error {
	st := &pathState{signer: a.PublicKey, signerName: a.RawSubject, maxPathLen: len(path), publicRoot: o.isPublic(a)}
	if len(path) > 0 {
		// AlgorithmChecker constrains the signer's key, the anchor's too.
		if e := checkKey(a, -1); e != nil {
			e.Detail = "the trusted root's " + e.Detail
			return e
		}
	}
	for k := len(path) - 1; k >= 0; k-- {
		c, idx := chain[path[k]], path[k]
		if e := st.check(c, idx, k == 0, o.Now); e != nil {
			return e
		}
		st.signer, st.signerName = c.PublicKey, c.RawSubject
	}
	return nil
}

// check runs the checkers on one certificate of the path.
func (st *pathState) check(c *x509.Certificate, idx int, leaf bool, now time.Time) *Error {
	if e := checkAlgorithm(c, idx, st.publicRoot); e != nil {
		return e
	}
	if e := checkKey(c, idx); e != nil {
		return e
	}
	if !leaf {
		if e := st.checkCA(c, idx); e != nil {
			return e
		}
	}
	if e := st.checkNames(c, idx, leaf); e != nil {
		return e
	}
	if !leaf && hasExtension(c, oidNameConstraints) {
		st.constraints = append(st.constraints, c)
	}
	if e := checkSig(c, idx, st.signer); e != nil {
		return e
	}
	if e := checkDates(c, idx, now); e != nil {
		return e
	}
	// Java's PKIX checkers resolve criticality for every certificate of
	// the path, the leaf included; EndEntityChecker does not re-check it
	// under PKIX (a leaf with critical certificatePolicies is accepted).
	return checkCritical(c, idx, pkixHandled)
}

// checkCA is KeyChecker and ConstraintsChecker for an intermediate.
func (st *pathState) checkCA(c *x509.Certificate, idx int) *Error {
	if hasExtension(c, oidKeyUsage) && c.KeyUsage&x509.KeyUsageCertSign == 0 {
		return fail(CAKeyUsage, c, idx, "issues a certificate but its keyUsage lacks keyCertSign")
	}
	if !c.BasicConstraintsValid || !c.IsCA {
		return fail(NotCA, c, idx, "issues a certificate but has no basicConstraints CA:TRUE (it is not a CA certificate)")
	}
	if !bytes.Equal(c.RawSubject, c.RawIssuer) {
		if st.maxPathLen <= 0 {
			return fail(PathLength, c, idx, "a CA above it allows no further intermediate (pathLenConstraint)")
		}
		st.maxPathLen--
	}
	if c.MaxPathLen >= 0 && c.MaxPathLen < st.maxPathLen {
		st.maxPathLen = c.MaxPathLen
	}
	return nil
}

func checkSig(c *x509.Certificate, idx int, signer any) *Error {
	err := checkSignature(c, signer)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, errUnsupported):
		return fail(Unsupported, c, idx, "signature algorithm %s cannot be checked by esmdoctor", c.SignatureAlgorithm)
	}
	return fail(BadSignature, c, idx, "its signature (%s) does not verify with the key of its issuer %s", c.SignatureAlgorithm, c.Issuer)
}

func checkDates(c *x509.Certificate, idx int, now time.Time) *Error {
	const layout = "2006-01-02 15:04:05 UTC"
	switch {
	case now.After(c.NotAfter):
		return fail(Expired, c, idx, "expired %s (valid from %s)", c.NotAfter.UTC().Format(layout), c.NotBefore.UTC().Format(layout))
	case now.Before(c.NotBefore):
		return fail(NotYetValid, c, idx, "not valid before %s", c.NotBefore.UTC().Format(layout))
	}
	return nil
}

// checkCritical fails on a critical extension outside handled.
func checkCritical(c *x509.Certificate, idx int, handled map[string]bool) *Error {
	for _, ext := range c.Extensions {
		if ext.Critical && !handled[ext.Id.String()] {
			return fail(CriticalExtension, c, idx, "critical extension %s is not one Java processes", ext.Id)
		}
	}
	return nil
}

func hasExtension(c *x509.Certificate, oid asn1.ObjectIdentifier) bool {
	for _, ext := range c.Extensions {
		if ext.Id.Equal(oid) {
			return true
		}
	}
	return false
}
