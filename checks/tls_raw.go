package checks

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"net"
	"sync"

	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/jvmtls"
	"github.com/esmdoctor/esmdoctor/probe"
)

// Alerts after which Java's client may still succeed where Go failed: the
// server found no suite or key it shares with Go.
const alertInsufficientSecurity = 71

// askAsJava completes the observations of handshakes Go could not finish
// for reasons Java's client may not share (no common suite, a key type Go
// cannot use): the server is asked with Java's own TLS 1.2 offer, which
// shows the suite it picks and, in clear, its certificates.
func askAsJava(ctx context.Context, obs []probe.TLSObservation, s *State) {
	var wg sync.WaitGroup
	for i := range obs {
		if !goSpecificFailure(obs[i]) {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			host, _, _ := net.SplitHostPort(obs[i].Addr)
			raw := probe.TLS12Hello(ctx, obs[i].Addr, host, jvmtls.JavaTLS12Suites(), s.Step)
			obs[i].Raw = &raw
			if len(obs[i].PeerChain) == 0 {
				obs[i].PeerChain = raw.Chain
			}
		}()
	}
	wg.Wait()
}

// goSpecificFailure is a handshake that failed before any verdict on the
// certificate: the server refused every suite Go offers, or Go refused
// the server's key or parameters itself.
func goSpecificFailure(o probe.TLSObservation) bool {
	if o.Err == nil {
		return false
	}
	var verr *tls.CertificateVerificationError
	var header tls.RecordHeaderError
	if errors.As(o.Err, &verr) || errors.As(o.Err, &header) || isTimeout(o.Err) || isClosed(o.Err) {
		return false
	}
	if a, ok := probe.RemoteAlert(o.Err); ok {
		return a == alertHandshakeFailure || a == alertInsufficientSecurity
	}
	var op *net.OpError
	return !errors.As(o.Err, &op) // a local handshake error, not a dial error
}

// classifyRaw judges a server Go could not handshake with by what it
// answered Java's offer: its chain is verified by Java's rules; when it
// passes, Lambda's client would connect and esmdoctor says it cannot.
func classifyRaw(o probe.TLSObservation, s *State, args Args) (Outcome, bool) {
	raw := o.Raw
	if raw == nil || raw.Err != nil || raw.HasAlert || len(raw.Chain) == 0 {
		return Outcome{}, false
	}
	suite, offered := jvmtls.LookupSuite(raw.Suite)
	leaf := raw.Chain[0]
	if raw.Version != tls.VersionTLS12 || !offered || (suite.Go && goUsableKey(leaf.PublicKey)) {
		// Java would refuse another version or a suite it did not offer;
		// a suite and key Go can use means the failure is elsewhere.
		return Outcome{}, false
	}
	roots := brokerRoots(s)
	if roots == nil {
		roots = jvmtls.PublicRoots()
	}
	host, _, _ := net.SplitHostPort(o.Addr)
	_, err := jvmtls.Verify(raw.Chain, jvmtls.Options{Roots: roots, PublicRoot: jvmtls.IsPublicRoot, Host: host,
		Now: s.Cfg.Now(), KeyExchange: suite.KX})
	var je *jvmtls.Error
	if errors.As(err, &je) {
		je.Negotiated = "TLS 1.2 " + suite.Name
		return classifyJava(je, o, args), true
	}
	why := fmt.Sprintf("the broker chose %s (TLS 1.2) with a %s certificate", suite.Name, keyName(leaf))
	args["detail"] = why + ": Go's crypto/tls cannot complete that handshake, Lambda's Java client can; its certificate chain passes Java's rules (checked by esmdoctor), so Lambda's client would connect, but esmdoctor cannot check what follows (SASL, topic, group)"
	args["fix"] = "nothing to fix for Lambda; to let esmdoctor check the rest of the pipeline, also enable an ECDHE suite (e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256) with an RSA or EC certificate on this listener"
	return warn(catalog.TLS101, args), true
}

func goUsableKey(pub any) bool {
	switch pub.(type) {
	case *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey:
		return true
	}
	return false
}

// keyName names a certificate's key type, RSASSA-PSS included (Go parses
// such a certificate but not its key).
func keyName(c *x509.Certificate) string {
	if c.PublicKeyAlgorithm != x509.UnknownPublicKeyAlgorithm {
		return c.PublicKeyAlgorithm.String() + " key"
	}
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		Key       asn1.BitString
	}
	if _, err := asn1.Unmarshal(c.RawSubjectPublicKeyInfo, &spki); err == nil && spki.Algorithm.Algorithm.Equal(oidRSAPSS) {
		return "RSASSA-PSS key"
	}
	return "key of a type Go does not implement"
}

var oidRSAPSS = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}
