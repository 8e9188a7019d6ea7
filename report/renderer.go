package report

import (
	"io"
	"strings"

	"github.com/esmdoctor/esmdoctor/model"
)

// Options configure a renderer.
type Options struct {
	Verbose bool // show observations for passing checks too
	Color   bool // ANSI colour (text); off for NO_COLOR, --no-color and non-terminals
	// HideDurations prints no timings (golden files).
	HideDurations bool
	// Live shows the running check and its elapsed time on the current
	// line (streaming text on a terminal only).
	Live bool
	// Width is the text report's line width; 0 means 80.
	Width int
}

// Renderer writes a finished report in one format. The report it receives
// has been through the scrub pass: every string is redacted and free of
// control characters, so a renderer adds only its own layout.
type Renderer interface {
	// Name is the --output value.
	Name() string
	// Usage says in a few words what the format is for (--help).
	Usage() string
	Render(w io.Writer, r *model.Report, opt Options) error
}

// renderers is the one list of formats: --output validation, its help
// text and dispatch all come from it.
var renderers = []Renderer{textFormat{}, jsonFormat{}, markdownFormat{}, junitFormat{}}

// Lookup returns the renderer for an --output value.
func Lookup(name string) (Renderer, bool) {
	for _, r := range renderers {
		if r.Name() == name {
			return r, true
		}
	}
	return nil, false
}

// Names lists the formats, in the order --help shows them.
func Names() []string {
	out := make([]string, len(renderers))
	for i, r := range renderers {
		out[i] = r.Name()
	}
	return out
}

// Choices lists the formats as a sentence ("text, json, markdown or junit").
func Choices() string {
	n := Names()
	return strings.Join(n[:len(n)-1], ", ") + " or " + n[len(n)-1]
}

// Usage is the --output flag's help: every format with its purpose.
func Usage() string {
	parts := make([]string, len(renderers))
	for i, r := range renderers {
		parts[i] = r.Name() + " (" + r.Usage() + ")"
	}
	return "report format: " + strings.Join(parts, ", ")
}

// Render writes r in the named format.
func Render(w io.Writer, name string, r *model.Report, opt Options) error {
	f, ok := Lookup(name)
	if !ok {
		return &UnknownFormatError{Name: name}
	}
	return f.Render(w, r, opt)
}

// UnknownFormatError is an --output value no renderer has.
type UnknownFormatError struct{ Name string }

// Error names the value and the formats there are.
func (e *UnknownFormatError) Error() string {
	return "unknown report format " + quote(e.Name) + ": want " + Choices()
}

func quote(s string) string { return `"` + s + `"` }

type textFormat struct{}

func (textFormat) Name() string  { return "text" }
func (textFormat) Usage() string { return "for a terminal, streamed as the checks run" }
func (textFormat) Render(w io.Writer, r *model.Report, opt Options) error {
	return RenderText(w, r, opt)
}

type jsonFormat struct{}

func (jsonFormat) Name() string  { return "json" }
func (jsonFormat) Usage() string { return "for CI gates, schema_version 1" }
func (jsonFormat) Render(w io.Writer, r *model.Report, _ Options) error {
	return renderJSON(w, r)
}

type markdownFormat struct{}

func (markdownFormat) Name() string  { return "markdown" }
func (markdownFormat) Usage() string { return "to paste into a GitHub issue or a support case" }
func (markdownFormat) Render(w io.Writer, r *model.Report, _ Options) error {
	return renderMarkdown(w, r)
}

type junitFormat struct{}

func (junitFormat) Name() string  { return "junit" }
func (junitFormat) Usage() string { return "one test case per check, for CI test reports" }
func (junitFormat) Render(w io.Writer, r *model.Report, _ Options) error {
	return renderJUnit(w, r)
}
