package secrets

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

const canary = "Canary-Pa55word-xyzzy"

type xmlDoc struct{ P Secret }

func TestSecretNeverPrints(t *testing.T) {
	s := NewSecret(canary)
	creds := SASLCredentials{Username: "alice", Password: s}
	var out []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10s", "%-20v", "%08v"} {
		out = append(out, fmt.Sprintf(verb, s), fmt.Sprintf(verb, &s),
			fmt.Sprintf(verb, creds), fmt.Sprintf(verb, &creds))
	}
	out = append(out, fmt.Sprint(s), fmt.Sprintln(creds), s.String(), s.GoString())
	for _, v := range []any{s, creds, &creds, map[string]Secret{"k": s}, map[Secret]int{s: 1}, []Secret{s}} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	x, err := xml.Marshal(xmlDoc{s})
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, string(x))
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("creds", "password", s, "creds", creds)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("creds", "password", s)
	out = append(out, logs.String())
	for _, o := range out {
		if strings.Contains(o, canary) || !strings.Contains(o, redacted) {
			t.Errorf("leaked or not redacted: %s", o)
		}
	}
	if s.Reveal() != canary || s.IsZero() || !NewSecret("").IsZero() {
		t.Error("Reveal or IsZero is wrong")
	}
}

// TestClientCertificateNeverPrintsKey: printing or marshalling the parsed
// certificate must not dump the RSA private exponent or the PEM.
func TestClientCertificateNeverPrintsKey(t *testing.T) {
	pki := testPKI(t)
	keyPEM := pkcs8PEM(t, pki.rsaKey)
	cc, err := ParseClientCertificate(mtlsDoc(t, pki.leaf.pem, keyPEM, ""), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(struct{ C *ClientCertificate }{cc})
	if err != nil {
		t.Fatal(err)
	}
	out := []string{fmt.Sprintf("%v %+v %#v %s %q", cc, cc, cc, *cc, cc), fmt.Sprint(*cc), string(b)}
	secrets := append(base64Lines(keyPEM), pki.rsaKey.D.String(), fmt.Sprintf("%x", pki.rsaKey.D))
	for _, o := range out {
		for _, s := range secrets {
			if strings.Contains(o, s) {
				t.Fatalf("key material printed: %s", o)
			}
		}
		if !strings.Contains(o, "CN=client") {
			t.Errorf("summary missing: %s", o)
		}
	}
}

// base64Lines returns the body lines of every PEM in s (what must never leak).
func base64Lines(s string) []string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if len(l) >= 16 && !strings.HasPrefix(l, "-----") && !strings.Contains(l, ":") {
			lines = append(lines, l)
		}
	}
	return lines
}
