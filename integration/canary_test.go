package integration

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/fixtures"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/redact"
	"github.com/esmdoctor/esmdoctor/report"
	"github.com/esmdoctor/esmdoctor/scrub"
)

// TestNoSecretInAnyFormat runs every fault-matrix scenario against the real
// broker, puts it through the scrub pass and renders it in every format,
// with and without --verbose, and as annotations; no secret the run used
// (passwords, keys, key passwords), in raw, base64 or URL-encoded form, nor
// any line of a PEM key, may appear, nor any raw control character.
func TestNoSecretInAnyFormat(t *testing.T) {
	b := requireBed(t)
	for _, sc := range matrix {
		t.Run(sc.name, func(t *testing.T) {
			b := bed{Env: b.Env, t: t}
			cfg := sc.cfg(b)
			cfg.Timeout, cfg.Verbose = matrixTimeout, true
			secrets := checks.SecretValues(cfg)
			var hosts []string
			for _, hp := range cfg.Bootstrap {
				hosts = append(hosts, hp.String())
			}
			rep := &model.Report{ToolName: "esmdoctor", ToolVersion: "test", Target: model.Target{Topic: cfg.Topic, Auth: string(cfg.Auth),
				BootstrapServers: hosts, ConsumerGroup: cfg.ConsumerGroup}}
			rep.Results = checks.Run(context.Background(), cfg, nil)
			red := redact.New(secrets...)
			clean := scrub.New(red).Report(rep)
			out := renderEverything(t, clean)
			for _, r := range clean.Results {
				out.WriteString(r.Cause())
			}
			for _, leak := range fixtures.SecretLeaks(out.String(), secrets) {
				t.Errorf("leaked: %s", leak)
			}
			if i := strings.IndexAny(out.String(), "\x00\x07\x1b\r"); i >= 0 {
				t.Errorf("raw control character at %d: %q", i, out.String()[max(0, i-40):i+1])
			}
		})
	}
}

// renderEverything renders clean in every format, terse and verbose, and
// its annotations: all that a run can print, for the canary searches.
func renderEverything(t *testing.T, clean *model.Report) *bytes.Buffer {
	t.Helper()
	var out bytes.Buffer
	for _, format := range report.Names() {
		for _, verbose := range []bool{false, true} {
			if err := report.Render(&out, format, clean, report.Options{Verbose: verbose}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := report.Annotations(&out, clean); err != nil {
		t.Fatal(err)
	}
	return &out
}
