package main

import (
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/fixtures"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// hostile is appended to canaries in free-text fields: a terminal escape
// that retitles the window and clears the screen, a forged report line,
// a NUL and a forged workflow command.
const hostile = "\x1b]0;owned\x07\x1b[2J\n✗ tcp FAKE\x00\n::error::forged"

func newCanary(t *testing.T, prefix string) string {
	t.Helper()
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return prefix + hex.EncodeToString(b)
}

// canaryRun is one command line whose every user-controlled field holds
// a secret canary.
type canaryRun struct {
	name string
	args []string
	env  map[string]string
	// want is what the verbose text report shows where the canary was:
	// proof the run reached the field.
	want []string
}

// TestCanaryInEveryField runs esmdoctor with the run's password (and the
// mTLS key password) placed in every field a user, a broker, a certificate
// or AWS controls: password, key password, username, secret key names,
// topic, host, consumer group, certificate subject and SAN, broker error
// text, AWS error text. In every format, with and without --verbose, with
// --output-file and GitHub annotations, the canary must appear nowhere
// (stdout, stderr, the file) in any form, and no raw escape byte or forged
// line may reach the output.
func TestCanaryInEveryField(t *testing.T) {
	if os.Getenv(childTest) != "1" {
		inChildProcess(t, "TestCanaryInEveryField")
		return
	}
	pw, keyPW := newCanary(t, "Cn4ryPw"), newCanary(t, "Cn4ryKeyPw")
	dir := t.TempDir()
	port, err := fixtures.ClosedPort()
	if err != nil {
		t.Fatal(err)
	}
	closed := "127.0.0.1:" + strconv.Itoa(port)
	scram := writeIn(t, dir, "scram.json", `{"username":"u-`+pw+`","password":"`+pw+`","k-`+pw+`":"x"}`)
	group := "g-" + pw + hostile
	runs := []canaryRun{
		{name: "fields", args: []string{"check", "-b", closed, "-t", "t." + pw + ".v2", "--secret-file", scram, "--auth", "sasl-scram-512", "--consumer-group", "g-" + pw},
			want: []string{"t.**redacted**.v2", "group: g-**redacted**", `username "u-**redacted**"`}},
		// Lambda's API refuses such a group id (the api check says so), but
		// the report still shows it, escaped.
		{name: "group", args: []string{"check", "-b", closed, "-t", "orders", "--secret-file", scram, "--consumer-group", group},
			want: []string{`g-**redacted**\x1b]0;owned\x07\x1b[2J\n✗ tcp FAKE\x00\n::error::forged`}},
		{name: "host", args: []string{"check", "-b", "h-" + pw + ".invalid:9096", "-t", "orders", "--secret-file", scram},
			want: []string{"h-**redacted**.invalid:9096", "cause h-**redacted**.invalid"}},
		canaryTLS(t, dir, keyPW),
		canarySASL(t, dir, scram, pw),
		canaryAWS(t, closed, scram, pw),
	}
	secrets := []string{pw, keyPW}
	for _, r := range runs {
		for k, v := range r.env {
			t.Setenv(k, v)
		}
		t.Setenv("GITHUB_ACTIONS", "true")
		for _, format := range []string{"text", "json", "markdown", "junit"} {
			for _, verbose := range []bool{false, true} {
				file := filepath.Join(dir, r.name+"-"+format+".out")
				base := append(append([]string(nil), r.args...), "-o", format, "--timeout", "3s")
				if verbose {
					base = append(base, "-v")
				}
				_, out, errOut := esm(t, base...)
				_, textOut, textErr := esm(t, append(base, "--output-file", file)...)
				written, err := os.ReadFile(file)
				if err != nil {
					t.Fatalf("%s: --output-file: %v", r.name, err)
				}
				all := out + errOut + textOut + textErr + string(written)
				for _, w := range r.want {
					if verbose && format == "text" && !strings.Contains(strings.Join(strings.Fields(all), " "), w) {
						t.Errorf("%s: the report lacks %q (did the run reach the field?):\n%s", r.name, w, all)
					}
				}
				for _, leak := range fixtures.SecretLeaks(all, secrets) {
					t.Errorf("%s -o %s -v=%v: leaked %s:\n%s", r.name, format, verbose, leak, all)
				}
				if strings.ContainsAny(all, "\x1b\x07\x00") || strings.Contains(all, "\n✗ tcp FAKE") || strings.Contains(all, "\n::error::forged") {
					t.Errorf("%s -o %s -v=%v: raw escape or forged line:\n%q", r.name, format, verbose, all)
				}
			}
		}
	}
}

// childTest marks the test binary re-run for one test.
const childTest = "ESMDOCTOR_TEST_CHILD"

// inChildProcess runs one test of this binary in a process of its own.
// Tests with many in-process runs (kfake clusters, hundreds of reports)
// would raise the test process's peak RSS, which TestHostileInputs reads
// through its children's rusage: a vforked child's ru_maxrss starts at
// the parent's high-water mark.
func inChildProcess(t *testing.T, name string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+name+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), childTest+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "PASS") {
		t.Fatalf("%s in a child process: %v\n%s", name, err, out)
	}
}

