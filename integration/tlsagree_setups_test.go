package integration

import (
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"net"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/fixtures"
)

// tlsSetup is one server the agreement test presents to both clients.
type tlsSetup struct {
	name  string
	host  string             // the name the clients connect to
	chain []*fixtures.Issued // what the server sends, leaf first
	roots []*fixtures.Issued // SERVER_ROOT_CA_CERTIFICATE; none: public roots
	// server adjusts the server's TLS configuration (versions, suites).
	server func(*tls.Config)
	// javaAccepts is what Kafka's Java client is expected to do.
	javaAccepts bool
	// code is esmdoctor's expected code, when it fails or warns.
	code string
	// differs, when set, explains a known difference from the Java client.
	differs string
	// java, when set, makes a Java server present the setup (what Go
	// cannot serve); chain and roots are then unused.
	java *javaServed
}

// trust is the CA file's PEM: the roots, or a Java-served setup's own
// certificate when it trusts itself.
func (s tlsSetup) trust() []byte {
	if s.java != nil && s.java.trustSelf {
		return s.java.certPEM
	}
	return pemOf(s.roots)
}

const agreeHost = "kafka.example.test"

// pki is the fixed hierarchy most setups share.
type pki struct {
	root, inter, other *fixtures.Issued
}

var (
	caUsage   = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	tlsUsage  = x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
	serverEKU = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	past      = func() time.Time { return time.Now().Add(-2 * time.Hour) }
	future    = func() time.Time { return time.Now().Add(2 * time.Hour) }
)

type mod = func(*fixtures.Spec)

func caCert(cn string, parent *fixtures.Issued, mods ...mod) *fixtures.Issued {
	s := fixtures.Spec{CN: cn, IsCA: true, KeyUsage: caUsage}
	for _, m := range mods {
		m(&s)
	}
	return fixtures.MustIssue(s, parent)
}

func leafCert(parent *fixtures.Issued, mods ...mod) *fixtures.Issued {
	s := fixtures.Spec{CN: agreeHost, DNS: []string{agreeHost}, KeyUsage: tlsUsage, EKU: serverEKU}
	for _, m := range mods {
		m(&s)
	}
	return fixtures.MustIssue(s, parent)
}

func withDNS(names ...string) mod { return func(s *fixtures.Spec) { s.DNS = names } }
func withCN(cn string) mod        { return func(s *fixtures.Spec) { s.CN = cn } }
func withKey(k string) mod        { return func(s *fixtures.Spec) { s.Key = k } }
func withKU(ku x509.KeyUsage) mod {
	return func(s *fixtures.Spec) { s.KeyUsage = ku }
}
func withEKU(e ...x509.ExtKeyUsage) mod { return func(s *fixtures.Spec) { s.EKU = e } }
func withSHA1(s *fixtures.Spec)         { s.SigAlg = x509.SHA1WithRSA }
func expired(s *fixtures.Spec)          { s.NotAfter = past() }
func notYet(s *fixtures.Spec)           { s.NotBefore = future() }
func withExt(e pkix.Extension) mod {
	return func(s *fixtures.Spec) { s.Extra = append(s.Extra, e) }
}
func withIPs(ips ...net.IP) mod { return func(s *fixtures.Spec) { s.IPs = ips } }

func chain(is ...*fixtures.Issued) []*fixtures.Issued { return is }

// tls12 pins the server to TLS 1.2 with the given suites.
func tls12(suites ...uint16) func(*tls.Config) {
	return func(c *tls.Config) { c.MaxVersion, c.CipherSuites = tls.VersionTLS12, suites }
}

func tlsSetups(t *testing.T) []tlsSetup {
	t.Helper()
	p := pki{root: caCert("Agreement Root", nil), other: caCert("Other Root", nil)}
	p.inter = caCert("Agreement Intermediate", p.root)
	var all []tlsSetup
	all = append(all, chainSetups(p)...)
	all = append(all, nameSetups(p)...)
	all = append(all, usageSetups(p)...)
	all = append(all, constraintSetups(p)...)
	all = append(all, protocolSetups(p)...)
	all = append(all, moreSetups(p)...)
	all = append(all, cornerSetups(p)...)
	all = append(all, nameConstraintSetups(p)...)
	for i := range all {
		if all[i].host == "" {
			all[i].host = agreeHost
		}
	}
	return all
}

