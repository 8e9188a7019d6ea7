package integration

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/checks"
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
			rep := &report.Report{ToolName: "esmdoctor", ToolVersion: "test", Target: report.Target{Topic: cfg.Topic, Auth: string(cfg.Auth)}}
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
			for _, s := range secrets {
				if form, ok := leaked(out.String(), s); ok {
					t.Errorf("secret leaked as %s", form)
				}
			}
		})
	}
}

// leaked reports whether out contains secret in a form a reader could use.
func leaked(out, secret string) (string, bool) {
	forms := map[string]string{
		"raw": secret, "base64": base64.StdEncoding.EncodeToString([]byte(secret)),
		"base64url": base64.RawURLEncoding.EncodeToString([]byte(secret)), "url-encoded": url.QueryEscape(secret),
		"json-escaped": strings.ReplaceAll(secret, "\n", `\n`),
	}
	for name, f := range forms {
		if len(f) >= 4 && strings.Contains(out, f) {
			return name, true
		}
	}
	for _, line := range strings.Split(secret, "\n") {
		if len(line) >= 16 && !strings.HasPrefix(line, "-----") && strings.Contains(out, line) {
			return "a PEM line", true
		}
	}
	return "", false
}
