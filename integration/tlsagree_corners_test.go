package integration

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"net"

	"github.com/esmdoctor/esmdoctor/fixtures"
)

// moreSetups probe the corners of Java's rules: trusted copies, policies,
// excluded names, SHA-1 with ECDSA, a weak intermediate.
func moreSetups(p pki) []tlsSetup {
	policies := pkix.Extension{Id: asn1.ObjectIdentifier{2, 5, 29, 32}, Critical: true}
	policies.Value, _ = asn1.Marshal([]asn1.RawValue{{FullBytes: mustMarshal(struct{ ID asn1.ObjectIdentifier }{asn1.ObjectIdentifier{2, 5, 29, 32, 0}})}})
	policyInter := caCert("Critical Policies Intermediate", p.root, withExt(policies))
	expiredCopy := fixtures.MustIssue(fixtures.Spec{CN: "Agreement Root", IsCA: true, KeyUsage: caUsage, SameKey: p.root, NotAfter: past()}, nil)
	excluded := caCert("Excluding Intermediate", p.root, func(s *fixtures.Spec) { s.ExcludedDNS = []string{"example.test"} })
	weakInter := caCert("RSA 512 Intermediate", p.root, withKey("rsa512"))
	ecRoot := caCert("EC Root", nil)
	pinnedClient := leafCert(nil, withEKU(x509.ExtKeyUsageClientAuth))
	return []tlsSetup{
		{name: "pinned-leaf-eku-client-only", chain: chain(pinnedClient), roots: chain(pinnedClient), javaAccepts: true},
		{name: "expired-copy-of-root-sent", chain: chain(leafCert(p.root), expiredCopy), roots: chain(p.root), javaAccepts: true},
		{name: "leaf-critical-policies", chain: chain(leafCert(p.root, withExt(policies))), roots: chain(p.root), javaAccepts: true},
		{name: "intermediate-critical-policies", chain: chain(leafCert(policyInter), policyInter), roots: chain(p.root), javaAccepts: true},
		{name: "leaf-is-a-ca", chain: chain(leafCert(p.root, func(s *fixtures.Spec) { s.IsCA = true })), roots: chain(p.root), javaAccepts: true},
		{name: "name-constraints-excluded", chain: chain(leafCert(excluded), excluded), roots: chain(p.root), code: "ESM-TLS-015"},
		{name: "sha1-ecdsa-leaf-private-root", chain: chain(leafCert(ecRoot, func(s *fixtures.Spec) { s.SigAlg = x509.ECDSAWithSHA1 })), roots: chain(ecRoot), javaAccepts: true},
		{name: "rsa-512-intermediate", chain: chain(leafCert(weakInter), weakInter), roots: chain(p.root), code: "ESM-TLS-019"},
		{name: "ec-p521-leaf", chain: chain(leafCert(p.root, withKey("ec521"))), roots: chain(p.root), javaAccepts: true},
	}
}

func mustMarshal(v any) []byte {
	b, err := asn1.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// cornerSetups: wildcard forms, pinned leaves, anchors' own extensions,
// stray certificates in the chain.
func cornerSetups(p pki) []tlsSetup {
	critical := pkix.Extension{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, 2}, Critical: true, Value: []byte{5, 0}}
	critRoot := caCert("Root with a critical extension", nil, withExt(critical))
	futureInter := caCert("Future Intermediate", p.root, notYet)
	pinnedExpired := leafCert(nil, expired)
	pinnedOtherName := leafCert(nil, withDNS("other.example.test"))
	return []tlsSetup{
		{name: "root-with-critical-extension", chain: chain(leafCert(critRoot)), roots: chain(critRoot), javaAccepts: true},
		{name: "wildcard-does-not-cover-apex", host: "example.test", chain: chain(leafCert(p.root, withDNS("*.example.test"))), roots: chain(p.root), code: "ESM-TLS-002"},
		{name: "wildcard-mid-label", chain: chain(leafCert(p.root, withDNS("k*a.example.test"))), roots: chain(p.root), javaAccepts: true},
		{name: "wildcard-twice-in-a-label", host: "kafka-1.example.test", chain: chain(leafCert(p.root, withDNS("*-*.example.test"))), roots: chain(p.root), javaAccepts: true},
		{name: "wildcard-empty-prefix", chain: chain(leafCert(p.root, withDNS("*kafka.example.test"))), roots: chain(p.root), javaAccepts: true},
		{name: "not-yet-valid-intermediate", chain: chain(leafCert(futureInter), futureInter), roots: chain(p.root), code: "ESM-TLS-013"},
		{name: "pinned-leaf-expired", chain: chain(pinnedExpired), roots: chain(pinnedExpired), javaAccepts: true},
		{name: "pinned-leaf-wrong-name", chain: chain(pinnedOtherName), roots: chain(pinnedOtherName), code: "ESM-TLS-002"},
		{name: "stray-certificate-in-chain", chain: chain(leafCert(p.inter), p.inter, p.other), roots: chain(p.root), javaAccepts: true},
	}
}

// nameConstraintSetups: IP and directoryName constraints (crypto/x509 does
// not parse the latter; jvmtls reads them itself).
func nameConstraintSetups(p pki) []tlsSetup {
	_, tenNet, _ := net.ParseCIDR("10.0.0.0/8")
	ipOnly := caCert("IP-constrained Intermediate", p.root, func(s *fixtures.Spec) { s.PermittedIPs = []*net.IPNet{tenNet} })
	allowed := caCert("Directory-constrained Intermediate", p.root, withExt(dirConstraint("esmdoctor fixtures")))
	other := caCert("Other-directory Intermediate", p.root, withExt(dirConstraint("Allowed Org")))
	return []tlsSetup{
		{name: "ip-name-constraints-violated", host: "127.0.0.1", chain: chain(leafCert(ipOnly, withIPs(net.IPv4(127, 0, 0, 1))), ipOnly), roots: chain(p.root), code: "ESM-TLS-015"},
		{name: "directory-name-constraints-met", chain: chain(leafCert(allowed), allowed), roots: chain(p.root), javaAccepts: true},
		{name: "directory-name-constraints-violated", chain: chain(leafCert(other), other), roots: chain(p.root), code: "ESM-TLS-015"},
	}
}

// dirConstraint is a critical nameConstraints extension permitting only
// the directory subtree O=org.
func dirConstraint(org string) pkix.Extension {
	name, _ := asn1.Marshal(pkix.Name{Organization: []string{org}}.ToRDNSequence())
	subtree := mustMarshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 4, IsCompound: true, Bytes: name})
	subtrees := mustMarshal(asn1.RawValue{Tag: asn1.TagSequence, IsCompound: true, Bytes: subtree})
	nc := mustMarshal(asn1.RawValue{Tag: asn1.TagSequence, IsCompound: true,
		Bytes: mustMarshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: subtrees})})
	return pkix.Extension{Id: asn1.ObjectIdentifier{2, 5, 29, 30}, Critical: true, Value: nc}
}