func chainSetups(p pki) []tlsSetup {
	rsaRoot := caCert("RSA Root", nil, withKey("rsa2048"))
	sha1Inter := caCert("SHA-1 Intermediate", rsaRoot, withSHA1)
	sha1Root := caCert("SHA-1 Root", nil, withKey("rsa2048"), withSHA1)
	sameName := caCert("Agreement Root", nil)
	selfSigned := leafCert(nil)
	return []tlsSetup{
		{name: "baseline-ec", chain: chain(leafCert(p.root)), roots: chain(p.root), javaAccepts: true},
		{name: "baseline-rsa", chain: chain(leafCert(rsaRoot, withKey("rsa2048"))), roots: chain(rsaRoot), javaAccepts: true},
		{name: "intermediate-sent", chain: chain(leafCert(p.inter), p.inter), roots: chain(p.root), javaAccepts: true},
		{name: "chain-with-root", chain: chain(leafCert(p.inter), p.inter, p.root), roots: chain(p.root), javaAccepts: true},
		{name: "chain-unordered", chain: chain(leafCert(p.inter), p.root, p.inter), roots: chain(p.root), javaAccepts: true},
		{name: "intermediate-missing", chain: chain(leafCert(p.inter)), roots: chain(p.root), code: "ESM-TLS-010"},
		{name: "intermediate-in-ca-file", chain: chain(leafCert(p.inter)), roots: chain(p.root, p.inter), javaAccepts: true},
		{name: "ca-file-holds-intermediate-only", chain: chain(leafCert(p.inter), p.inter), roots: chain(p.inter), javaAccepts: true},
		{name: "wrong-ca-file", chain: chain(leafCert(p.root), p.root), roots: chain(p.other), code: "ESM-TLS-001"},
		{name: "private-ca-without-ca-file", chain: chain(leafCert(p.root), p.root), code: "ESM-TLS-001"},
		{name: "self-signed-leaf-pinned", chain: chain(selfSigned), roots: chain(selfSigned), javaAccepts: true},
		{name: "self-signed-leaf-untrusted", chain: chain(selfSigned), roots: chain(p.root), code: "ESM-TLS-001"},
		{name: "root-name-other-key", chain: chain(leafCert(sameName)), roots: chain(p.root), code: "ESM-TLS-001"},
		{name: "sha1-leaf-private-root", chain: chain(leafCert(rsaRoot, withSHA1)), roots: chain(rsaRoot), javaAccepts: true},
		{name: "sha1-intermediate-private-root", chain: chain(leafCert(sha1Inter), sha1Inter), roots: chain(rsaRoot), javaAccepts: true},
		{name: "sha1-self-signed-root", chain: chain(leafCert(sha1Root)), roots: chain(sha1Root), javaAccepts: true},
	}
}

