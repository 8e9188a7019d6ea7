package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/fixtures"
)

// badInputs builds files for the bad-input table: each is something a
// user could really pass, and each must be refused with exit 2 and one
// line naming the input and what is wrong.
type badFiles struct {
	notJSON, wrongKeys, wrongKeysSASL, tooLarge, garbagePEM, truncatedPEM, certAsKey, pkcs1, sec1,
	mismatch, pbes2, wrongKeyPass, caGarbage, caNoCert, expired string
}

func makeBadFiles(t *testing.T) badFiles {
	t.Helper()
	ca, err := fixtures.NewCA("bad input CA")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	cert, key, err := ca.Client("client", now.Add(-time.Hour), now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	other, otherKey, _ := ca.Client("other", now.Add(-time.Hour), now.Add(time.Hour))
	_ = other
	old, oldKey, _ := ca.Client("old", now.Add(-48*time.Hour), now.Add(-24*time.Hour))
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	pkcs1 := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaKey)})
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	sec1DER, _ := x509.MarshalECPrivateKey(ecKey)
	sec1 := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1DER})
	pbes2, _ := fixtures.EncryptPKCS8PBES2(key, "kp-canary-1")
	pbes1, _ := fixtures.EncryptPKCS8PBES1(key, "kp-canary-1")
	mtls := func(c, k []byte, pw string) string { return string(fixtures.MTLSSecret(c, k, pw)) }
	return badFiles{
		notJSON:       write(t, "a.json", "username=alice password=pw-canary-1"),
		wrongKeys:     write(t, "b.json", `{"user":"alice","pass":"pw-canary-1"}`),
		wrongKeysSASL: write(t, "c.json", `{"username":"alice","pwd":"pw-canary-1"}`),
		tooLarge:      write(t, "d.json", `{"username":"alice","password":"`+strings.Repeat("x", 70000)+`"}`),
		garbagePEM:    write(t, "e.json", mtls([]byte("not a certificate"), key, "")),
		truncatedPEM:  write(t, "f.json", mtls(cert[:len(cert)/2], key, "")),
		certAsKey:     write(t, "g.json", mtls(cert, cert, "")),
		pkcs1:         write(t, "h.json", mtls(cert, pkcs1, "")),
		sec1:          write(t, "i.json", mtls(cert, sec1, "")),
		mismatch:      write(t, "j.json", mtls(cert, otherKey, "")),
		pbes2:         write(t, "k.json", mtls(cert, pbes2, "kp-canary-1")),
		wrongKeyPass:  write(t, "l.json", mtls(cert, pbes1, "not-the-key-password")),
		caGarbage:     write(t, "m.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
		caNoCert:      write(t, "n.json", `{"cert":"x"}`),
		expired:       write(t, "o.json", mtls(old, oldKey, "")),
	}
}

