package jvmtls

import (
	"bytes"
	"crypto/x509"
	"net"
	"strings"
)

// checkNames is ConstraintsChecker's name check: every name of c must
// lie within the permitted subtrees and outside the excluded ones of every
// CA above it. Self-issued intermediates are exempt, the leaf never is.
func (st *pathState) checkNames(c *x509.Certificate, idx int, leaf bool) *Error {
	if !leaf && bytes.Equal(c.RawSubject, c.RawIssuer) {
		return nil
	}
	dns, ips := certNames(c)
	for _, src := range st.constraints {
		if ok, why := parseDirConstraints(src).allows(c.RawSubject); !ok {
			return fail(NameConstraints, c, idx, "subject %s is outside the directoryName constraints of %s (%s)", c.Subject, src.Subject, why)
		}
		for _, d := range dns {
			if !dnsAllowed(d, src.PermittedDNSDomains, src.ExcludedDNSDomains) {
				return fail(NameConstraints, c, idx, "name %s is outside the DNS name constraints of %s (permitted %v, excluded %v)", d, src.Subject, src.PermittedDNSDomains, src.ExcludedDNSDomains)
			}
		}
		for _, ip := range ips {
			if !ipAllowed(ip, src.PermittedIPRanges, src.ExcludedIPRanges) {
				return fail(NameConstraints, c, idx, "address %s is outside the IP name constraints of %s", ip, src.Subject)
			}
		}
	}
	return nil
}

// certNames are the names constraints apply to: the subjectAltName DNS
// and IP entries; without any subjectAltName, Java checks the most specific
// CN as a DNS name (or an IP address when it is one).
func certNames(c *x509.Certificate) ([]string, []net.IP) {
	if hasExtension(c, oidSAN) {
		return c.DNSNames, c.IPAddresses
	}
	cn := c.Subject.CommonName
	if cn == "" {
		return nil, nil
	}
	if ip := net.ParseIP(cn); ip != nil {
		return nil, []net.IP{ip}
	}
	return []string{cn}, nil
}

// dnsAllowed applies DNS constraints: "example.com" covers the name and
// every name below it; ".example.com" only the names below it.
func dnsAllowed(name string, permitted, excluded []string) bool {
	for _, e := range excluded {
		if dnsWithin(name, e) {
			return false
		}
	}
	if len(permitted) == 0 {
		return true
	}
	for _, p := range permitted {
		if dnsWithin(name, p) {
			return true
		}
	}
	return false
}

func dnsWithin(name, constraint string) bool {
	name, constraint = strings.ToLower(name), strings.ToLower(constraint)
	if constraint == "" {
		return true
	}
	if strings.HasPrefix(constraint, ".") {
		return strings.HasSuffix(name, constraint)
	}
	return name == constraint || strings.HasSuffix(name, "."+constraint)
}

func ipAllowed(ip net.IP, permitted, excluded []*net.IPNet) bool {
	for _, e := range excluded {
		if e.Contains(ip) {
			return false
		}
	}
	if len(permitted) == 0 {
		return true
	}
	for _, p := range permitted {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}
