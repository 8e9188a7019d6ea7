package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/fixtures"
)

// esm runs esmdoctor in-process and returns exit code, stdout and stderr.
func esm(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"esmdoctor"}, args...), &out, &errOut)
	if strings.Contains(errOut.String(), "goroutine ") || strings.Contains(errOut.String(), "panic") {
		t.Fatalf("stack trace on stderr:\n%s", errOut.String())
	}
	return code, out.String(), errOut.String()
}

func write(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

type jsonReport struct {
	SchemaVersion int    `json:"schema_version"`
	Verdict       string `json:"verdict"`
	Target        struct {
		Auth       string `json:"auth"`
		AuthReason string `json:"auth_reason"`
	} `json:"target"`
	Checks []struct {
		ID, Status, Code, Problem, Cause, Remediation, Reason string
		ErrorName                                             string `json:"error_name"`
	} `json:"checks"`
}

func parseJSON(t *testing.T, s string) jsonReport {
	t.Helper()
	var r jsonReport
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
	return r
}

func TestLabHealthyText(t *testing.T) {
	code, out, _ := esm(t, "lab", "--no-color")
	if code != exitPass {
		t.Fatalf("exit %d\n%s", code, out)
	}
	for _, id := range checks.IDs() {
		if !strings.Contains(out, " "+id+" ") && !strings.Contains(out, " "+id+",") {
			t.Errorf("report lacks check %s", id)
		}
	}
	if !strings.Contains(out, "PASS  10 passed, 0 warnings, 0 failed, 9 skipped") {
		t.Errorf("summary:\n%s", out)
	}
	if strings.Contains(out, "\r") || strings.Contains(out, "\x1b[") {
		t.Errorf("a live line or colour reached a stream that is not a terminal:\n%q", out)
	}
}

func TestLabWrongPasswordJSON(t *testing.T) {
	code, out, _ := esm(t, "lab", "wrong-password", "--output", "json")
	if code != exitFail {
		t.Fatalf("exit %d, want 1", code)
	}
	r := parseJSON(t, out)
	if r.SchemaVersion != 1 || r.Verdict != "fail" || len(r.Checks) != len(checks.IDs()) {
		t.Fatalf("report %+v", r)
	}
	sasl := r.Checks[11]
	if sasl.ID != "sasl" || sasl.Status != "fail" || sasl.Code != "ESM-SASL-001" || sasl.Problem != "PROBLEM: SASL authentication failed." {
		t.Fatalf("sasl %+v", sasl)
	}
	if r.Checks[12].Reason != "requires sasl (failed: ESM-SASL-001)" {
		t.Fatalf("topic reason %q", r.Checks[12].Reason)
	}
}

func TestUsageErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.json")
	cases := []struct {
		args []string
		want string // the one line on stderr
	}{
		{[]string{"check", "-t", "orders"}, "esmdoctor: --bootstrap-servers is required"},
		{[]string{"check", "-b", "broker", "-t", "orders"}, `esmdoctor: --bootstrap-servers: "broker": want host:port`},
		{[]string{"check", "-b", "h:99999", "-t", "orders"}, `port must be a number from 1 to 65535`},
		{[]string{"check", "-b", "::1:9092", "-t", "orders"}, `IPv6 addresses need brackets`},
		{[]string{"check", "-b", "h:1,,h:2", "-t", "orders"}, `empty entry`},
		{[]string{"check", "-b", "h:1,h:1", "-t", "orders"}, `listed twice`},
		{[]string{"check", "-b", "h:1"}, "esmdoctor: --topic is required"},
		{[]string{"check", "-b", "h:1", "-t", "x", "--auth", "kerberos"}, `--auth "kerberos": want one of`},
		{[]string{"check", "-b", "h:1", "-t", "x", "--auth", "mtls"}, "--auth mtls needs --secret-file"},
		{[]string{"check", "-b", "h:1", "-t", "x", "--secret-file", missing}, "no such file"},
		{[]string{"check", "-b", "h:1", "-t", "x", "--output", "xml"}, `--output "xml": want text, json, markdown or junit`},
		{[]string{"check", "-b", "h:1", "-t", "x", "--timeout", "1ms"}, "--timeout 1ms"},
		{[]string{"check", "--bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"lab", "nope"}, `lab: no scenario "nope"`},
		{[]string{"lab", "healthy", "blackhole"}, "lab takes one scenario"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"explain", "ESM-NOPE-999"}, "explain: no code ESM-NOPE-999"},
		{[]string{"explain", "hello world"}, "is neither a PROBLEM text"},
	}
	for _, c := range cases {
		code, _, errOut := esm(t, c.args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", c.args, code, errOut)
			continue
		}
		if strings.Count(strings.TrimSpace(errOut), "\n") != 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: stderr %q, want one line containing %q", c.args, errOut, c.want)
		}
	}
}