func writeIn(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// canaryTLS: an mTLS secret whose key is encrypted with the key password,
// against a TLS listener whose certificate's subject, issuer and SAN hold
// that password (the run's secret) and terminal escapes.
func canaryTLS(t *testing.T, dir, keyPW string) canaryRun {
	t.Helper()
	pw := keyPW
	ca, err := fixtures.NewCA("CA " + pw + hostile)
	if err != nil {
		t.Fatal(err)
	}
	cert, _, _, err := ca.Server("broker "+pw+hostile, []string{"b-" + pw + ".invalid"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go serveHandshakes(ln)
	clientPEM, keyPEM, err := ca.Client("client-"+pw, time.Now().Add(-time.Hour), time.Now().AddDate(0, 0, 7))
	if err != nil {
		t.Fatal(err)
	}
	enc, err := fixtures.EncryptPKCS8PBES1(keyPEM, keyPW)
	if err != nil {
		t.Fatal(err)
	}
	secret := writeIn(t, dir, "mtls.json", string(fixtures.MTLSSecret(append(clientPEM, ca.CertPEM...), enc, keyPW)))
	caFile := writeIn(t, dir, "ca.pem", string(ca.CertPEM))
	return canaryRun{name: "tls", args: []string{"check", "-b", ln.Addr().String(), "-t", "orders", "--auth", "mtls", "--secret-file", secret, "--ca-file", caFile},
		want: []string{`certificate CN=broker **redacted**\x1b]0\;owned\x07`, "DNS:b-**redacted**.invalid", "CN=client-**redacted**"}}
}

// serveHandshakes completes TLS handshakes and closes the connections.
func serveHandshakes(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			_ = c.(*tls.Conn).Handshake()
			c.Close()
		}()
	}
}

// canarySASL: a broker that rejects the login with an error message
// holding the password and escapes.
func canarySASL(t *testing.T, dir, scram, pw string) canaryRun {
	t.Helper()
	ca, err := fixtures.NewCA("sasl CA")
	if err != nil {
		t.Fatal(err)
	}
	cert, _, _, err := ca.Server("localhost", nil, []net.IP{net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.EnableSASL(), kfake.Superuser("SCRAM-SHA-512", "admin", "admin-password"),
		kfake.TLS(&tls.Config{Certificates: []tls.Certificate{cert}}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	c.ControlKey(int16(kmsg.SASLAuthenticate), func(req kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		resp := req.(*kmsg.SASLAuthenticateRequest).ResponseKind().(*kmsg.SASLAuthenticateResponse)
		msg := "Authentication failed for u-" + pw + hostile
		resp.ErrorCode, resp.ErrorMessage = 58, &msg
		return resp, nil, true
	})
	return canaryRun{name: "sasl", args: []string{"check", "-b", c.ListenAddrs()[0], "-t", "orders", "--auth", "sasl-plain", "--secret-file", scram,
		"--ca-file", writeIn(t, dir, "sasl-ca.pem", string(ca.CertPEM))},
		want: []string{"Authentication failed for u-**redacted**"}}
}

// canaryAWS: every AWS endpoint answers with an error whose message holds
// the password and escapes; the role ARN holds it too.
func canaryAWS(t *testing.T, closed, scram, pw string) canaryRun {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User u-` + pw +
			"\n✗ tcp FAKE" + ` is not authorized</Message></Error><RequestId>1</RequestId></ErrorResponse>`))
	}))
	t.Cleanup(srv.Close)
	return canaryRun{name: "aws", args: []string{"check", "-b", closed, "-t", "orders", "--auth", "sasl-scram-512", "--secret-file", scram, "--region", "us-east-1",
		"--role-arn", "arn:aws:iam::123456789012:role/r-" + pw},
		want: []string{`User u-**redacted**\n✗ tcp FAKE is not authorized`},
		env: map[string]string{"AWS_ENDPOINT_URL": srv.URL, "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
			"AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AWS_REGION": "us-east-1", "AWS_PROFILE": "", "AWS_CONFIG_FILE": "/dev/null",
			"AWS_SHARED_CREDENTIALS_FILE": "/dev/null"}}
}
