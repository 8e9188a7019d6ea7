package checks

import (
	"crypto/x509"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/jvmtls"
	"github.com/esmdoctor/esmdoctor/probe"
)

// javaCodes maps the Java-rules verifier's reasons to codes; expiry is
// split by certificate (the leaf's dates or an intermediate's own).
var javaCodes = map[jvmtls.Reason]catalog.Code{
	jvmtls.NoTrustAnchor: catalog.TLS001, jvmtls.BadSignature: catalog.TLS001,
	jvmtls.Incomplete: catalog.TLS010, jvmtls.Hostname: catalog.TLS002,
	jvmtls.SHA1PublicRoot: catalog.TLS011,
	jvmtls.NotCA:          catalog.TLS012, jvmtls.CAKeyUsage: catalog.TLS012,
	jvmtls.PathLength: catalog.TLS014, jvmtls.NameConstraints: catalog.TLS015,
	jvmtls.CriticalExtension: catalog.TLS016,
	jvmtls.ExtKeyUsage:       catalog.TLS017, jvmtls.NetscapeCertType: catalog.TLS017,
	jvmtls.KeyUsage: catalog.TLS018,
	jvmtls.WeakKey:  catalog.TLS019, jvmtls.DisabledAlgorithm: catalog.TLS019,
}

// classifyJava turns a failure of Java's rules into an outcome.
func classifyJava(e *jvmtls.Error, o probe.TLSObservation, args Args) Outcome {
	args["detail"] = e.Detail
	if e.Cert != nil {
		args["cert"] = e.Cert.Subject.String()
		args["cert_not_before"] = e.Cert.NotBefore.UTC().Format(time.RFC3339)
		args["cert_not_after"] = e.Cert.NotAfter.UTC().Format(time.RFC3339)
		args["detail"] = "certificate " + e.Cert.Subject.String() + ": " + e.Detail
	}
	args["suite"] = e.Negotiated
	detail := []string{"Java's rules: " + e.Reason.String() + ": " + e.Detail}
	switch e.Reason {
	case jvmtls.Expired, jvmtls.NotYetValid:
		if e.Index == 0 {
			return fail(catalog.TLS003, args, detail...)
		}
		return fail(catalog.TLS013, args, detail...)
	case jvmtls.Incomplete:
		args["missing_issuer"], args["top"], args["sent"] = e.Missing, e.Cert.Subject.String(), sentChain(o.PeerChain)
	case jvmtls.Unsupported:
		args["fix"] = "none needed if Lambda connects; esmdoctor cannot check this signature, so it did not verify the chain"
		return warn(catalog.TLS101, args, detail...)
	}
	code, ok := javaCodes[e.Reason]
	if !ok {
		code = catalog.TLS001
	}
	return fail(code, args, detail...)
}

// sentChain describes what the broker presented.
func sentChain(chain []*x509.Certificate) string {
	if len(chain) == 1 {
		return "only its own certificate " + chain[0].Subject.String()
	}
	names := make([]string, len(chain))
	for i, c := range chain {
		names[i] = c.Subject.String()
	}
	return fmt.Sprintf("%d certificates (%s)", len(chain), strings.Join(names, "; "))
}

// verifyIPHost checks an IP-literal broker address against the leaf: the
// TLS configuration verifies the name sent in SNI, and an IP address is
// never sent there.
func verifyIPHost(o probe.TLSObservation, s *State) error {
	host, _, err := net.SplitHostPort(o.Addr)
	if err != nil || net.ParseIP(host) == nil || len(o.PeerChain) == 0 {
		return nil
	}
	public := s.Creds.Roots == nil
	return jvmtls.VerifyHost(o.PeerChain[0], host, public)
}

// localTrustNote says when the machine's own trust store (or
// SSL_CERT_FILE) would accept a chain that Lambda's public roots do not:
// a private root installed locally is invisible to Lambda.
func localTrustNote(chain []*x509.Certificate, host string) string {
	if len(chain) == 0 {
		return ""
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		return ""
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	chains, err := chain[0].Verify(x509.VerifyOptions{Roots: pool, Intermediates: inter})
	if err != nil || len(chains) == 0 {
		return ""
	}
	root := chains[0][len(chains[0])-1]
	return fmt.Sprintf("this machine's trust store (or SSL_CERT_FILE) trusts %s for %s, but Lambda's Java uses public roots only: add that root as SERVER_ROOT_CA_CERTIFICATE", root.Subject, host)
}