func nameSetups(p pki) []tlsSetup {
	cnOnly := withDNS()
	return []tlsSetup{
		{name: "cn-only", chain: chain(leafCert(p.root, cnOnly)), roots: chain(p.root), javaAccepts: true},
		{name: "cn-with-ip-only-san", chain: chain(leafCert(p.root, cnOnly, withIPs(net.IPv4(10, 9, 8, 7)))), roots: chain(p.root), javaAccepts: true},
		{name: "cn-matches-dns-san-does-not", chain: chain(leafCert(p.root, withDNS("other.example.test"))), roots: chain(p.root), code: "ESM-TLS-002"},
		{name: "san-matches-cn-does-not", chain: chain(leafCert(p.root, withCN("something else"))), roots: chain(p.root), javaAccepts: true},
		{name: "wildcard-first-label", chain: chain(leafCert(p.root, withDNS("*.example.test"))), roots: chain(p.root), javaAccepts: true},
		{name: "wildcard-inside-label", host: "kafka-1.example.test", chain: chain(leafCert(p.root, withDNS("kafka-*.example.test"))), roots: chain(p.root), javaAccepts: true},
		{name: "wildcard-two-labels-deep", host: "a.kafka.example.test", chain: chain(leafCert(p.root, withDNS("*.example.test"))), roots: chain(p.root), code: "ESM-TLS-002"},
		{name: "wildcard-middle-label", chain: chain(leafCert(p.root, withDNS("kafka.*.test"))), roots: chain(p.root), javaAccepts: true},
		{name: "wildcard-in-cn-only", chain: chain(leafCert(p.root, cnOnly, withCN("*.example.test"))), roots: chain(p.root), javaAccepts: true},
		{name: "upper-case-san", chain: chain(leafCert(p.root, withDNS("KAFKA.Example.TEST"))), roots: chain(p.root), javaAccepts: true},
		{name: "ip-host-ip-san", host: "127.0.0.1", chain: chain(leafCert(p.root, withIPs(net.IPv4(127, 0, 0, 1)))), roots: chain(p.root), javaAccepts: true},
		{name: "ip-host-cn-only", host: "127.0.0.1", chain: chain(leafCert(p.root, cnOnly, withCN("127.0.0.1"))), roots: chain(p.root), code: "ESM-TLS-002"},
		{name: "ip-host-dns-san-only", host: "127.0.0.1", chain: chain(leafCert(p.root, withDNS("127.0.0.1", agreeHost))), roots: chain(p.root), code: "ESM-TLS-002"},
	}
}

func usageSetups(p pki) []tlsSetup {
	clientInter := caCert("Client-only Intermediate", p.root, withEKU(x509.ExtKeyUsageClientAuth))
	nsClient, _ := asn1.Marshal(asn1.BitString{Bytes: []byte{0x80}, BitLength: 1})
	nsServer, _ := asn1.Marshal(asn1.BitString{Bytes: []byte{0x40}, BitLength: 2})
	nsType := func(v []byte) mod {
		return withExt(pkix.Extension{Id: asn1.ObjectIdentifier{2, 16, 840, 1, 113730, 1, 1}, Value: v})
	}
	rsaRoot := caCert("RSA Usage Root", nil, withKey("rsa2048"))
	rsaLeaf := func(ku x509.KeyUsage) *fixtures.Issued { return leafCert(rsaRoot, withKey("rsa2048"), withKU(ku)) }
	rsaKex := tls12(tls.TLS_RSA_WITH_AES_128_GCM_SHA256)
	ecdhe := tls12(tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)
	return []tlsSetup{
		{name: "leaf-eku-client-only", chain: chain(leafCert(p.root, withEKU(x509.ExtKeyUsageClientAuth))), roots: chain(p.root), code: "ESM-TLS-017"},
		{name: "leaf-eku-any", chain: chain(leafCert(p.root, withEKU(x509.ExtKeyUsageAny))), roots: chain(p.root), javaAccepts: true},
		{name: "leaf-without-eku", chain: chain(leafCert(p.root, withEKU())), roots: chain(p.root), javaAccepts: true},
		{name: "intermediate-eku-client-only", chain: chain(leafCert(clientInter), clientInter), roots: chain(p.root), javaAccepts: true},
		{name: "ku-encipherment-only-tls13", chain: chain(rsaLeaf(x509.KeyUsageKeyEncipherment)), roots: chain(rsaRoot), code: "ESM-TLS-018"},
		{name: "ku-encipherment-only-ecdhe", chain: chain(rsaLeaf(x509.KeyUsageKeyEncipherment)), roots: chain(rsaRoot), server: ecdhe, code: "ESM-TLS-018"},
		{name: "ku-encipherment-only-rsa-kex", chain: chain(rsaLeaf(x509.KeyUsageKeyEncipherment)), roots: chain(rsaRoot), server: rsaKex, javaAccepts: true},
		{name: "ku-signature-only-rsa-kex", chain: chain(rsaLeaf(x509.KeyUsageDigitalSignature)), roots: chain(rsaRoot), server: rsaKex, code: "ESM-TLS-018"},
		{name: "ku-signature-only-tls13", chain: chain(rsaLeaf(x509.KeyUsageDigitalSignature)), roots: chain(rsaRoot), javaAccepts: true},
		{name: "leaf-without-ku", chain: chain(leafCert(p.root, withKU(0))), roots: chain(p.root), javaAccepts: true},
		{name: "netscape-type-client-only", chain: chain(leafCert(p.root, nsType(nsClient))), roots: chain(p.root), code: "ESM-TLS-017"},
		{name: "netscape-type-server", chain: chain(leafCert(p.root, nsType(nsServer))), roots: chain(p.root), javaAccepts: true},
	}
}

