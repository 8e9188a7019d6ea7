package report

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/esmdoctor/esmdoctor/model"
	"github.com/fatih/color"
)

// Column layout of a check line: glyph, space, the id padded to 15 (the
// longest id, lambda-endpoint), space; durations take the last 8 columns.
const (
	idCol     = 18 // where a check's title starts
	durCol    = 8  // " 12345ms", right-aligned
	detailCol = 15 // where a cause, fix or observation starts
)

// Text streams a report as lines: one per check as it completes, details
// under failures and warnings, then a summary. Lines fit opt.Width, with
// hanging indents. Each renderer owns its colours, so two renderers never
// race on a global switch.
type Text struct {
	w      io.Writer
	opt    Options
	pass   *color.Color
	warn   *color.Color
	fail   *color.Color
	faint  *color.Color
	strong *color.Color

	header model.Target   // what Header printed, so Resolved adds only news
	na     []model.Result // not-applicable checks, printed as one line
	notes  int            // how many notes Header printed

	mu   sync.Mutex // serialises the live line with check lines
	stop chan struct{}
	done chan struct{}
}

// NewText returns a text renderer writing to w. It prints results as it
// receives them: they must have been through the scrub pass.
func NewText(w io.Writer, opt Options) *Text {
	if opt.Width <= 0 {
		opt.Width = DefaultWidth
	}
	t := &Text{w: w, opt: opt,
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

// Finished prints one check. Checks that do not apply are kept back and
// printed together as one line after the others.
func (t *Text) Finished(c model.Result) {
	t.stopLive()
	if c.Interrupted {
		t.hanging(t.fail.Sprint("✗")+" "+pad(c.ID, idCol-3)+" ", idCol, "interrupted while running", t.fail)
		return
	}
	if c.Status == model.Skip && strings.HasPrefix(c.Reason, notApplicable) {
		t.na = append(t.na, c)
		return
	}
	glyph, paint := t.glyph(c.Status)
	head := paint.Sprint(glyph) + " " + pad(c.ID, idCol-3) + " "
	if c.Status == model.Skip {
		t.hanging(head, idCol, "skipped: "+c.Reason, t.faint)
		return
	}
	t.checkLine(head, c)
	if c.Status == model.Fail || c.Status == model.Warn {
		t.details(c)
		return
	}
	if t.opt.Verbose {
		for _, d := range c.Detail {
			t.hanging("      seen     ", detailCol, d, t.faint)
		}
	}
}

// notApplicable starts the reason of a check that does not apply here.
const notApplicable = "not applicable: "

// checkLine prints the title in its column and the duration right-aligned
// at the end of the first line.
func (t *Text) checkLine(head string, c model.Result) {
	room := t.opt.Width - idCol - durCol
	lines := wrap(c.Title, idCol, idCol, idCol+room)
	dur := ""
	if !t.opt.HideDurations {
		dur = t.faint.Sprint(fmt.Sprintf("%*s", durCol, millis(c.Duration)))
	}
	if len(lines) == 1 && dur == "" {
		t.line(head + lines[0])
	} else {
		t.line(head + pad(lines[0], room) + dur)
	}
	for _, l := range lines[1:] {
		t.line(strings.Repeat(" ", idCol) + l)
	}
}

// flushNotApplicable prints the checks that do not apply as one line:
// their ids and their reason when they share one, else a neutral line
// (with --verbose, each check's own reason under it).
func (t *Text) flushNotApplicable() {
	if len(t.na) == 0 {
		return
	}
	ids := make([]string, len(t.na))
	same := true
	for i, c := range t.na {
		ids[i] = c.ID
		same = same && c.Reason == t.na[0].Reason
	}
	// One reason is shown only beside the checks it explains; checks with
	// different reasons share a neutral line, each reason under --verbose.
	reason := t.na[0].Reason
	if !same {
		reason = notApplicable + "nothing in this run's input calls for them"
		if !t.opt.Verbose {
			reason += " (--verbose says why for each)"
		}
	}
	t.hanging(t.faint.Sprint("-")+" "+t.faint.Sprint(strings.Join(ids, ", "))+"  ", 2, reason, t.faint)
	if t.opt.Verbose && !same {
		for _, c := range t.na {
			t.hanging("      "+c.ID+": ", 8, strings.TrimPrefix(c.Reason, notApplicable), t.faint)
		}
	}
	t.na = nil
}

func (t *Text) details(c model.Result) {
	e, _ := c.Entry()
	paint := t.warn
	if c.Status == model.Fail {
		paint = t.fail
	}
	if p, ok := c.Problem(); ok {
		t.hanging("      Lambda   ", detailCol, p.Text, paint)
		if cv := p.Caveat(); cv != "" {
			t.hanging(strings.Repeat(" ", detailCol), detailCol, "("+cv+")", t.faint)
		}
	} else if c.Status == model.Fail {
		t.hanging("      Lambda   ", detailCol, "(no documented PROBLEM text for this)", t.faint)
	}
	if e.ErrorName != "" {
		t.hanging("      error    ", detailCol, e.ErrorName, nil)
	}
	t.hanging("      code     ", detailCol, c.Code+" "+e.Title, nil)
	t.hanging("      cause    ", detailCol, c.Cause(), nil)
	t.hanging("      fix      ", detailCol, c.Remediation(), nil)
	for _, d := range c.Detail {
		t.hanging("      seen     ", detailCol, d, nil)
	}
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
	t.flushNotApplicable()
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
	t.hanging(verdict+"  ", 6, fmt.Sprintf("%d passed, %s, %d failed, %d skipped%s", n[model.Pass], plural(n[model.Warn], "warning"), n[model.Fail], n[model.Skip], took), nil)
	if f, ok := r.FirstFailure(); ok {
		t.field("first failure: ", f.ID+" ("+f.Code+")")
	}
	if r.Interrupted {
		t.field("", "interrupted: the checks after the interruption did not run")
	}
	if r.DeadlineReached {
		t.field("", "incomplete: the run's deadline (--timeout) ended it before every check completed; rerun with a longer --timeout")
	}
	if r.Unredacted {
		t.field("", "redaction disabled (--no-redact): this report may contain secrets; do not share it")
		return
	}
	t.field("", fmt.Sprintf("redacted: %d secret value(s) removed from this report", r.Redactions))
}

// field prints a labelled value, wrapped under the value; nothing when the
// value is empty.
func (t *Text) field(label, value string) {
	if value != "" {
		t.hanging(label, cols(label), value, nil)
	}
}

// hanging prints text after a prefix, wrapped to the width with the
// continuation lines indented by indent columns; paint colours the text.
func (t *Text) hanging(prefix string, indent int, text string, paint *color.Color) {
	for i, l := range wrap(text, visible(prefix), indent, t.opt.Width) {
		if paint != nil {
			l = paint.Sprint(l)
		}
		if i == 0 {
			t.line(prefix + l)
		} else {
			t.line(strings.Repeat(" ", indent) + l)
		}
	}
}

// visible counts the columns of s without ANSI colour sequences (which
// only the renderer adds: scrubbed text has no ESC).
func visible(s string) int {
	n, esc := 0, false
	for _, r := range s {
		switch {
		case r == '\x1b':
			esc = true
		case esc && r == 'm':
			esc = false
		case !esc:
			n++
		}
	}
	return n
}

func (t *Text) line(s string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintln(t.w, guardCommand(s))
}

// RenderText renders a finished report in one go (golden tests, files).
func RenderText(w io.Writer, r *model.Report, opt Options) error {
	t := NewText(w, opt)
	t.Header(r)
	var total time.Duration
	for _, c := range r.Results {
		t.Finished(c)
		total += c.Duration
	}
	t.Resolved(r)
	t.Summary(r, total)
	return nil
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// millis renders a duration in whole milliseconds ("0ms", "1250ms").
func millis(d time.Duration) string { return fmt.Sprintf("%dms", d.Milliseconds()) }
