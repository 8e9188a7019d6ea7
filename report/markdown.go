package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/esmdoctor/esmdoctor/model"
)

// renderMarkdown writes a GitHub-flavoured Markdown report that pastes
// cleanly both into a GitHub issue and into a plain-text support case: a
// short summary table of every check (with skip reasons) first, then the
// run's facts, then a section per failure and warning. Commands, JSON
// hints and anything Markdown would interpret go in code spans or fenced
// blocks, so no backslash or HTML-entity escaping is needed in the text.
func renderMarkdown(w io.Writer, r *model.Report) error {
	m := &mdWriter{w: w}
	verdict := strings.ToUpper(r.Verdict())
	n := r.Counts()
	m.line("## esmdoctor report: %s", verdict)
	m.line("")
	m.line("%d passed, %d warning(s), %d failed, %d skipped; %s", n[model.Pass], n[model.Warn], n[model.Fail], n[model.Skip], redactionNote(r))
	m.line("")
	m.line("| check | status | result |")
	m.line("|---|---|---|")
	for _, c := range r.Results {
		word := statusWord(c.Status)
		if c.Interrupted {
			word = "⛔ interrupted"
		}
		m.line("| %s | %s | %s |", code(c.ID), word, cell(summary(c)))
	}
	m.facts(r)
	for _, c := range r.Results {
		if c.Status == model.Fail || c.Status == model.Warn {
			m.section(c)
		}
	}
	return m.err
}

func redactionNote(r *model.Report) string {
	if r.Unredacted {
		return "redaction disabled"
	}
	return fmt.Sprintf("%d secret value(s) redacted", r.Redactions)
}

// summary is a check's result column: the code and title of a failure or
// warning, the reason of a skip, the duration of a pass.
func summary(c model.Result) string {
	switch c.Status {
	case model.Skip:
		return prose(c.Reason)
	case model.Pass:
		return millis(c.Duration)
	}
	e, _ := c.Entry()
	return code(c.Code) + " " + prose(e.Title)
}

// facts is the table of what was checked.
func (m *mdWriter) facts(r *model.Report) {
	t := r.Target
	m.line("")
	m.line("| run | |")
	m.line("|---|---|")
	m.row("tool", prose(r.ToolName+" "+r.ToolVersion))
	if !r.StartedAt.IsZero() {
		m.row("time (UTC)", r.StartedAt.UTC().Format(time.RFC3339))
	}
	m.row("lab scenario", code(t.Lab))
	m.row("event source mapping", code(t.EventSourceMapping))
	m.row("MSK cluster", code(t.EventSourceARN))
	m.row("bootstrap servers", code(strings.Join(t.BootstrapServers, ",")))
	m.row("topic", code(t.Topic))
	m.row("consumer group", code(t.ConsumerGroup))
	m.row("consumption mode", code(t.ConsumptionMode))
	if t.Auth != "" {
		m.row("auth", code(t.Auth)+" "+prose("("+t.AuthReason+")"))
	}
	m.row("identity", code(t.Identity))
	m.row("LastProcessingResult", code(t.LastProcessingResult))
	for _, n := range r.Notes {
		m.row("note", prose(n))
	}
}

type mdWriter struct {
	w   io.Writer
	err error
}

func (m *mdWriter) line(format string, args ...any) {
	if m.err == nil {
		_, m.err = fmt.Fprintln(m.w, guardCommand(fmt.Sprintf(format, args...)))
	}
}

// row prints a fact; nothing when it is empty.
func (m *mdWriter) row(k, v string) {
	if v != "" {
		m.line("| %s | %s |", k, cell(v))
	}
}

func (m *mdWriter) section(c model.Result) {
	e, _ := c.Entry()
	m.line("")
	m.line("### %s %s: %s (%s)", statusWord(c.Status), code(c.ID), prose(e.Title), code(c.Code))
	m.line("")
	if p, ok := c.Problem(); ok {
		note := ""
		if cv := p.Caveat(); cv != "" {
			note = " (" + prose(cv) + ")"
		}
		m.line("- **Lambda shows:** %s%s", code(p.Text), note)
	} else if c.Status == model.Fail {
		m.line("- **Lambda shows:** no documented PROBLEM text")
	}
	if e.ErrorName != "" {
		m.line("- **Named error:** %s", prose(e.ErrorName))
	}
	m.line("- **Cause:** %s", prose(c.Cause()))
	m.line("- **Fix:** %s", prose(c.Remediation()))
	if len(c.Detail) > 0 {
		m.line("- **Observed:**")
		m.line("")
		fence := fenceFor(c.Detail)
		m.line("  %s", fence)
		for _, d := range c.Detail {
			m.line("  %s", d)
		}
		m.line("  %s", fence)
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

// fenceFor returns a code fence longer than any run of backticks in lines.
func fenceFor(lines []string) string {
	fence := "```"
	for strings.Contains(strings.Join(lines, "\n"), fence) {
		fence += "`"
	}
	return fence
}

// cell makes a table cell: GitHub ends a cell at any "|", even in a code
// span, so those alone are escaped.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

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
	return fence + pad + s + pad + fence
}