func TestBadInputTable(t *testing.T) {
	f := makeBadFiles(t)
	dir := t.TempDir()
	b := []string{"check", "-b", "127.0.0.1:1", "-t", "orders", "--timeout", "2s"}
	with := func(extra ...string) []string { return append(append([]string{}, b...), extra...) }
	cases := []struct {
		args []string
		want string // in the one stderr line
	}{
		{[]string{"check", "-t", "orders"}, "--bootstrap-servers is required"},
		{[]string{"check", "-b", "", "-t", "orders"}, "empty entry"},
		{[]string{"check", "-b", "broker", "-t", "orders"}, `"broker": want host:port`},
		{[]string{"check", "-b", "broker:", "-t", "orders"}, "port must be a number"},
		{[]string{"check", "-b", "broker:0", "-t", "orders"}, "port must be a number from 1 to 65535"},
		{[]string{"check", "-b", "broker:70000", "-t", "orders"}, "port must be a number from 1 to 65535"},
		{[]string{"check", "-b", "2001:db8::1:9092", "-t", "orders"}, "IPv6 addresses need brackets"},
		{[]string{"check", "-b", "[2001:db8::1]", "-t", "orders"}, "want host:port"},
		{[]string{"check", "-b", "a:1,,b:1", "-t", "orders"}, "empty entry"},
		{[]string{"check", "-b", "a:1,a:1", "-t", "orders"}, "listed twice"},
		{[]string{"check", "-b", "SASL_SSL://a:9096", "-t", "orders"}, "drop the scheme"},
		{[]string{"check", "-b", "a:1"}, "--topic is required"},
		{[]string{"check", "-b", "a:1", "-t", "orders topic"}, "not a valid Kafka topic name"},
		{[]string{"check", "-b", "a:1", "-t", strings.Repeat("t", 250)}, "not a valid Kafka topic name"},
		{with("--auth", "kerberos"), `--auth "kerberos": want one of`},
		{with("--auth", "mtls"), "--auth mtls needs --secret-file"},
		{with("--auth", "sasl-scram-512"), "--auth sasl-scram-512 needs --secret-file"},
		{with("--secret-file", dir+"/missing.json"), "no such file"},
		{with("--secret-file", dir), "is a directory, not a file"},
		{with("--ca-file", dir+"/missing.pem"), "--ca-file"},
		{with("--secret-file", f.notJSON), "not the JSON object Lambda reads: invalid JSON at byte offset"},
		{with("--secret-file", f.notJSON, "--auth", "sasl-scram-512"), "(ESM-SECRET-001)"},
		{with("--secret-file", f.wrongKeys), "has neither username/password, certificate/privateKey nor oauthTokenEndpointUrl/oauthClientId"},
		{with("--secret-file", f.wrongKeysSASL), "(ESM-SECRET-001)"},
		{with("--secret-file", f.tooLarge), "(ESM-SECRET-002)"},
		{with("--secret-file", f.garbagePEM), "(ESM-SECRET-003)"},
		{with("--secret-file", f.truncatedPEM), "(ESM-SECRET-003)"},
		{with("--secret-file", f.certAsKey), "(ESM-SECRET-003)"},
		{with("--secret-file", f.pkcs1), "(ESM-SECRET-004)"},
		{with("--secret-file", f.sec1), "(ESM-SECRET-004)"},
		{with("--secret-file", f.mismatch), "(ESM-SECRET-007)"},
		{with("--secret-file", f.pbes2), "(ESM-SECRET-005)"},
		{with("--secret-file", f.wrongKeyPass), "(ESM-SECRET-006)"},
		{with("--secret-file", f.expired), "(ESM-SECRET-009)"},
		{with("--ca-file", f.caGarbage), f.caGarbage},
		{with("--ca-file", f.caNoCert), "(ESM-SECRET-001)"},
		{with("--auth", "none", "--secret-file", f.wrongKeysSASL), "--auth none uses no client secret"},
		{with("--auth", "tls", "--secret-file", f.pbes2), "--auth tls uses no client secret"},
		{with("--output", "yaml"), `--output "yaml"`},
		{with("--output-file", dir+"/no/such/dir/r.json"), "its folder does not exist"},
		{[]string{"check", "-b", "127.0.0.1:1", "-t", "orders", "--timeout", "1s"}, "--timeout 1s"},
		{[]string{"check", "-b", "127.0.0.1:1", "-t", "orders", "--timeout", "11m"}, "--timeout 11m0s"},
		{[]string{"check", "-b", "127.0.0.1:1", "-t", "orders", "--timeout", "soon"}, "invalid value \"soon\" for flag -timeout"},
		{with("--frobnicate"), "flag provided but not defined: -frobnicate"},
		{with("extra-argument"), "check takes no arguments"},
		{[]string{"lab", "no-such-scenario"}, `lab: no scenario "no-such-scenario"`},
		{[]string{"lab", "healthy", "--output", "markdown", "--no-redact"}, "--no-redact is refused"},
		{[]string{"explain", "ESM-TLS-999"}, "no code ESM-TLS-999"},
		{[]string{"explain", "something else"}, "is neither a PROBLEM text"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
	}
	if len(cases) < 40 {
		t.Fatalf("the bad-input table needs at least 40 cases, has %d", len(cases))
	}
	for _, c := range cases {
		code, out, errOut := esm(t, c.args...)
		line := strings.TrimSpace(errOut)
		if strings.Contains(out, "USAGE:") || strings.Contains(out, "Incorrect Usage") {
			t.Errorf("%q: the help text was printed instead of one line", c.args)
		}
		if code != exitUsage || strings.Contains(line, "\n") || !strings.Contains(line, c.want) || !strings.HasPrefix(line, "esmdoctor: ") {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 and one line containing %q", c.args, code, errOut, c.want)
		}
		for _, canary := range []string{"pw-canary-1", "kp-canary-1"} {
			if strings.Contains(errOut, canary) {
				t.Errorf("%q: a secret reached stderr: %q", c.args, errOut)
			}
		}
	}
}
