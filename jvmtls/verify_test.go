//go:debug rsa1024min=0

package jvmtls

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"net"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/fixtures"
)

var (
	caKU   = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	leafKU = x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
	server = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	hour   = time.Hour
)

func ca(cn string, parent *fixtures.Issued, mod ...func(*fixtures.Spec)) *fixtures.Issued {
	s := fixtures.Spec{CN: cn, IsCA: true, KeyUsage: caKU}
	for _, m := range mod {
		m(&s)
	}
	return fixtures.MustIssue(s, parent)
}

func leaf(parent *fixtures.Issued, mod ...func(*fixtures.Spec)) *fixtures.Issued {
	s := fixtures.Spec{CN: "kafka.example.com", DNS: []string{"kafka.example.com"}, KeyUsage: leafKU, EKU: server}
	for _, m := range mod {
		m(&s)
	}
	return fixtures.MustIssue(s, parent)
}

func certs(is ...*fixtures.Issued) []*x509.Certificate {
	var out []*x509.Certificate
	for _, i := range is {
		out = append(out, i.Cert)
	}
	return out
}

type vcase struct {
	name   string
	chain  []*fixtures.Issued
	roots  []*fixtures.Issued
	host   string
	kx     KeyExchange
	public bool
	want   Reason // 0: passes
	index  int    // of the certificate the failure names
}

