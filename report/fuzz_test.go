package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
	"unicode"

	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/redact"
	"github.com/esmdoctor/esmdoctor/scrub"
)

const fuzzSecret = `s3cr3t\n-value`

// hostileReport puts s in every field a broker, a certificate, AWS or the
// user controls.
func hostileReport(s string) *model.Report {
	r := sample()
	r.Target.Topic, r.Target.ConsumerGroup, r.Target.AuthReason, r.Target.Identity = s, s, s, s
	r.Target.BootstrapServers = []string{s, "b:1"}
	r.Notes = []string{s}
	for i := range r.Results {
		c := &r.Results[i]
		c.Detail = append(c.Detail, s)
		for k := range c.Args {
			c.Args[k] = s
		}
		if c.Status == model.Skip {
			c.Reason = s
		}
	}
	r.Results[0].Reason = "not applicable: " + s
	return r
}

// renderAll renders a scrubbed report in every format and the annotations.
func renderAll(t testing.TB, r *model.Report) map[string]string {
	out := map[string]string{}
	for _, name := range Names() {
		var b bytes.Buffer
		if err := Render(&b, name, r, Options{Verbose: true}); err != nil {
			t.Fatal(err)
		}
		out[name] = b.String()
	}
	var b bytes.Buffer
	if err := Annotations(&b, r); err != nil {
		t.Fatal(err)
	}
	out["annotations"] = b.String()
	return out
}

// FuzzScrubbedOutput feeds arbitrary text into every hostile field and
// renders every format: no control byte but the renderers' own newlines,
// no forged line (never more check lines, Markdown lines or annotation
// lines than with benign input), valid JSON and XML, and never the secret.
func FuzzScrubbedOutput(f *testing.F) {
	for _, s := range []string{"plain", "\x1b]0;x\x07\x1b[2J", "g\n✗ tcp FAKE", "a\x00b\r\n\t", "\u202e\u2028\u0085", "\xff\xfe",
		"::error::x", "##[error]x", "s3cr3t\n-value", `s3cr3t\n-value`, "x | y `z` <b>*_", strings.Repeat("w ", 60)} {
		f.Add(s)
	}
	benign := renderAll(f, scrub.New(redact.New(fuzzSecret)).Report(hostileReport("x")))
	f.Fuzz(func(t *testing.T, s string) {
		got := renderAll(t, scrub.New(redact.New(fuzzSecret)).Report(hostileReport(s)))
		for name, out := range got {
			if strings.Contains(out, fuzzSecret) {
				t.Fatalf("%s: the secret leaked", name)
			}
			for _, r := range out {
				if r != '\n' && (r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Cf, r) && !benignCf(r)) {
					t.Fatalf("%s: control character %U in output", name, r)
				}
			}
		}
		// Empty input drops optional rows; only more lines would be forged.
		if a, b := checkLines(got["text"]), checkLines(benign["text"]); a > b {
			t.Fatalf("text: %d check lines, %d with benign input:\n%s", a, b, got["text"])
		}
		for _, name := range []string{"markdown", "annotations"} {
			if a, b := strings.Count(got[name], "\n"), strings.Count(benign[name], "\n"); a > b {
				t.Fatalf("%s: %d lines, %d with benign input:\n%s", name, a, b, got[name])
			}
		}
		for name, out := range got {
			for _, l := range strings.Split(out, "\n") {
				if name != "annotations" && strings.HasPrefix(strings.TrimLeft(l, " "), "::") || strings.Contains(l, "##[") {
					t.Fatalf("%s: a line the Actions runner would run: %q", name, l)
				}
			}
		}
		if !json.Valid([]byte(got["json"])) {
			t.Fatal("invalid JSON")
		}
		if err := xml.Unmarshal([]byte(got["junit"]), new(junitSuites)); err != nil {
			t.Fatalf("invalid XML: %v", err)
		}
	})
}

// benignCf are format characters the renderers print themselves (the
// variation selector of the ⚠️ and ⏭️ emoji).
func benignCf(r rune) bool { return r == '\ufe0f' }

// checkLines counts the lines that start at column 0 with a status glyph.
func checkLines(text string) int {
	n := 0
	for _, l := range strings.Split(text, "\n") {
		for _, g := range []string{"✓ ", "✗ ", "! ", "- "} {
			if strings.HasPrefix(l, g) {
				n++
			}
		}
	}
	return n
}
