package report

import (
	"fmt"
	"github.com/esmdoctor/esmdoctor/model"
	"io"
	"strings"
	"time"

	"github.com/esmdoctor/esmdoctor/redact"
)

// RenderMarkdown writes a GitHub-flavoured Markdown report, ready to paste
// into an issue or a support case: the run's facts, a table of every check,
// then a section per failure and warning. Every string is redacted.
func RenderMarkdown(w io.Writer, r *model.Report, red *redact.Redactor) error {
	m := &mdWriter{w: w, red: red}
	verdict := strings.ToUpper(r.Verdict())
	m.line("## esmdoctor report: %s", verdict)
	m.line("")
	m.line("| | |")
	m.line("|---|---|")
	m.row("tool", r.ToolName+" "+r.ToolVersion)
	if !r.StartedAt.IsZero() {
		m.row("time (UTC)", r.StartedAt.UTC().Format(time.RFC3339))
	}
	t := r.Target
	if t.Lab != "" {
		m.row("lab scenario", t.Lab)
	}
	if t.EventSourceMapping != "" {
		m.row("event source mapping", code(t.EventSourceMapping))
	}
	if t.EventSourceARN != "" {
		m.row("MSK cluster", code(t.EventSourceARN))
	}
	m.row("bootstrap servers", code(strings.Join(t.BootstrapServers, ",")))
	m.row("topic", code(t.Topic))
	m.row("consumer group", code(t.ConsumerGroup))
	m.row("auth", t.Auth+" ("+t.AuthReason+")")
	if t.Identity != "" {
		m.row("identity", code(t.Identity))
	}
	if t.LastProcessingResult != "" {
		m.row("LastProcessingResult", code(t.LastProcessingResult))
	}
	for _, n := range r.Notes {
		m.row("note", n)
	}
	m.line("")
	m.line("| check | status | code | duration |")
	m.line("|---|---|---|---|")
	for _, c := range r.Results {
		dur := ""
		if c.Status != model.Skip {
			dur = millis(c.Duration)
		}
		word := statusWord(c.Status)
		if c.Interrupted {
			word = "⛔ interrupted"
		}
		m.line("| %s | %s | %s | %s |", code(c.ID), word, cell(c.Code), dur)
	}
	for _, c := range r.Results {
		if c.Status == model.Fail || c.Status == model.Warn {
			m.section(c)
		}
	}
	m.line("")
	m.line("_%s: %d passed, %d warning(s), %d failed, %d skipped. %d secret value(s) redacted._",
		verdict, r.Counts()[model.Pass], r.Counts()[model.Warn], r.Counts()[model.Fail], r.Counts()[model.Skip], red.Count())
	return m.err
}

type mdWriter struct {
	w   io.Writer
	red *redact.Redactor
	err error
}

func (m *mdWriter) line(format string, args ...any) {
	if m.err == nil {
		_, m.err = fmt.Fprintln(m.w, m.red.String(fmt.Sprintf(format, args...)))
	}
}

func (m *mdWriter) row(k, v string) { m.line("| %s | %s |", k, cell(v)) }

func (m *mdWriter) section(c model.Result) {
	e, _ := c.Entry()
	m.line("")
	m.line("### %s `%s`: %s (%s)", statusWord(c.Status), c.ID, escape(e.Title), c.Code)
	m.line("")
	if p, ok := c.Problem(); ok {
		note := ""
		if p.Unconfirmed {
			note = " (wording unconfirmed)"
		}
		m.line("- **Lambda shows:** %s%s", code(p.Text), note)
	} else if c.Status == model.Fail {
		m.line("- **Lambda shows:** no documented PROBLEM text")
	}
	if e.ErrorName != "" {
		m.line("- **Named error:** %s", escape(e.ErrorName))
	}
	m.line("- **Cause:** %s", escape(c.Cause()))
	m.line("- **Fix:** %s", escape(c.Remediation()))
	if len(c.Detail) > 0 {
		m.line("")
		m.line("<details><summary>What esmdoctor observed</summary>")
		m.line("")
		m.line("```")
		for _, d := range c.Detail {
			m.line("%s", strings.ReplaceAll(d, "```", "'''"))
		}
		m.line("```")
		m.line("")
		m.line("</details>")
	}
}

func statusWord(s model.Status) string {
	switch s {
	case model.Pass:
		return "✅ pass"
	case model.Warn:
		return "⚠️ warn"
	case model.Fail:
		return "❌ fail"
	}
	return "⏭️ skip"
}

// escape neutralises Markdown that would change the rendering (tables,
// emphasis, HTML) in free text.
func escape(s string) string {
	r := strings.NewReplacer("\\", "\\\\", "|", "\\|", "*", "\\*", "_", "\\_", "<", "&lt;", ">", "&gt;", "`", "\\`", "\n", " ")
	return r.Replace(s)
}

// cell escapes a table cell.
func cell(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", "\\|"), "\n", " ") }

// code renders s as inline code, choosing a fence longer than any run of
// backticks inside it.
func code(s string) string {
	if s == "" {
		return ""
	}
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		pad = " "
	}
	return fence + pad + strings.ReplaceAll(s, "|", "\\|") + pad + fence
}
