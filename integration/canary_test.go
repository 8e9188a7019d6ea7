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
			var out bytes.Buffer
			report.RenderText(&out, rep, red, report.TextOptions{Verbose: true, GitHubActions: true})
			if err := report.RenderJSON(&out, rep, red); err != nil {
				t.Fatal(err)
			}
			if err := report.RenderMarkdown(&out, rep, red); err != nil {
				t.Fatal(err)
			}
			if err := report.RenderJUnit(&out, rep, red); err != nil {
				t.Fatal(err)
			}
			for _, r := range rep.Results {
				out.WriteString(red.String(r.Cause()))
			}
			for _, leak := range fixtures.SecretLeaks(out.String(), secrets) {
				t.Errorf("leaked: %s", leak)
			}
		})
	}
}
