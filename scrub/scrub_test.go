package scrub

import (
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/redact"
)

func TestTextMakesControlsVisible(t *testing.T) {
	for in, want := range map[string]string{
		"plain [::1]:9092 arn:aws:iam::1:role/x": "plain [::1]:9092 arn:aws:iam::1:role/x",
		"CN=\x1b]0;owned\x07\x1b[2J":             `CN=\x1b]0;owned\x07\x1b[2J`,
		"g\n✗ tcp FAKE":                          `g\n✗ tcp FAKE`,
		"user\x00name\r\t":                       `user\x00name\r\t`,
		"bidi \u202egnp.exe":                     `bidi \u202egnp.exe`,
		"c1 \u009b31m":                           `c1 \u009b31m`,
		"bad \xff utf8":                          `bad \xff utf8`,
		"legacy ##[error]forged":                 `legacy ##\x5berror]forged`,
		`a\b`:                                    `a\b`,
	} {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReportScrubsEveryField(t *testing.T) {
	const pw = "hunter2-canary"
	r := &model.Report{ToolName: "esmdoctor", Notes: []string{"note " + pw},
		Target: model.Target{Topic: "t." + pw + ".v2", ConsumerGroup: "g\n✗ tcp FAKE", BootstrapServers: []string{pw + ".invalid:9092"},
			Identity: "arn " + pw, AuthReason: "\x1b[2J"},
		Results: []model.Result{{ID: "tls", Status: model.Fail, Code: "ESM-TLS-002", Reason: pw,
			Args:   map[string]string{"addr": "b:9094", "subject": "CN=\x1b]0;x\x07", "sans": pw, "host": "b"},
			Detail: []string{"seen " + pw + "\n::error::forged"}}}}
	red := redact.New(pw)
	got := New(red).Report(r)
	all := strings.Join(append(append([]string{got.Target.Topic, got.Target.ConsumerGroup, got.Target.Identity, got.Target.AuthReason,
		got.Results[0].Cause(), got.Results[0].Reason}, got.Notes...), append(got.Target.BootstrapServers, got.Results[0].Detail...)...), "|")
	if strings.Contains(all, pw) || strings.ContainsAny(all, "\x1b\x07\n") {
		t.Fatalf("not scrubbed: %q", all)
	}
	if got.Target.Topic != "t.**redacted**.v2" || got.Target.ConsumerGroup != `g\n✗ tcp FAKE` {
		t.Fatalf("target %+v", got.Target)
	}
	if got.Redactions != 7 || got.Unredacted {
		t.Fatalf("redactions %d, unredacted %v", got.Redactions, got.Unredacted)
	}
	if r.Target.Topic != "t."+pw+".v2" || r.Results[0].Args["sans"] != pw {
		t.Fatal("the pass changed its input")
	}
	if off := New(nil).Report(r); !off.Unredacted || off.Target.Topic != r.Target.Topic || off.Target.AuthReason != `\x1b[2J` {
		t.Fatalf("without redaction: %+v", off.Target)
	}
}
