package jvmtls

import (
	"crypto/x509"
	"encoding/asn1"
	"net"
	"strings"

	"golang.org/x/net/publicsuffix"
)

var oidSAN = asn1.ObjectIdentifier{2, 5, 29, 17}

// checkHost is Java's HostnameChecker for TYPE_TLS (HTTPS identification):
// an IP literal must match a subjectAltName IP entry; a DNS name must match
// a subjectAltName DNS entry, or, only when the certificate has no DNS
// entry at all (an IP-only subjectAltName included), its most specific CN.
func checkHost(leaf *x509.Certificate, host string, publicRoot bool) *Error {
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if ip := net.ParseIP(host); ip != nil {
		for _, a := range leaf.IPAddresses {
			if a.Equal(ip) {
				return nil
			}
		}
		return fail(Hostname, leaf, 0, "no subjectAltName IP entry matches %s (Java never uses the CN for an IP address)", host)
	}
	if len(leaf.DNSNames) > 0 {
		for _, d := range leaf.DNSNames {
			if matchName(host, d, publicRoot) {
				return nil
			}
		}
		return fail(Hostname, leaf, 0, "no subjectAltName DNS entry matches %s (DNS entries: %s; the CN is ignored when DNS entries exist)", host, strings.Join(leaf.DNSNames, ", "))
	}
	cn := leaf.Subject.CommonName
	if cn != "" && matchName(host, cn, publicRoot) {
		return nil
	}
	return fail(Hostname, leaf, 0, "no subjectAltName DNS entry, and the CN %q does not match %s", cn, host)
}

// matchName is HostnameChecker.isMatched for TLS: equal label counts, each
// label matched with wildcards anywhere in it ("kafka-*.example.com"
// matches "kafka-1.example.com"; "*" never crosses a dot).
func matchName(host, template string, publicRoot bool) bool {
	if illegalWildcard(template, publicRoot) {
		return false
	}
	h := labels(strings.ToLower(host))
	t := labels(strings.ToLower(template))
	if len(h) != len(t) {
		return false
	}
	for i := range h {
		if !matchLabel(h[i], t[i]) {
			return false
		}
	}
	return true
}

// labels splits on dots, dropping empty labels as Java's StringTokenizer.
func labels(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '.' })
}

// illegalWildcard is HostnameChecker.hasIllegalWildcard: "*" or "*." alone,
// a wildcard with no dot after it, and (for a public root's chain only) a
// wildcard directly above an ICANN public suffix ("*.com", "*.co.uk"),
// looked up in the public suffix list as Java's RegisteredDomain does.
func illegalWildcard(template string, publicRoot bool) bool {
	if template == "*" || template == "*." {
		return true
	}
	last := strings.LastIndex(template, "*")
	if last < 0 {
		return false
	}
	after := template[last:]
	dot := strings.Index(after, ".")
	if dot < 0 {
		return true
	}
	if !publicRoot {
		return false
	}
	domain := after[dot+1:]
	suffix, icann := publicsuffix.PublicSuffix("z." + strings.ToLower(domain))
	return icann && strings.EqualFold(suffix, domain)
}

// matchLabel is HostnameChecker.matchWildCards: the template's literal
// pieces must appear in order, the first at the start, the last at the end.
func matchLabel(name, template string) bool {
	pieces := strings.Split(template, "*")
	if len(pieces) == 1 {
		return name == template
	}
	if !strings.HasPrefix(name, pieces[0]) {
		return false
	}
	name = name[len(pieces[0]):]
	for _, p := range pieces[1 : len(pieces)-1] {
		i := strings.Index(name, p)
		if i < 0 {
			return false
		}
		name = name[i+len(p):]
	}
	return strings.HasSuffix(name, pieces[len(pieces)-1])
}
