package jvmtls

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/fixtures"
)

// dirNC is a nameConstraints extension with one directoryName subtree,
// permitted ([0]) or excluded ([1]).
func dirNC(t *testing.T, org string, tag int) pkix.Extension {
	name, err := asn1.Marshal(pkix.Name{Organization: []string{org}}.ToRDNSequence())
	if err != nil {
		t.Fatal(err)
	}
	wrap := func(v asn1.RawValue) []byte {
		b, err := asn1.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	subtree := wrap(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 4, IsCompound: true, Bytes: name})
	subtrees := wrap(asn1.RawValue{Tag: asn1.TagSequence, IsCompound: true, Bytes: subtree})
	nc := wrap(asn1.RawValue{Tag: asn1.TagSequence, IsCompound: true,
		Bytes: wrap(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: tag, IsCompound: true, Bytes: subtrees})})
	return pkix.Extension{Id: oidNameConstraints, Critical: true, Value: nc}
}

func TestDirectoryNameConstraints(t *testing.T) {
	root := ca("Root", nil)
	for _, c := range []struct {
		name string
		ext  pkix.Extension
		want Reason
	}{
		{"permitted subtree holds the subject", dirNC(t, "esmdoctor fixtures", 0), 0},
		{"permitted subtree elsewhere", dirNC(t, "Allowed Org", 0), NameConstraints},
		{"excluded subtree holds the subject", dirNC(t, "esmdoctor fixtures", 1), NameConstraints},
		{"excluded subtree elsewhere", dirNC(t, "Allowed Org", 1), 0},
	} {
		inter := ca("Constrained", root, func(s *fixtures.Spec) { s.Extra = []pkix.Extension{c.ext} })
		_, err := Verify(certs(leaf(inter), inter), Options{Roots: certs(root), Host: "kafka.example.com", Now: time.Now()})
		e, _ := err.(*Error)
		switch {
		case c.want == 0 && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != 0 && (e == nil || e.Reason != c.want || e.Index != 0):
			t.Errorf("%s: %v, want %s on the leaf", c.name, err, c.want)
		}
	}
}
