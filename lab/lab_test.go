package lab

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/fixtures"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/redact"
	"github.com/esmdoctor/esmdoctor/report"
	"github.com/esmdoctor/esmdoctor/scrub"
)

// runTimeout is the --timeout the tests run with; its step budget (a
// quarter) is what a blackholed broker costs.
const runTimeout = 5 * time.Second

// wantNames is the CLI contract: names and order.
var wantNames = []string{"healthy", "pbes2-key", "refused", "blackhole", "tls-to-plaintext",
	"untrusted-ca", "missing-intermediate", "cn-only-name", "broker-key-usage", "wrong-password", "unknown-topic", "group-acl-missing"}

// wantStatus is every check's expected outcome per scenario, in pipeline
// order: "na" is a not-applicable skip, "blocked" a skip that names the
// scenario's first failure.
var wantStatus = map[string]string{
	"healthy":              "na pass na na na pass pass pass na pass pass pass pass pass na",
	"pbes2-key":            "na fail na na na pass pass blocked blocked blocked blocked blocked blocked blocked na",
	"refused":              "na pass na na na pass fail blocked na blocked blocked blocked blocked blocked na",
	"blackhole":            "na pass na na na pass pass fail na blocked blocked blocked blocked blocked na",
	"tls-to-plaintext":     "na pass na na na pass pass fail na blocked blocked blocked blocked blocked na",
	"untrusted-ca":         "na pass na na na pass pass fail na blocked blocked blocked blocked blocked na",
	"missing-intermediate": "na pass na na na pass pass fail na blocked blocked blocked blocked blocked na",
	"cn-only-name":         "na pass na na na pass pass pass na pass pass pass pass pass na",
	"broker-key-usage":     "na pass na na na pass pass fail na blocked blocked blocked blocked blocked na",
	"wrong-password":       "na pass na na na pass pass pass na fail blocked blocked blocked blocked na",
	"unknown-topic":        "na pass na na na pass pass pass na pass fail blocked blocked blocked na",
	"group-acl-missing":    "na pass na na na pass pass pass na pass pass pass fail pass na",
}

// wantSeen pins observations per scenario: for a check, an argument of its
// code (or, with arg "", any detail line) that must contain text.
var wantSeen = map[string][]struct{ check, arg, text string }{
	"healthy": {
		{"topic", "", "topic orders: 3 partitions"},
		{"brokers", "", "connected and authenticated"},
		{"group", "", "authorized operations on the group: Read, Describe"},
		{"poll", "", "fetched 6 record(s)"},
	},
	"pbes2-key":            {{"secret", "detail", "privateKey: encrypted with PBES2 (aes-256-cbc)"}},
	"refused":              {{"tcp", "detail", "connection refused"}},
	"blackhole":            {{"tls", "budget", "1.25s"}},
	"tls-to-plaintext":     {{"tls", "cause", "during the TLS handshake: this port is probably a PLAINTEXT"}},
	"untrusted-ca":         {{"tls", "trust", "esmdoctor lab other CA"}, {"tls", "issuer", "esmdoctor lab CA (untrusted-ca)"}, {"tls", "missing_issuer", "esmdoctor lab CA (untrusted-ca)"}},
	"missing-intermediate": {{"tls", "missing_issuer", "esmdoctor lab intermediate CA"}, {"tls", "sent", "only its own certificate CN=kfake broker"}},
	"cn-only-name":         {{"tls", "", "localhost:"}, {"brokers", "", "connected and authenticated"}},
	"broker-key-usage":     {{"tls", "detail", "keyUsage lacks digitalSignature"}, {"tls", "suite", "TLS 1.3"}},
	"wrong-password": {{"sasl", "user", `"lambda-esm"`}, {"sasl", "kafka_code", "58"},
		{"sasl", "broker_message", "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512"}},
	"unknown-topic":     {{"topic", "topic", missingTopic}, {"topic", "count", "1"}},
	"group-acl-missing": {{"group", "missing", `Read on Group "` + GroupID + `"`}, {"group", "principal", "User:lambda-esm"}},
}