func TestSecretFileLambdaRejectsIsInputError(t *testing.T) {
	ca, err := fixtures.NewCA("esmdoctor test CA")
	if err != nil {
		t.Fatal(err)
	}
	certPEM, keyPEM, err := ca.Client("client", time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	enc, err := fixtures.EncryptPKCS8PBES2(keyPEM, "canary-key-password")
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := json.Marshal(map[string]string{"certificate": string(certPEM), "privateKey": string(enc), "privateKeyPassword": "canary-key-password"})
	path := write(t, "mtls.json", string(doc))
	code, out, errOut := esm(t, "check", "-b", "127.0.0.1:1", "-t", "orders", "--secret-file", path, "--output", "json", "--verbose")
	if code != exitUsage {
		t.Fatalf("exit %d, want 2; stderr %s", code, errOut)
	}
	r := parseJSON(t, out)
	if r.Target.Auth != "mtls" || r.Checks[3].Code != "ESM-SECRET-005" {
		t.Fatalf("auth %s, secret check %+v", r.Target.Auth, r.Checks[3])
	}
	if !strings.Contains(errOut, path) || !strings.Contains(errOut, "PBES2") || !strings.Contains(errOut, "ESM-SECRET-005") {
		t.Fatalf("stderr %q", errOut)
	}
	if strings.Contains(out+errOut, "canary-key-password") {
		t.Fatal("the key password reached the output")
	}
}

func TestAuthInferred(t *testing.T) {
	path := write(t, "scram.json", `{"username":"alice","password":"pw-canary-1"}`)
	code, out, _ := esm(t, "check", "-b", closedAddr(t), "-t", "orders", "--secret-file", path, "-o", "json", "--timeout", "2s")
	if code != exitFail {
		t.Fatalf("exit %d", code)
	}
	r := parseJSON(t, out)
	if r.Target.Auth != "sasl-scram-512" || !strings.HasPrefix(r.Target.AuthReason, "inferred: the secret holds username/password") {
		t.Fatalf("target %+v", r.Target)
	}
	if r.Checks[8].ID != "tcp" || r.Checks[8].Code != "ESM-TCP-001" {
		t.Fatalf("tcp %+v", r.Checks[8])
	}
}

func TestExplain(t *testing.T) {
	code, out, _ := esm(t, "explain", "  PROBLEM: SASL authentication failed.  ")
	if code != 0 || !strings.Contains(out, "ESM-SASL-001") || !strings.Contains(out, "ESM-SASL-002") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if strings.Index(out, "ESM-SECRET-001") > strings.Index(out, "ESM-SASL-001") {
		t.Fatal("causes not in pipeline order")
	}
	code, out, _ = esm(t, "explain", "esm-tls-001")
	if code != 0 || !strings.Contains(out, "Lambda failed to authenticate server") || !strings.Contains(out, "cause    HOST:PORT: certificate SUBJECT") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	code, out, _ = esm(t, "explain", "Cluster failed to authorize Lambda")
	if code != 0 || !strings.Contains(out, "ESM-GROUP-001") {
		t.Fatalf("named error: exit %d\n%s", code, out)
	}
	code, out, _ = esm(t, "explain", "PROBLEM: Lambda internal error. Please contact Lambda customer support.")
	if code != 0 || !strings.Contains(out, "No check detects this") {
		t.Fatalf("P6: exit %d\n%s", code, out)
	}
}

func TestVersionAndHelp(t *testing.T) {
	code, out, _ := esm(t, "version")
	if code != 0 || out != "esmdoctor dev\n" {
		t.Fatalf("version: %d %q", code, out)
	}
	code, out, _ = esm(t, "check", "--help")
	if code != 0 || !strings.Contains(out, "EXAMPLES:") || !strings.Contains(out, "--bootstrap-servers") {
		t.Fatalf("help: %d\n%s", code, out)
	}
}

func TestFlagsAfterScenario(t *testing.T) {
	code, out, _ := esm(t, "lab", "refused", "--output", "json", "--timeout", "3s")
	if code != exitFail || parseJSON(t, out).Checks[8].Code != "ESM-TCP-001" {
		t.Fatalf("exit %d\n%s", code, out)
	}
}

func closedAddr(t *testing.T) string {
	t.Helper()
	return "127.0.0.1:1"
}

func TestOutputFileGetsFormatTerminalGetsText(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.xml")
	code, out, _ := esm(t, "lab", "unknown-topic", "--output", "junit", "--output-file", path)
	if code != exitFail {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(out, "✗ topic") || !strings.Contains(out, "ESM-TOPIC-001") {
		t.Fatalf("terminal did not get text:\n%s", out)
	}
	data, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(data), `<failure message="ESM-TOPIC-001: topic does not exist" type="ESM-TOPIC-001">`) {
		t.Fatalf("junit file: %v\n%s", err, data)
	}
}

func TestNoRedactRefusedForMarkdown(t *testing.T) {
	code, _, errOut := esm(t, "lab", "--output", "markdown", "--no-redact")
	if code != exitUsage || !strings.Contains(errOut, "--no-redact is refused with --output markdown") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	code, out, errOut := esm(t, "lab", "wrong-password", "--no-redact", "--no-color")
	if code != exitFail || !strings.Contains(errOut, "warning: --no-redact") || !strings.Contains(out, "redaction disabled (--no-redact)") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestInterruptEndsWithinASecond(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut bytes.Buffer
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"esmdoctor", "lab", "blackhole", "--timeout", "60s", "--no-color"}, &out, &errOut)
	}()
	var cancelled time.Time
	time.AfterFunc(300*time.Millisecond, func() { cancelled = time.Now(); cancel() })
	var code int
	select {
	case code = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the run did not end after the interruption")
	}
	// The promise users rely on: Ctrl-C ends the run within one second.
	if d := time.Since(cancelled); d > time.Second {
		t.Errorf("ended %s after the interruption", d)
	}
	if code != exitInternal {
		t.Fatalf("exit %d, want 3\n%s", code, out.String())
	}
	for _, want := range []string{"✓ tcp ", "✗ tls             interrupted while running", "- sasl            skipped: not run: interrupted",
		"INTERRUPTED  4 passed, 0 warnings, 0 failed, 15 skipped", "interrupted: the checks after the interruption did not run"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	if errOut.String() != "esmdoctor: interrupted: the report shows what completed\n" {
		t.Fatalf("stderr %q", errOut.String())
	}
}

