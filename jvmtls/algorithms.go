package jvmtls

import (
	"crypto"
	"crypto/dsa" //nolint:staticcheck // Java still verifies DSA signatures; Go keeps the primitive
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // SHA-1 signatures are allowed by Java under private roots
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"math/big"
)

// Key size floors of jdk.certpath.disabledAlgorithms (Java 17 defaults):
// "RSA keySize < 1024, DSA keySize < 1024, EC keySize < 224".
const (
	minRSABits = 1024
	minDSABits = 1024
	minECBits  = 224
)

// keyBits is the size Java's constraints compare, and whether it is known.
func keyBits(pub any) (string, int, bool) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return "RSA", k.N.BitLen(), true
	case *ecdsa.PublicKey:
		return "EC", k.Curve.Params().BitSize, true
	case *dsa.PublicKey:
		return "DSA", k.P.BitLen(), true
	case ed25519.PublicKey:
		return "Ed25519", 255, true
	}
	return "", 0, false
}

// checkKey applies the key size floors to one certificate's key.
func checkKey(c *x509.Certificate, idx int) *Error {
	alg, bits, ok := keyBits(c.PublicKey)
	if !ok {
		return nil
	}
	floor := map[string]int{"RSA": minRSABits, "DSA": minDSABits, "EC": minECBits}[alg]
	if bits < floor {
		return fail(WeakKey, c, idx, "%s key of %d bits: jdk.certpath.disabledAlgorithms forbids %s keySize < %d", alg, bits, alg, floor)
	}
	return nil
}

// sigHash is the digest inside a signature algorithm, as Java decomposes
// "SHA1withRSA" into SHA1 and RSA for its constraints.
func sigHash(a x509.SignatureAlgorithm) string {
	switch a {
	case x509.MD2WithRSA:
		return "MD2"
	case x509.MD5WithRSA:
		return "MD5"
	case x509.SHA1WithRSA, x509.ECDSAWithSHA1, x509.DSAWithSHA1:
		return "SHA1"
	}
	return ""
}

// checkAlgorithm applies "MD2, MD5, SHA1 jdkCA & usage TLSServer" to the
// signature on c; publicRoot says the path ends at a JDK-bundled root.
func checkAlgorithm(c *x509.Certificate, idx int, publicRoot bool) *Error {
	switch h := sigHash(c.SignatureAlgorithm); {
	case h == "MD2" || h == "MD5":
		return fail(DisabledAlgorithm, c, idx, "signed with %s: jdk.certpath.disabledAlgorithms forbids %s", c.SignatureAlgorithm, h)
	case h == "SHA1" && publicRoot:
		return fail(SHA1PublicRoot, c, idx, "signed with %s in a chain to a root the JDK bundles: jdk.certpath.disabledAlgorithms forbids \"SHA1 jdkCA & usage TLSServer\" (a private root would be accepted)", c.SignatureAlgorithm)
	}
	return nil
}

// errUnsupported marks a signature Go's primitives cannot check.
var errUnsupported = errors.New("signature algorithm not implemented by esmdoctor")

// checkSignature verifies c's signature with the issuer's public key. SHA-1
// and DSA signatures, which crypto/x509 no longer verifies, are checked with
// the crypto primitives directly, as Java still accepts them.
func checkSignature(c *x509.Certificate, pub any) error {
	switch c.SignatureAlgorithm {
	case x509.SHA1WithRSA, x509.ECDSAWithSHA1, x509.DSAWithSHA1:
		sum := sha1.Sum(c.RawTBSCertificate) //nolint:gosec
		return verifyDigest(pub, crypto.SHA1, sum[:], c.Signature)
	case x509.DSAWithSHA256:
		sum := sha256.Sum256(c.RawTBSCertificate)
		return verifyDigest(pub, crypto.SHA256, sum[:], c.Signature)
	case x509.MD2WithRSA, x509.MD5WithRSA, x509.UnknownSignatureAlgorithm:
		return errUnsupported
	}
	issuer := &x509.Certificate{PublicKey: pub}
	err := issuer.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature)
	if errors.Is(err, x509.ErrUnsupportedAlgorithm) {
		return errUnsupported
	}
	return err
}

// verifyDigest checks a signature over a precomputed digest.
func verifyDigest(pub any, h crypto.Hash, digest, sig []byte) error {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return rsa.VerifyPKCS1v15(k, h, digest, sig)
	case *ecdsa.PublicKey:
		if !ecdsa.VerifyASN1(k, digest, sig) {
			return errors.New("ECDSA signature does not verify")
		}
		return nil
	case *dsa.PublicKey:
		var rs struct{ R, S *big.Int }
		if rest, err := asn1.Unmarshal(sig, &rs); err != nil || len(rest) > 0 || rs.R == nil || rs.S == nil {
			return errors.New("malformed DSA signature")
		}
		if n := (k.Q.BitLen() + 7) / 8; len(digest) > n {
			digest = digest[:n] // FIPS 186-3 4.6: the caller truncates
		}
		if !dsa.Verify(k, digest, rs.R, rs.S) {
			return errors.New("DSA signature does not verify")
		}
		return nil
	}
	return errUnsupported
}