func TestScenarioList(t *testing.T) {
	var names []string
	for _, s := range Scenarios() {
		names = append(names, s.Name)
		if s.Summary == "" || strings.Contains(s.Summary, "\n") {
			t.Errorf("%s: summary must be one non-empty line", s.Name)
		}
		got, ok := Lookup(s.Name)
		if !ok || got.Name != s.Name || got.ExpectCode != s.ExpectCode {
			t.Errorf("Lookup(%q) = %+v, %v", s.Name, got, ok)
		}
		if (s.ExpectCheck == "") != (s.ExpectCode == "") {
			t.Errorf("%s: ExpectCheck and ExpectCode go together", s.Name)
		}
	}
	if !slices.Equal(names, wantNames) {
		t.Fatalf("scenarios %v, want %v", names, wantNames)
	}
	if _, ok := Lookup("nope"); ok {
		t.Error("Lookup of an unknown name succeeded")
	}
	if _, err := Start(context.Background(), "nope"); err == nil || !strings.Contains(err.Error(), "--list") {
		t.Errorf("Start of an unknown name: %v", err)
	}
}

// TestScenarios runs every scenario through the whole pipeline and checks
// each check's outcome, then renders the report and checks that no secret
// leaks (the redaction canary).
func TestScenarios(t *testing.T) {
	for _, sc := range Scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			l, res := runScenario(t, sc.Name, nil)
			assertResults(t, sc, res)
			assertNoSecrets(t, sc.Name, l, res)
		})
	}
}

// runScenario starts a scenario, lets adjust change the configuration, and
// runs every check.
func runScenario(t *testing.T, name string, adjust func(*checks.Config)) (*Lab, []model.Result) {
	t.Helper()
	l, err := Start(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.Close)
	cfg := l.Config
	cfg.Timeout = runTimeout
	if adjust != nil {
		adjust(&cfg)
	}
	return l, checks.Run(context.Background(), cfg, nil)
}

func assertResults(t *testing.T, sc Scenario, res []model.Result) {
	t.Helper()
	ids := make([]string, len(res))
	for i, r := range res {
		ids[i] = r.ID
	}
	if !slices.Equal(ids, checks.IDs()) {
		t.Fatalf("check ids %v, want %v", ids, checks.IDs())
	}
	rep := &model.Report{Results: res}
	first, failed := rep.FirstFailure()
	if got, want := first.ID+" "+first.Code, sc.ExpectCheck+" "+sc.ExpectCode; failed != (sc.ExpectCode != "") || got != want {
		t.Errorf("first failure %q, want %q\n%s", got, want, dump(res))
	}
	var warned []string
	for _, r := range res {
		if r.Status == model.Warn {
			warned = append(warned, r.ID)
		}
	}
	if !slices.Equal(warned, sc.ExpectWarn) {
		t.Errorf("warnings from %v, want %v", warned, sc.ExpectWarn)
	}
	for _, w := range wantSeen[sc.Name] {
		if !seen(res, w.check, w.arg, w.text) {
			t.Errorf("%s: %s does not contain %q\n%s", w.check, w.arg, w.text, dump(res))
		}
	}
	blocked := "requires " + sc.ExpectCheck + " (failed: " + sc.ExpectCode + ")"
	// wantStatus starts at sts: the mapping check (first) does not apply
	// and the api check passes in every scenario, as the first-failure
	// check above shows.
	for i, want := range strings.Fields(wantStatus[sc.Name]) {
		r := res[i+2]
		switch want {
		case "na":
			if r.Status != model.Skip || !strings.HasPrefix(r.Reason, "not applicable: ") {
				t.Errorf("%s: %s %q, want a not-applicable skip", r.ID, r.Status, r.Reason)
			}
		case "blocked":
			if r.Status != model.Skip || r.Reason != blocked {
				t.Errorf("%s: %s %q, want skip %q", r.ID, r.Status, r.Reason, blocked)
			}
		default:
			if string(r.Status) != want {
				t.Errorf("%s: %s (%s), want %s\n%s", r.ID, r.Status, r.Code, want, dump(res))
			}
		}
	}
}

