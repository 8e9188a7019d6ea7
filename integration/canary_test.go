package integration

import (
	"bytes"
	"context"
	"testing"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/fixtures"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/redact"
	"github.com/esmdoctor/esmdoctor/report"
	"github.com/esmdoctor/esmdoctor/scrub"
)

// TestNoSecretInAnyFormat runs every fault-matrix scenario against the real
// broker and renders it in every format with --verbose; no secret the run
// used (passwords, keys, key passwords), in raw, base64 or URL-encoded
// form, nor any line of a PEM key, may appear.
func TestNoSecretInAnyFormat(t *testing.T) {
	b := requireBed(t)
	for _, sc := range matrix {
		t.Run(sc.name, func(t *testing.T) {
			b := bed{Env: b.Env, t: t}
			cfg := sc.cfg(b)
			cfg.Timeout, cfg.Verbose = matrixTimeout, true
			secrets := checks.SecretValues(cfg)
			rep := &model.Report{ToolName: "esmdoctor", ToolVersion: "test", Target: model.Target{Topic: cfg.Topic, Auth: string(cfg.Auth)}}
			rep.Results = checks.Run(context.Background(), cfg, nil)
			red := redact.New(secrets...)
			clean := scrub.New(red).Report(rep)
			var out bytes.Buffer
			for _, format := range report.Names() {
				if err := report.Render(&out, format, clean, report.Options{Verbose: true}); err != nil {
					t.Fatal(err)
				}
			}
			if err := report.Annotations(&out, clean); err != nil {
				t.Fatal(err)
			}
			for _, r := range clean.Results {
				out.WriteString(r.Cause())
			}
			for _, leak := range fixtures.SecretLeaks(out.String(), secrets) {
				t.Errorf("leaked: %s", leak)
			}
		})
	}
}
