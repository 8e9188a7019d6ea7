package jvmtls

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"strings"
)

var oidNameConstraints = asn1.ObjectIdentifier{2, 5, 29, 30}

// dirConstraints are a CA's directoryName subtrees, which crypto/x509 does
// not parse and Java applies to the subject of every certificate below.
type dirConstraints struct {
	permitted, excluded []pkix.RDNSequence
}

// parseDirConstraints reads the directoryName subtrees of c's
// nameConstraints extension (RFC 5280 4.2.1.10).
func parseDirConstraints(c *x509.Certificate) dirConstraints {
	var out dirConstraints
	for _, ext := range c.Extensions {
		if !ext.Id.Equal(oidNameConstraints) {
			continue
		}
		var nc struct {
			Permitted []asn1.RawValue `asn1:"optional,tag:0"`
			Excluded  []asn1.RawValue `asn1:"optional,tag:1"`
		}
		if _, err := asn1.Unmarshal(ext.Value, &nc); err != nil {
			return out
		}
		out.permitted = dirSubtrees(nc.Permitted)
		out.excluded = dirSubtrees(nc.Excluded)
	}
	return out
}

// dirSubtrees keeps the GeneralSubtrees whose base is a directoryName.
func dirSubtrees(subtrees []asn1.RawValue) []pkix.RDNSequence {
	var out []pkix.RDNSequence
	for _, st := range subtrees {
		var base asn1.RawValue
		if _, err := asn1.Unmarshal(st.Bytes, &base); err != nil {
			continue
		}
		if base.Class != asn1.ClassContextSpecific || base.Tag != 4 {
			continue
		}
		var name pkix.RDNSequence
		if _, err := asn1.Unmarshal(base.Bytes, &name); err == nil {
			out = append(out, name)
		}
	}
	return out
}

// allows applies the subtrees to a subject: it must lie below a permitted
// name (when there are any) and below no excluded one. An empty subject
// is not checked, as in Java.
func (d dirConstraints) allows(rawSubject []byte) (bool, string) {
	var subject pkix.RDNSequence
	if _, err := asn1.Unmarshal(rawSubject, &subject); err != nil || len(subject) == 0 {
		return true, ""
	}
	for _, e := range d.excluded {
		if dnWithin(subject, e) {
			return false, "excluded " + e.String()
		}
	}
	if len(d.permitted) == 0 {
		return true, ""
	}
	for _, p := range d.permitted {
		if dnWithin(subject, p) {
			return true, ""
		}
	}
	names := make([]string, len(d.permitted))
	for i, p := range d.permitted {
		names[i] = p.String()
	}
	return false, "permitted " + strings.Join(names, "; ")
}

// dnWithin: base's RDNs are the first RDNs of name (compared without case).
func dnWithin(name, base pkix.RDNSequence) bool {
	if len(base) > len(name) {
		return false
	}
	for i := range base {
		if !rdnEqual(name[i], base[i]) {
			return false
		}
	}
	return true
}

func rdnEqual(a, b pkix.RelativeDistinguishedNameSET) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Type.Equal(b[i].Type) || !strings.EqualFold(strings.TrimSpace(fmt.Sprint(a[i].Value)), strings.TrimSpace(fmt.Sprint(b[i].Value))) {
			return false
		}
	}
	return true
}
