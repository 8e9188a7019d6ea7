package report

import (
	"fmt"
	"github.com/esmdoctor/esmdoctor/model"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/esmdoctor/esmdoctor/redact"
	"github.com/fatih/color"
)

// TextOptions configure the text renderer.
type TextOptions struct {
	Color   bool // ANSI colour; off for NO_COLOR, --no-color and non-terminals
	Verbose bool // show observations for passing checks too
	// HideDurations prints no timings (golden files).
	HideDurations bool
	// Live shows the running check and its elapsed time on the current
	// line; only for a terminal.
	Live bool
	// GitHubActions adds ::error / ::warning workflow commands so failures
	// show as annotations in a GitHub Actions run.
	GitHubActions bool
}

// Text streams a report as lines: one per check as it completes, details
// under failures and warnings, then a summary. Each renderer owns its
// colours, so two renderers never race on a global switch.
type Text struct {
	w      io.Writer
	opt    TextOptions
	red    *redact.Redactor
	pass   *color.Color
	warn   *color.Color
	fail   *color.Color
	faint  *color.Color
	strong *color.Color

	header model.Target // what Header printed, so Resolved adds only news

	mu   sync.Mutex // serialises the live line with check lines
	stop chan struct{}
	done chan struct{}
}

// NewText returns a text renderer writing to w; red scrubs every line.
func NewText(w io.Writer, red *redact.Redactor, opt TextOptions) *Text {
	t := &Text{w: w, opt: opt, red: red,
		pass: color.New(color.FgGreen), warn: color.New(color.FgYellow), fail: color.New(color.FgRed, color.Bold),
		faint: color.New(color.Faint), strong: color.New(color.Bold)}
	for _, c := range []*color.Color{t.pass, t.warn, t.fail, t.faint, t.strong} {
		if opt.Color {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
	}
	return t
}

// Header prints what is being checked. What only the run can learn (the
// brokers and auth mode of an MSK cluster) shows as "from the cluster".
func (t *Text) Header(r *model.Report) {
	tg := r.Target
	t.line("%s %s", t.strong.Sprint(r.ToolName), r.ToolVersion)
	if tg.Lab != "" {
		t.line("lab scenario: %s", tg.Lab)
	}
	if tg.EventSourceMapping != "" {
		t.line("mapping: %s", tg.EventSourceMapping)
	}
	if tg.LastProcessingResult != "" {
		t.line("Lambda says: %s", tg.LastProcessingResult)
	}
	if tg.EventSourceARN != "" {
		t.line("cluster: %s", tg.EventSourceARN)
	}
	t.line("target:  %s", orPending(strings.Join(tg.BootstrapServers, ","), "from the cluster (see the cluster check)"))
	t.line("topic:   %s   consumer group: %s", tg.Topic, tg.ConsumerGroup)
	t.line("auth:    %s", orPending(authLine(tg), "chosen by the cluster check"))
	for _, n := range r.Notes {
		t.line("note:    %s", n)
	}
	t.line("")
	t.header = tg
}

// Resolved prints, after the checks, what the run learned that the header
// could not show: an MSK cluster's brokers and auth mode, the identity.
func (t *Text) Resolved(r *model.Report) {
	tg := r.Target
	if b := strings.Join(tg.BootstrapServers, ","); b != "" && b != strings.Join(t.header.BootstrapServers, ",") {
		t.line("")
		t.line("resolved: brokers %s, auth %s", b, authLine(tg))
	}
	if tg.Identity != "" && tg.Identity != t.header.Identity {
		t.line("identity: %s", tg.Identity)
	}
}

func authLine(tg model.Target) string {
	if tg.Auth == "" {
		return ""
	}
	return tg.Auth + " (" + tg.AuthReason + ")"
}

func orPending(s, pending string) string {
	if s == "" {
		return pending
	}
	return s
}

// Finished prints one check.
func (t *Text) Finished(c model.Result) {
	t.stopLive()
	glyph, paint := t.glyph(c.Status)
	dur := ""
	if !t.opt.HideDurations && c.Status != model.Skip {
		dur = t.faint.Sprint(" " + millis(c.Duration))
	}
	if c.Interrupted {
		t.line("%s %-16s %s", t.fail.Sprint("✗"), c.ID, t.fail.Sprint("interrupted while running"))
		t.annotateInterrupted(c.ID)
		return
	}
	if c.Status == model.Skip {
		t.line("%s %-16s %s", paint.Sprint(glyph), c.ID, t.faint.Sprint("skipped: "+c.Reason))
		return
	}
	t.line("%s %-16s %-62s%s", paint.Sprint(glyph), c.ID, c.Title, dur)
	if c.Status == model.Fail || c.Status == model.Warn {
		t.details(c)
		t.annotate(c)
		return
	}
	if t.opt.Verbose {
		for _, d := range c.Detail {
			t.line("      %s", t.faint.Sprint(d))
		}
	}
}

func (t *Text) details(c model.Result) {
	e, _ := c.Entry()
	if p, ok := c.Problem(); ok {
		t.line("      Lambda   %s", paintProblem(t, c, p.Text))
		if p.Unconfirmed {
			t.line("               %s", t.faint.Sprint("(wording unconfirmed: Lambda's text may differ slightly)"))
		}
	} else if c.Status == model.Fail {
		t.line("      Lambda   %s", t.faint.Sprint("(no documented PROBLEM text for this)"))
	}
	if e.ErrorName != "" {
		t.line("      error    %s", e.ErrorName)
	}
	t.line("      code     %s %s", c.Code, e.Title)
	t.line("      cause    %s", c.Cause())
	t.line("      fix      %s", c.Remediation())
	for _, d := range c.Detail {
		t.line("      seen     %s", d)
	}
}

func paintProblem(t *Text, c model.Result, s string) string {
	if c.Status == model.Fail {
		return t.fail.Sprint(s)
	}
	return t.warn.Sprint(s)
}

func (t *Text) glyph(s model.Status) (string, *color.Color) {
	switch s {
	case model.Pass:
		return "✓", t.pass
	case model.Warn:
		return "!", t.warn
	case model.Fail:
		return "✗", t.fail
	}
	return "-", t.faint
}

// Summary prints the closing lines.
func (t *Text) Summary(r *model.Report, elapsed time.Duration) {
	n := r.Counts()
	verdict := t.pass.Sprint("PASS")
	if r.Verdict() == "fail" {
		verdict = t.fail.Sprint("FAIL")
	}
	if r.Interrupted {
		verdict = t.fail.Sprint("INTERRUPTED")
	}
	took := ""
	if !t.opt.HideDurations {
		took = " in " + millis(elapsed)
	}
	t.line("")
	t.line("%s  %d passed, %s, %d failed, %d skipped%s", verdict, n[model.Pass], plural(n[model.Warn], "warning"), n[model.Fail], n[model.Skip], took)
	if f, ok := r.FirstFailure(); ok {
		t.line("first failure: %s (%s)", f.ID, f.Code)
	}
	if r.Interrupted {
		t.line("interrupted: the checks after the interruption did not run")
	}
	if t.red == nil {
		t.line("redaction disabled (--no-redact): this report may contain secrets; do not share it")
		return
	}
	t.line("redacted: %d secret value(s) removed from this report", t.red.Count())
}

func (t *Text) line(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintln(t.w, t.red.String(fmt.Sprintf(format, args...)))
}

// RenderText renders a finished report in one go (golden tests, files).
func RenderText(w io.Writer, r *model.Report, red *redact.Redactor, opt TextOptions) {
	t := NewText(w, red, opt)
	t.Header(r)
	var total time.Duration
	for _, c := range r.Results {
		t.Finished(c)
		total += c.Duration
	}
	t.Summary(r, total)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// millis renders a duration in whole milliseconds ("0ms", "1250ms").
func millis(d time.Duration) string { return fmt.Sprintf("%dms", d.Milliseconds()) }