func TestVerifyFollowsJava(t *testing.T) {
	root := ca("Root", nil)
	inter := ca("Intermediate", root)
	other := ca("Other Root", nil)
	sameName := ca("Root", nil) // another key under the root's name
	critical := pkix.Extension{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, 1}, Critical: true, Value: []byte{5, 0}}
	nsClientOnly, _ := asn1.Marshal(asn1.BitString{Bytes: []byte{0x80}, BitLength: 1})
	selfSigned := leaf(nil)
	pinnedClient := leaf(nil, func(s *fixtures.Spec) { s.EKU = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth} })
	policies := pkix.Extension{Id: asn1.ObjectIdentifier{2, 5, 29, 32}, Critical: true, Value: []byte{0x30, 0x06, 0x30, 0x04, 0x06, 0x02, 0x55, 0x1d}}
	rsaRoot := ca("RSA Root", nil, rsaKey)
	sha1Inter := ca("SHA-1 Intermediate", rsaRoot, sha1Sig)
	clientInter := ca("Client-only Intermediate", root, func(s *fixtures.Spec) { s.EKU = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth} })
	zeroRoot := ca("Root pathlen 0", nil, func(s *fixtures.Spec) { s.PathZero = true })
	underZero := ca("Under pathlen-0 root", zeroRoot)
	zeroInter := ca("Intermediate pathlen 0", root, func(s *fixtures.Spec) { s.PathZero = true })
	belowZero := ca("Below pathlen-0 intermediate", zeroInter)
	expiredRoot := ca("Expired Root", nil, func(s *fixtures.Spec) { s.NotAfter = time.Now().Add(-hour) })
	expiredInter := ca("Expired Intermediate", root, func(s *fixtures.Spec) { s.NotAfter = time.Now().Add(-hour) })
	notCA := ca("Not a CA", root, func(s *fixtures.Spec) { s.IsCA = false })
	noCertSign := ca("No keyCertSign", root, func(s *fixtures.Spec) { s.KeyUsage = x509.KeyUsageDigitalSignature })
	constrained := ca("Constrained", root, func(s *fixtures.Spec) { s.PermittedDNS = []string{"internal.example"} })
	constrainedRoot := ca("Constrained Root", nil, func(s *fixtures.Spec) { s.PermittedDNS = []string{"internal.example"} })
	critInter := ca("Critical Intermediate", root, func(s *fixtures.Spec) { s.Extra = []pkix.Extension{critical} })
	cases := []vcase{
		{name: "baseline", chain: ls(leaf(root)), roots: ls(root)},
		{name: "with intermediate", chain: ls(leaf(inter), inter), roots: ls(root)},
		{name: "chain sent with its root", chain: ls(leaf(inter), inter, root), roots: ls(root)},
		{name: "unordered chain", chain: ls(leaf(inter), root, inter), roots: ls(root)},
		{name: "missing intermediate", chain: ls(leaf(inter)), roots: ls(root), want: Incomplete},
		{name: "other CA's self-signed root sent", chain: ls(leaf(other), other), roots: ls(root), want: NoTrustAnchor, index: 1},
		{name: "same-named root with another key", chain: ls(leaf(sameName)), roots: ls(root), want: BadSignature},
		{name: "pinned self-signed leaf", chain: ls(selfSigned), roots: ls(selfSigned)},
		{name: "unpinned self-signed leaf", chain: ls(selfSigned), roots: ls(root), want: NoTrustAnchor},
		{name: "pinned leaf skips the end-entity checks", chain: ls(pinnedClient), roots: ls(pinnedClient)},
		{name: "critical certificatePolicies on the leaf", chain: ls(leaf(root, func(s *fixtures.Spec) { s.Extra = []pkix.Extension{policies} })), roots: ls(root)},
		{name: "SHA-1 leaf under a private root", chain: ls(leaf(rsaRoot, sha1Sig)), roots: ls(rsaRoot)},
		{name: "SHA-1 intermediate under a private root", chain: ls(leaf(sha1Inter), sha1Inter), roots: ls(rsaRoot)},
		{name: "SHA-1 intermediate under a public root", chain: ls(leaf(sha1Inter), sha1Inter), roots: ls(rsaRoot), public: true, want: SHA1PublicRoot, index: 1},
		{name: "CN only", chain: ls(leaf(root, cnOnly)), roots: ls(root)},
		{name: "CN with IP-only SAN", chain: ls(leaf(root, cnOnly, func(s *fixtures.Spec) { s.IPs = []net.IP{net.IPv4(10, 0, 0, 1)} })), roots: ls(root)},
		{name: "CN matches but DNS SAN does not", chain: ls(leaf(root, func(s *fixtures.Spec) { s.DNS = []string{"other.example.com"} })), roots: ls(root), want: Hostname},
		{name: "wildcard inside a label", chain: ls(leaf(root, dns("kafka-*.example.com"))), roots: ls(root), host: "kafka-1.example.com"},
		{name: "wildcard spans one label only", chain: ls(leaf(root, dns("*.example.com"))), roots: ls(root), host: "a.b.example.com", want: Hostname},
		{name: "wildcard alone", chain: ls(leaf(root, dns("*"))), roots: ls(root), want: Hostname},
		{name: "IP host in SAN", chain: ls(leaf(root, func(s *fixtures.Spec) { s.IPs = []net.IP{net.IPv4(127, 0, 0, 1)} })), roots: ls(root), host: "127.0.0.1"},
		{name: "IP host only in CN", chain: ls(leaf(root, cnOnly, func(s *fixtures.Spec) { s.CN = "127.0.0.1" })), roots: ls(root), host: "127.0.0.1", want: Hostname},
		{name: "intermediate EKU clientAuth only", chain: ls(leaf(clientInter), clientInter), roots: ls(root)},
		{name: "leaf EKU clientAuth only", chain: ls(leaf(root, func(s *fixtures.Spec) { s.EKU = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth} })), roots: ls(root), want: ExtKeyUsage},
		{name: "root pathlen 0 above an intermediate", chain: ls(leaf(underZero), underZero), roots: ls(zeroRoot)},
		{name: "intermediate pathlen 0 above another", chain: ls(leaf(belowZero), belowZero, zeroInter), roots: ls(root), want: PathLength, index: 1},
		{name: "expired root", chain: ls(leaf(expiredRoot)), roots: ls(expiredRoot)},
		{name: "expired intermediate", chain: ls(leaf(expiredInter), expiredInter), roots: ls(root), want: Expired, index: 1},
		{name: "expired leaf", chain: ls(leaf(root, func(s *fixtures.Spec) { s.NotAfter = time.Now().Add(-hour) })), roots: ls(root), want: Expired},
		{name: "not yet valid leaf", chain: ls(leaf(root, func(s *fixtures.Spec) { s.NotBefore = time.Now().Add(hour) })), roots: ls(root), want: NotYetValid},
		{name: "non-CA intermediate", chain: ls(leaf(notCA), notCA), roots: ls(root), want: NotCA, index: 1},
		{name: "intermediate without keyCertSign", chain: ls(leaf(noCertSign), noCertSign), roots: ls(root), want: CAKeyUsage, index: 1},
		{name: "name constraints violated", chain: ls(leaf(constrained), constrained), roots: ls(root), want: NameConstraints},
		{name: "name constraints met", chain: ls(leaf(constrained, dns("kafka.internal.example")), constrained), roots: ls(root), host: "kafka.internal.example"},
		{name: "name constraints on the root ignored", chain: ls(leaf(constrainedRoot)), roots: ls(constrainedRoot)},
		{name: "critical extension on the leaf", chain: ls(leaf(root, func(s *fixtures.Spec) { s.Extra = []pkix.Extension{critical} })), roots: ls(root), want: CriticalExtension},
		{name: "critical extension on an intermediate", chain: ls(leaf(critInter), critInter), roots: ls(root), want: CriticalExtension, index: 1},
		{name: "keyEncipherment only, ECDHE", chain: ls(leaf(root, kuOnly(x509.KeyUsageKeyEncipherment))), roots: ls(root), want: KeyUsage},
		{name: "keyEncipherment only, TLS_RSA", chain: ls(leaf(root, kuOnly(x509.KeyUsageKeyEncipherment))), roots: ls(root), kx: Encipherment},
		{name: "digitalSignature only, TLS_RSA", chain: ls(leaf(root, kuOnly(x509.KeyUsageDigitalSignature))), roots: ls(root), kx: Encipherment, want: KeyUsage},
		{name: "Netscape cert type client only", chain: ls(leaf(root, func(s *fixtures.Spec) {
			s.Extra = []pkix.Extension{{Id: oidNetscapeCertType, Value: nsClientOnly}}
		})), roots: ls(root), want: NetscapeCertType},
		{name: "RSA 512 leaf", chain: ls(leaf(root, func(s *fixtures.Spec) { s.Key = "rsa512" })), roots: ls(root), want: WeakKey},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.run(t) })
	}
}

