package jvmtls

import (
	"bytes"
	"crypto/x509"
	"time"
)

// Options are the inputs of one verification.
type Options struct {
	// Roots are the trust anchors: the SERVER_ROOT_CA_CERTIFICATE
	// certificates, or the public set when the mapping has none.
	Roots []*x509.Certificate
	// PublicRoot reports whether an anchor is a root the JDK bundles
	// (Java's "jdkCA"); nil means none is.
	PublicRoot func(*x509.Certificate) bool
	// Host is the name the client connects to; "" skips the name check.
	Host string
	// Now is the time certificates are checked at.
	Now time.Time
	// KeyExchange is what the negotiated suite does with the leaf's key.
	KeyExchange KeyExchange
}

// Result is a verified path.
type Result struct {
	// Path is the presented certificates the path uses, leaf first; the
	// anchor is not part of it (Java never checks an anchor's own dates
	// or constraints).
	Path   []*x509.Certificate
	Anchor *x509.Certificate
}

// maxDepth bounds path building (Java's builder stops far earlier in
// practice; this only guards against a hostile chain).
const maxDepth = 8

// Verify checks the chain a server presented (leaf first, in any order
// after it) as Java's X509TrustManager does for an HTTPS-identified TLS
// server: a PKIX path to a trust anchor, the leaf's usages, then the name.
func Verify(chain []*x509.Certificate, o Options) (*Result, error) {
	if len(chain) == 0 {
		return nil, &Error{Reason: NoTrustAnchor, Index: -1, Detail: "the server presented no certificate"}
	}
	res, err := buildPath(chain, o)
	if err != nil {
		return nil, err
	}
	// Java's Validator skips EndEntityChecker when the leaf is itself the
	// trust anchor (its validated chain is one certificate long).
	if len(res.Path) > 0 {
		if err := checkEndEntity(chain[0], o.KeyExchange); err != nil {
			return nil, err
		}
	}
	if o.Host != "" {
		if err := checkHost(chain[0], o.Host, o.isPublic(res.Anchor)); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func (o Options) isPublic(anchor *x509.Certificate) bool {
	return anchor != nil && o.PublicRoot != nil && o.PublicRoot(anchor)
}

// builder searches the presented certificates for a path to an anchor, as
// Java's PKIXValidator (ordered chains) and SunCertPathBuilder (others) do.
type builder struct {
	chain []*x509.Certificate
	o     Options
	best  *Error
}

func buildPath(chain []*x509.Certificate, o Options) (*Result, *Error) {
	b := &builder{chain: chain, o: o}
	if res := b.extend([]int{0}); res != nil {
		return res, nil
	}
	if b.best == nil { // every way failed without a reason: never a pass
		return nil, fail(NoTrustAnchor, chain[0], 0, "no path to a trusted certificate")
	}
	return nil, b.best
}

// extend tries every way to finish the path (indexes into the chain, leaf
// first); it returns the first path that validates.
func (b *builder) extend(path []int) *Result {
	top := b.chain[path[len(path)-1]]
	if a := b.sameAsAnchor(top); a != nil {
		// A presented certificate that is trusted ends the path there
		// (a trusted leaf is accepted as it is).
		return b.try(path[:len(path)-1], a)
	}
	found := false
	for _, a := range b.o.Roots {
		if bytes.Equal(a.RawSubject, top.RawIssuer) {
			found = true
			if res := b.try(path, a); res != nil {
				return res
			}
		}
	}
	if len(path) < maxDepth {
		for i, c := range b.chain {
			if !contains(path, i) && bytes.Equal(c.RawSubject, top.RawIssuer) && !bytes.Equal(c.Raw, top.Raw) {
				found = true
				if res := b.extend(append(append([]int(nil), path...), i)); res != nil {
					return res
				}
			}
		}
	}
	if !found {
		b.record(b.dead(top, path[len(path)-1]))
	}
	return nil
}

// dead explains a path that cannot continue: its top certificate's issuer
// is neither presented nor trusted.
func (b *builder) dead(top *x509.Certificate, idx int) *Error {
	if bytes.Equal(top.RawIssuer, top.RawSubject) {
		e := fail(NoTrustAnchor, top, idx, "the chain ends at the self-signed %s, which is not a trusted certificate", top.Subject)
		e.Missing = top.Subject.String()
		return e
	}
	e := fail(Incomplete, top, idx, "issued by %s, which the server did not send and no trusted certificate is", top.Issuer)
	e.Missing = top.Issuer.String()
	return e
}

// try validates one candidate path under anchor a.
func (b *builder) try(path []int, a *x509.Certificate) *Result {
	if err := validate(b.chain, path, a, b.o); err != nil {
		b.record(err)
		return nil
	}
	res := &Result{Anchor: a}
	for _, i := range path {
		res.Path = append(res.Path, b.chain[i])
	}
	return res
}

func (b *builder) record(e *Error) {
	if b.best == nil || e.rank() > b.best.rank() {
		b.best = e
	}
}

// sameAsAnchor is Java's test for a presented certificate that is already
// trusted: the same certificate, or the same subject and public key.
func (b *builder) sameAsAnchor(c *x509.Certificate) *x509.Certificate {
	for _, a := range b.o.Roots {
		if bytes.Equal(a.Raw, c.Raw) || (bytes.Equal(a.RawSubject, c.RawSubject) && bytes.Equal(a.RawSubjectPublicKeyInfo, c.RawSubjectPublicKeyInfo)) {
			return a
		}
	}
	return nil
}

func contains(path []int, i int) bool {
	for _, p := range path {
		if p == i {
			return true
		}
	}
	return false
}