func constraintSetups(p pki) []tlsSetup {
	critical := pkix.Extension{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, 1}, Critical: true, Value: []byte{5, 0}}
	benign := critical
	benign.Critical = false
	zeroRoot := caCert("Root pathlen 0", nil, func(s *fixtures.Spec) { s.PathZero = true })
	underZeroRoot := caCert("Under a pathlen-0 root", zeroRoot)
	zeroInter := caCert("Intermediate pathlen 0", p.root, func(s *fixtures.Spec) { s.PathZero = true })
	belowZero := caCert("Below a pathlen-0 intermediate", zeroInter)
	oneInter := caCert("Intermediate pathlen 1", p.root, func(s *fixtures.Spec) { s.PathLen = 1 })
	belowOne := caCert("Below a pathlen-1 intermediate", oneInter)
	notCA := caCert("Not a CA", p.root, func(s *fixtures.Spec) { s.IsCA = false })
	noBasic := caCert("No basic constraints", p.root, func(s *fixtures.Spec) { s.NoBasic = true })
	noCertSign := caCert("No keyCertSign", p.root, withKU(x509.KeyUsageDigitalSignature))
	constrained := caCert("Constrained Intermediate", p.root, func(s *fixtures.Spec) { s.PermittedDNS = []string{"internal.test"} })
	constrainedRoot := caCert("Constrained Root", nil, func(s *fixtures.Spec) { s.PermittedDNS = []string{"internal.test"} })
	expiredRoot := caCert("Expired Root", nil, expired)
	futureRoot := caCert("Future Root", nil, notYet)
	expiredInter := caCert("Expired Intermediate", p.root, expired)
	critInter := caCert("Critical Intermediate", p.root, withExt(critical))
	return []tlsSetup{
		{name: "root-pathlen0-above-intermediate", chain: chain(leafCert(underZeroRoot), underZeroRoot), roots: chain(zeroRoot), javaAccepts: true},
		{name: "intermediate-pathlen0-above-another", chain: chain(leafCert(belowZero), belowZero, zeroInter), roots: chain(p.root), code: "ESM-TLS-014"},
		{name: "intermediate-pathlen1-above-another", chain: chain(leafCert(belowOne), belowOne, oneInter), roots: chain(p.root), javaAccepts: true},
		{name: "intermediate-not-ca", chain: chain(leafCert(notCA), notCA), roots: chain(p.root), code: "ESM-TLS-012"},
		{name: "intermediate-without-basic-constraints", chain: chain(leafCert(noBasic), noBasic), roots: chain(p.root), code: "ESM-TLS-012"},
		{name: "intermediate-without-keycertsign", chain: chain(leafCert(noCertSign), noCertSign), roots: chain(p.root), code: "ESM-TLS-012"},
		{name: "name-constraints-violated", chain: chain(leafCert(constrained), constrained), roots: chain(p.root), code: "ESM-TLS-015"},
		{name: "name-constraints-met", host: "kafka.internal.test", chain: chain(leafCert(constrained, withDNS("kafka.internal.test")), constrained), roots: chain(p.root), javaAccepts: true},
		{name: "name-constraints-cn-only-leaf", chain: chain(leafCert(constrained, withDNS()), constrained), roots: chain(p.root), code: "ESM-TLS-015"},
		{name: "name-constraints-on-root", chain: chain(leafCert(constrainedRoot)), roots: chain(constrainedRoot), javaAccepts: true},
		{name: "expired-root", chain: chain(leafCert(expiredRoot)), roots: chain(expiredRoot), javaAccepts: true},
		{name: "not-yet-valid-root", chain: chain(leafCert(futureRoot)), roots: chain(futureRoot), javaAccepts: true},
		{name: "expired-intermediate", chain: chain(leafCert(expiredInter), expiredInter), roots: chain(p.root), code: "ESM-TLS-013"},
		{name: "expired-leaf", chain: chain(leafCert(p.root, expired)), roots: chain(p.root), code: "ESM-TLS-003"},
		{name: "not-yet-valid-leaf", chain: chain(leafCert(p.root, notYet)), roots: chain(p.root), code: "ESM-TLS-003"},
		{name: "critical-extension-leaf", chain: chain(leafCert(p.root, withExt(critical))), roots: chain(p.root), code: "ESM-TLS-016"},
		{name: "critical-extension-intermediate", chain: chain(leafCert(critInter), critInter), roots: chain(p.root), code: "ESM-TLS-016"},
		{name: "non-critical-unknown-extension", chain: chain(leafCert(p.root, withExt(benign))), roots: chain(p.root), javaAccepts: true},
	}
}

