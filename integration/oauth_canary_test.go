package integration

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/fixtures"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/redact"
	"github.com/esmdoctor/esmdoctor/scrub"
)

// jwtPattern finds anything shaped like a JWT (a JSON header and claims,
// base64url): no report may carry one.
var jwtPattern = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.`)

// TestNoOAuthSecretInAnyFormat runs every OAuth scenario, redacting as the
// CLI does (the secret's values up front, the token and the JWT-bearer
// assertion as the run learns them), renders every format with and
// without --verbose and as annotations, and looks for the client secret,
// each line of the private key, the token and its segments, and anything
// shaped like a JWT.
func TestNoOAuthSecretInAnyFormat(t *testing.T) {
	b := requireBed(t)
	b.need(oauthKeys...)
	for _, sc := range oauthScenarios(b) {
		t.Run(sc.name, func(t *testing.T) {
			b := bed{Env: b.Env, t: t}
			cfg := sc.cfg(b)
			cfg.Timeout, cfg.Verbose = matrixTimeout, true
			secrets := checks.SecretValues(cfg)
			red := redact.New(secrets...)
			var learned []string
			cfg.Redact = func(v ...string) {
				red.Add(v...)
				learned = append(learned, v...)
			}
			rep := &model.Report{ToolName: "esmdoctor", ToolVersion: "test", Target: model.Target{Topic: cfg.Topic, Auth: string(cfg.Auth)}}
			rep.Results = checks.Run(context.Background(), cfg, nil)
			clean := scrub.New(red).Report(rep)
			out := renderEverything(t, clean)
			needles := append(append(oauthSecretValues(t, cfg), secrets...), learned...)
			for _, v := range learned {
				needles = append(needles, strings.Split(v, ".")...) // a token's claims and signature alone
			}
			for _, leak := range fixtures.SecretLeaks(out.String(), longOnly(needles)) {
				t.Errorf("leaked: %s", leak)
			}
			if m := jwtPattern.FindString(out.String()); m != "" {
				t.Errorf("a JWT reached the report: %.20s...", m)
			}
		})
	}
}

// oauthSecretValues are the OAuth secret's sensitive values, read from
// the document itself (independent of checks.SecretValues).
func oauthSecretValues(t *testing.T, cfg checks.Config) []string {
	var doc map[string]string
	if err := json.Unmarshal(cfg.Secret.Data, &doc); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, k := range []string{"oauthClientSecret", "oauthPrivateKey"} {
		if v := doc[k]; v != "" {
			out = append(out, v)
		}
	}
	return out
}

// longOnly drops values too short to be told from ordinary words (a JWT
// header segment, a 3-letter secret the redactor ignores too).
func longOnly(vs []string) []string {
	var out []string
	for _, v := range vs {
		if len(v) >= 12 {
			out = append(out, v)
		}
	}
	return out
}

// TestOAuthCLI runs the esmdoctor binary as a user would, with the OAuth
// secret in a file and the OAUTHBEARER_* settings as
// create-event-source-mapping flags, in every format (stdout and
// --output-file): a healthy JWT-bearer mapping passes with the token
// check in the report, a wrong client secret fails at token, and no
// output holds the client secret, the private key or a token.
func TestOAuthCLI(t *testing.T) {
	b := requireBed(t)
	b.need(oauthKeys...)
	dir := t.TempDir()
	write := func(name string, v any) string {
		data, _ := json.Marshal(v)
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	jwt := b.jwtBearer(string(b.file("OAUTH_JWT_CLIENT_KEY_PEM")))
	wrong := b.clientCredentials("OAUTH_CLIENT_ID", "wrong-client-secret-value")
	settings := "Type=OAUTHBEARER_SCOPE,URI=" + b.Get("OAUTH_SCOPE") + " Type=OAUTHBEARER_AUDIENCE,URI=" + b.Get("OAUTH_AUDIENCE") +
		" Type=OAUTHBEARER_LOGICAL_CLUSTER,URI=" + b.Get("OAUTH_LOGICAL_CLUSTER") + " Type=OAUTHBEARER_IDENTITY_POOL,URI=" + b.Get("OAUTH_IDENTITY_POOL")
	for _, tc := range []struct {
		name, secretFile string
		secrets          []string
		code             int
		verdict, check   string
		status, errCode  string
	}{
		{"jwt-bearer", write("jwt.json", jwt), []string{jwt["oauthPrivateKey"]}, 0, "pass", "sasl", "pass", ""},
		{"wrong-secret", write("wrong.json", wrong), []string{wrong["oauthClientSecret"]}, 1, "fail", "token", "fail", "ESM-TOKEN-004"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, format := range []string{"text", "json", "markdown", "junit"} {
				outFile := filepath.Join(dir, tc.name+"."+format)
				args := []string{"check", "-b", b.Get("KAFKA4_OAUTH_EXT"), "-t", b.Get("TOPIC"), "--consumer-group-id", b.Get("ESM_UUID"),
					"--secret-file", tc.secretFile, "--ca-file", b.Get("CA_PEM"), "--source-access-configuration", settings,
					"--timeout", "15s", "-o", format, "--verbose", "--no-color", "--output-file", outFile}
				code, stdout, stderr := cliRun(t, []string{"GITHUB_ACTIONS=true"}, args...)
				if code != tc.code {
					t.Fatalf("%s: exit %d, want %d\n%s\n%s", format, code, tc.code, stdout, stderr)
				}
				file, err := os.ReadFile(outFile)
				if err != nil {
					t.Fatal(err)
				}
				all := stdout + stderr + string(file)
				for _, leak := range fixtures.SecretLeaks(all, tc.secrets) {
					t.Errorf("%s: leaked %s", format, leak)
				}
				if m := jwtPattern.FindString(all); m != "" {
					t.Errorf("%s: a JWT reached the output: %.20s...", format, m)
				}
				if format == "json" {
					assertCLIJSON(t, file, tc.verdict, tc.check, tc.status, tc.errCode)
				}
			}
		})
	}
}

func assertCLIJSON(t *testing.T, data []byte, verdict, check, status, code string) {
	t.Helper()
	var r struct {
		Verdict string
		Target  struct{ Auth string }
		Checks  []struct{ ID, Status, Code, Problem string }
	}
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	if r.Verdict != verdict || r.Target.Auth != "oauth" {
		t.Fatalf("verdict %s auth %s, want %s oauth", r.Verdict, r.Target.Auth, verdict)
	}
	for _, c := range r.Checks {
		if c.ID == check && (c.Status != status || c.Code != code) {
			t.Errorf("%s: %s %s, want %s %s", check, c.Status, c.Code, status, code)
		}
		if c.ID == "token" && c.Status == "skip" {
			t.Errorf("the token check did not run")
		}
	}
}
