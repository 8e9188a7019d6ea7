package secrets

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestErrorsNeverLeak runs every failing and warning case with a canary
// password and checks that no error or warning text (nor any wrapped cause)
// holds the password or a base64 line of a key.
func TestErrorsNeverLeak(t *testing.T) {
	requireOpenSSL(t)
	cases := mtlsCases(t, canary)
	checked := 0
	for _, tt := range cases {
		forbidden := secretMaterial(tt.doc)
		cc, err := ParseClientCertificate(tt.doc, time.Now())
		var texts []string
		if err != nil {
			texts = append(texts, errorTexts(err)...)
		} else {
			for _, w := range cc.Warnings {
				texts = append(texts, w.String(), fmt.Sprintf("%+v", w))
			}
		}
		for _, s := range forbidden {
			for _, text := range texts {
				if strings.Contains(text, s) {
					t.Fatalf("%s: %q leaks %q", tt.name, text, s)
				}
			}
		}
		checked += len(texts)
	}
	for _, doc := range saslCanaryDocs() {
		_, err := ParseSASL([]byte(doc))
		for _, text := range errorTexts(err) {
			if strings.Contains(text, canary) || strings.Contains(text, "Canary") {
				t.Fatalf("%q leaks the password", text)
			}
			checked++
		}
	}
	if checked < len(cases) {
		t.Fatalf("only %d texts checked", checked)
	}
}

// secretMaterial lists what must never appear: the password and key lines.
func secretMaterial(doc []byte) []string {
	forbidden := []string{canary}
	var m map[string]any
	if json.Unmarshal(doc, &m) != nil {
		return forbidden
	}
	for _, k := range []string{"privateKey", "certificate"} {
		if s, ok := m[k].(string); ok && strings.Contains(s, "PRIVATE KEY") {
			forbidden = append(forbidden, base64Lines(s)...)
		}
	}
	return forbidden
}

// errorTexts renders err and every cause it wraps, with several verbs.
func errorTexts(err error) []string {
	var texts []string
	for e := err; e != nil; e = errors.Unwrap(e) {
		texts = append(texts, e.Error(), fmt.Sprintf("%v %+v %#v %s %q", e, e, e, e, e))
	}
	return texts
}

// saslCanaryDocs are broken SASL secrets whose password is the canary;
// some would make encoding/json quote a character of it.
func saslCanaryDocs() []string {
	return []string{
		`{"username": "", "password": "` + canary + `"}`,
		`{"password": "` + canary + `"}`,
		`{"username": 1, "password": "` + canary + `"}`,
		`{"username": "a", "password": "` + canary + `\q"}`,
		`{"username": "a", "password": "` + canary + `"`,
		`{"username": "a", "password": ["` + canary + `"]}`,
		`["` + canary + `"]`,
		`"` + canary + `"`,
		canary,
	}
}