// assertNoSecrets renders the report as verbose text and as JSON through
// a redactor that knows the scenario's secrets, and fails if any secret,
// or its base64 or URL-encoded form, appears.
func assertNoSecrets(t *testing.T, name string, l *Lab, res []model.Result) {
	t.Helper()
	if len(l.Secrets) < 2 {
		t.Fatalf("only %d secrets registered", len(l.Secrets))
	}
	for format, out := range render(t, name, l, res, redact.New(l.Secrets...)) {
		if format != "annotations" && !strings.Contains(out, name) {
			t.Errorf("%s output does not name the scenario", format)
		}
		for _, leak := range fixtures.SecretLeaks(out, l.Secrets) {
			t.Errorf("%s output leaks a secret (%s)", format, leak)
		}
	}
}

// TestRedactionCanaryHasTeeth plants every secret, in every form the
// canary looks for, in a report: without the redactor the canary finds
// them all, with it none.
func TestRedactionCanaryHasTeeth(t *testing.T) {
	l, res := runScenario(t, "pbes2-key", nil)
	var planted []string
	for _, s := range l.Secrets {
		planted = append(planted, fixtures.SecretForms(s)...)
	}
	res[3].Detail = append(res[3].Detail, planted...)
	for format, out := range render(t, "pbes2-key", l, res, redact.New()) {
		if got := fixtures.SecretLeaks(out, l.Secrets); format != "annotations" && len(got) < len(l.Secrets) {
			t.Errorf("%s without redactor: canary found only %v", format, got)
		}
	}
	for format, out := range render(t, "pbes2-key", l, res, redact.New(l.Secrets...)) {
		for _, leak := range fixtures.SecretLeaks(out, l.Secrets) {
			t.Errorf("%s output leaks a secret (%s)", format, leak)
		}
	}
}

func render(t *testing.T, name string, l *Lab, res []model.Result, red *redact.Redactor) map[string]string {
	t.Helper()
	cfg := l.Config
	var hosts []string
	for _, hp := range cfg.Bootstrap {
		hosts = append(hosts, hp.String())
	}
	rep := &model.Report{ToolName: "esmdoctor", ToolVersion: "test", StartedAt: time.Now(), Results: res,
		Target: model.Target{BootstrapServers: hosts, Topic: cfg.Topic, Auth: string(cfg.Auth), AuthReason: cfg.AuthReason,
			ConsumerGroup: cfg.ConsumerGroup, SecretSource: docSource(cfg.Secret), CASource: docSource(cfg.CA), Lab: name}}
	clean := scrub.New(red).Report(rep)
	out := map[string]string{}
	for _, format := range report.Names() {
		var b bytes.Buffer
		if err := report.Render(&b, format, clean, report.Options{Verbose: true}); err != nil {
			t.Fatal(err)
		}
		out[format] = b.String()
	}
	var ann bytes.Buffer
	if err := report.Annotations(&ann, clean); err != nil {
		t.Fatal(err)
	}
	out["annotations"] = ann.String()
	return out
}

func docSource(d *checks.SecretDoc) string {
	if d == nil {
		return ""
	}
	return d.Source
}

// seen reports whether check's argument arg (its rendered cause for
// "cause", any detail line for "") contains text.
func seen(res []model.Result, check, arg, text string) bool {
	for _, r := range res {
		if r.ID != check {
			continue
		}
		switch arg {
		case "":
			return slices.ContainsFunc(r.Detail, func(d string) bool { return strings.Contains(d, text) })
		case "cause":
			return strings.Contains(r.Cause(), text)
		}
		return strings.Contains(r.Args[arg], text)
	}
	return false
}

func dump(res []model.Result) string {
	var b strings.Builder
	for _, r := range res {
		b.WriteString("  " + r.ID + " " + string(r.Status) + " " + r.Code + " " + r.Reason + " " + r.Cause() + "\n")
		for _, d := range r.Detail {
			b.WriteString("      " + d + "\n")
		}
	}
	return b.String()
}
