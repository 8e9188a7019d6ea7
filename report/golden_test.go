package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"github.com/esmdoctor/esmdoctor/model"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/redact"
	"github.com/esmdoctor/esmdoctor/scrub"
)

// clean runs the scrub pass, as the command does before rendering.
func clean(r *model.Report, secrets ...string) *model.Report {
	return scrub.New(redact.New(secrets...)).Report(r)
}

var update = flag.Bool("update", false, "rewrite the golden files")

// sample is a report with every status, a confirmed and an unconfirmed
// PROBLEM text, and a secret that leaked into an observation.
func sample() *model.Report {
	ms := time.Millisecond
	return &model.Report{ToolName: "esmdoctor", ToolVersion: "1.2.3", StartedAt: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC),
		Target: model.Target{BootstrapServers: []string{"b-1.example.com:9096"}, Topic: "orders", Auth: "sasl-scram-512",
			AuthReason: "given by --auth", ConsumerGroup: "0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b", SecretSource: "scram.json"},
		Notes: []string{"an example note"},
		Results: []model.Result{
			{ID: "sts", Title: "can obtain an AWS security token", Status: model.Skip, Reason: "not applicable: no AWS target given"},
			{ID: "secret", Title: "secrets are well-formed for the auth mode", Status: model.Warn, Code: "ESM-SECRET-101", Duration: 2 * ms,
				Args:   map[string]string{"source": "scram.json", "detail": `password: contains "/"`},
				Detail: []string{`scram.json: username "alice", password present (SCRAM-SHA-512)`}},
			{ID: "dns", Title: "can resolve the bootstrap brokers", Status: model.Pass, Duration: 3 * ms, Detail: []string{"b-1.example.com -> 10.0.0.5 (3ms)"}},
			{ID: "tls", Title: "brokers complete a verified TLS handshake", Status: model.Fail, Code: "ESM-TLS-001", Duration: 40 * ms,
				Args:   map[string]string{"addr": "b-1.example.com:9096", "subject": "CN=b-1", "issuer": "CN=Private CA", "trust": "any CA in the system trust store"},
				Detail: []string{"b-1.example.com:9096: broker certificate is not signed by a trusted CA", "leaked s3cr3t-canary-value in a detail"}},
			{ID: "sasl", Title: "brokers accept the SASL login", Status: model.Skip, Reason: "requires tls (failed: ESM-TLS-001)"},
		}}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./report -update to accept):\n%s", name, got)
	}
}

func TestTextGolden(t *testing.T) {
	var buf bytes.Buffer
	RenderText(&buf, clean(sample(), "s3cr3t-canary-value"), Options{})
	golden(t, "report.txt", buf.Bytes())
	if strings.Contains(buf.String(), "s3cr3t") {
		t.Fatal("secret leaked into text")
	}
}

func TestJSONGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := renderJSON(&buf, clean(sample(), "s3cr3t-canary-value")); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.json", buf.Bytes())
	var doc struct {
		SchemaVersion int    `json:"schema_version"`
		Verdict       string `json:"verdict"`
		Redactions    int    `json:"redactions"`
		Checks        []struct {
			ID, Status, Code, Problem string
			ProblemInferred           bool `json:"problem_form_inferred"`
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.SchemaVersion != 1 || doc.Verdict != "fail" || doc.Redactions != 1 || len(doc.Checks) != 5 {
		t.Fatalf("document %+v", doc)
	}
	tls := doc.Checks[3]
	if tls.Code != "ESM-TLS-001" || tls.Problem != "PROBLEM: Lambda failed to authenticate server." || !tls.ProblemInferred {
		t.Fatalf("tls check %+v", tls)
	}
}

func TestTextColourOnlyWhenAsked(t *testing.T) {
	var plain, coloured bytes.Buffer
	RenderText(&plain, clean(sample()), Options{HideDurations: true})
	RenderText(&coloured, clean(sample()), Options{Color: true, HideDurations: true})
	if strings.Contains(plain.String(), "\x1b[") {
		t.Fatal("escape codes without Color")
	}
	if !strings.Contains(coloured.String(), "\x1b[31;1m") {
		t.Fatal("no red failure with Color")
	}
}

func TestMarkdownGolden(t *testing.T) {
	var buf bytes.Buffer
	r := sample()
	r.Target.Identity = "arn:aws:sts::123456789012:assumed-role/esm-role/esmdoctor"
	r.Target.LastProcessingResult = "PROBLEM: Lambda failed to authenticate server."
	if err := renderMarkdown(&buf, clean(r, "s3cr3t-canary-value")); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.md", buf.Bytes())
	if strings.Contains(buf.String(), "s3cr3t") {
		t.Fatal("secret leaked into markdown")
	}
	for _, want := range []string{"| `tls` | ❌ fail | `ESM-TLS-001` broker certificate is not signed by a trusted CA |",
		"| `sasl` | ⏭️ skip | requires tls (failed: ESM-TLS-001) |", "### ❌ fail `tls`: broker certificate is not signed by a trusted CA (`ESM-TLS-001`)",
		"- **Lambda shows:** `PROBLEM: Lambda failed to authenticate server.` (form inferred: the named error is documented, the PROBLEM: wrapping is inferred)"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
}

func TestJUnitGoldenAndParsesBack(t *testing.T) {
	var buf bytes.Buffer
	if err := renderJUnit(&buf, clean(sample(), "s3cr3t-canary-value")); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.junit.xml", buf.Bytes())
	var doc junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	s := doc.Suites[0]
	if doc.Tests != 5 || doc.Failures != 1 || s.Skipped != 2 || len(s.Cases) != 5 {
		t.Fatalf("counts %+v", doc)
	}
	tls := s.Cases[3]
	if tls.Failure == nil || tls.Failure.Type != "ESM-TLS-001" || !strings.Contains(tls.Failure.Body, "Lambda shows: PROBLEM: Lambda failed to authenticate server.") {
		t.Fatalf("tls case %+v", tls)
	}
	if s.Cases[4].Skipped == nil || s.Cases[4].Skipped.Message != "requires tls (failed: ESM-TLS-001)" {
		t.Fatalf("skip case %+v", s.Cases[4])
	}
	if strings.Contains(buf.String(), "s3cr3t") {
		t.Fatal("secret leaked into junit")
	}
}

func TestGitHubAnnotations(t *testing.T) {
	var buf bytes.Buffer
	if err := Annotations(&buf, clean(sample())); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(buf.String(), "\n") {
		if strings.HasPrefix(l, "::") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "::warning title=esmdoctor secret%3A ESM-SECRET-101::") ||
		!strings.HasPrefix(lines[1], "::error title=esmdoctor tls%3A ESM-TLS-001::PROBLEM: Lambda failed to authenticate server.") {
		t.Fatalf("annotations %q", lines)
	}
	if strings.Contains(lines[1], "\n") || !strings.Contains(lines[1], "%0Afix: ") {
		t.Fatalf("annotation not escaped: %q", lines[1])
	}
}

func TestLiveLineOnlyWhenLive(t *testing.T) {
	for _, live := range []bool{true, false} {
		var buf bytes.Buffer
		tx := NewText(&buf, Options{Live: live, HideDurations: true})
		tx.Started("tls", "brokers complete a verified TLS handshake")
		tx.Finished(model.Result{ID: "tls", Title: "brokers complete a verified TLS handshake", Status: model.Pass})
		out := buf.String()
		hasLive := strings.Contains(out, "\r\x1b[K⠋ tls ")
		if hasLive != live {
			t.Fatalf("Live=%v: output %q", live, out)
		}
		if live && !strings.Contains(out, "\r\x1b[K✓ tls") {
			t.Fatalf("the live line is not cleared before the check line: %q", out)
		}
	}
}