func protocolSetups(p pki) []tlsSetup {
	rsaRoot := caCert("RSA Protocol Root", nil, withKey("rsa2048"))
	rsa := func(m ...mod) *fixtures.Issued { return leafCert(rsaRoot, append([]mod{withKey("rsa2048")}, m...)...) }
	return []tlsSetup{
		{name: "rsa-1024-leaf", chain: chain(leafCert(rsaRoot, withKey("rsa1024"))), roots: chain(rsaRoot), javaAccepts: true},
		{name: "rsa-512-leaf", chain: chain(leafCert(rsaRoot, withKey("rsa512"))), roots: chain(rsaRoot), server: tls12(tls.TLS_RSA_WITH_AES_128_GCM_SHA256), code: "ESM-TLS-019"},
		{name: "ec-p384-leaf", chain: chain(leafCert(p.root, withKey("ec384"))), roots: chain(p.root), javaAccepts: true},
		{name: "tls13-only", chain: chain(leafCert(p.root)), roots: chain(p.root), server: func(c *tls.Config) { c.MinVersion = tls.VersionTLS13 }, javaAccepts: true},
		{name: "tls12-ecdhe-gcm", chain: chain(rsa()), roots: chain(rsaRoot), server: tls12(tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384), javaAccepts: true},
		{name: "tls12-rsa-kex-gcm", chain: chain(rsa()), roots: chain(rsaRoot), server: tls12(tls.TLS_RSA_WITH_AES_256_GCM_SHA384), javaAccepts: true},
		{name: "tls12-rsa-kex-cbc", chain: chain(rsa()), roots: chain(rsaRoot), server: tls12(tls.TLS_RSA_WITH_AES_128_CBC_SHA), javaAccepts: true},
		{name: "tls12-ecdhe-cbc-sha256", chain: chain(rsa()), roots: chain(rsaRoot), server: tls12(tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256), javaAccepts: true},
		{name: "tls12-ecdhe-ecdsa-cbc-sha", chain: chain(leafCert(p.root)), roots: chain(p.root), server: tls12(tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA), javaAccepts: true},
		{name: "tls12-3des-only", chain: chain(rsa()), roots: chain(rsaRoot), server: tls12(tls.TLS_RSA_WITH_3DES_EDE_CBC_SHA), code: "ESM-TLS-008"},
		{name: "tls11-only", chain: chain(rsa()), roots: chain(rsaRoot), server: func(c *tls.Config) { c.MinVersion, c.MaxVersion = tls.VersionTLS11, tls.VersionTLS11 }, code: "ESM-TLS-008"},
	}
}