// audit needs AWS input: without it nothing would be audited, and a pass
// would mean nothing.
func TestAuditNeedsAWSInput(t *testing.T) {
	code, out, errOut := esm(t, "audit", "-b", "127.0.0.1:9092", "-t", "orders")
	if code != exitUsage || !strings.Contains(errOut, "audit reads the mapping from AWS") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
}

// A plan whose event source exists only after apply cannot be checked
// against brokers; audit reports the unknowns instead (integration tests).
func TestTerraformPlanInputErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"check", "--terraform-plan", "iac/testdata/plan-msk-new-cluster.json", "--region", "us-east-1"}, "is known only after apply: run esmdoctor audit"},
		{[]string{"audit", "--terraform-plan", "iac/testdata/plan-msk-new-cluster.json", "--esm", "0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b"}, "--esm: not with --terraform-plan"},
		{[]string{"audit", "--terraform-plan", "iac/testdata/plan-msk-new-cluster.json", "-t", "orders"}, "--topic: not with --terraform-plan"},
		{[]string{"audit", "--terraform-plan", "iac/testdata/plan-self-managed.json", "--region", "eu-west-1", "--terraform-address", "nope"}, "no Kafka event source mapping at nope"},
		{[]string{"audit", "--terraform-plan", "no-such-plan.json", "--region", "eu-west-1"}, "cannot be read"},
	} {
		code, out, errOut := esm(t, c.args...)
		if code != exitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, want 2 with %q\n%s%s", c.args, code, c.want, out, errOut)
		}
	}
}