func (c vcase) run(t *testing.T) {
	host := c.host
	if host == "" {
		host = "kafka.example.com"
	}
	o := Options{Roots: certs(c.roots...), Host: host, Now: time.Now(), KeyExchange: c.kx}
	if c.public {
		o.PublicRoot = func(*x509.Certificate) bool { return true }
	}
	_, err := Verify(certs(c.chain...), o)
	if c.want == 0 {
		if err != nil {
			t.Fatalf("Java accepts this chain; got %v", err)
		}
		return
	}
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("want %s, got %v", c.want, err)
	}
	if e.Reason != c.want || e.Index != c.index {
		t.Fatalf("want %s at %d, got %s at %d (%v)", c.want, c.index, e.Reason, e.Index, e)
	}
}

func ls(is ...*fixtures.Issued) []*fixtures.Issued { return is }

func rsaKey(s *fixtures.Spec)  { s.Key = "rsa2048" }
func sha1Sig(s *fixtures.Spec) { s.SigAlg = x509.SHA1WithRSA }
func cnOnly(s *fixtures.Spec)  { s.DNS = nil }
func dns(d string) func(*fixtures.Spec) {
	return func(s *fixtures.Spec) { s.DNS = []string{d} }
}
func kuOnly(ku x509.KeyUsage) func(*fixtures.Spec) {
	return func(s *fixtures.Spec) { s.KeyUsage = ku }
}
