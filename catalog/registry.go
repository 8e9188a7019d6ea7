package catalog

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Severity is how bad a code is when it is emitted.
type Severity string

// Severities.
const (
	SevFail Severity = "fail"
	SevWarn Severity = "warn"
)

// Entry is one stable problem code. Codes are never reused: a code that no
// longer applies is marked Retired and stays in the registry.
type Entry struct {
	Code     string // ESM-<AREA>-<NNN>
	Check    string // the check id that emits it
	Severity Severity
	Title    string    // short, what went wrong
	Problem  ProblemID // the LastProcessingResult text Lambda shows; "" when it has none
	// ErrorName is the named error of the Lambda developer guide, if any.
	ErrorName string
	// Cause and Remediation are templates; {name} is replaced by the
	// result's argument of that name when rendering.
	Cause       string
	Remediation string
	Retired     bool
}

var (
	codePattern = regexp.MustCompile(`^ESM-[A-Z]+-[0-9]{3}$`)
	registry    = map[string]Entry{}
	order       []string
)

// register adds entries; it panics on a malformed or duplicate code so a
// mistake fails at init, in every test.
func register(entries ...Entry) {
	for _, e := range entries {
		if !codePattern.MatchString(e.Code) {
			panic(fmt.Sprintf("catalog: malformed code %q", e.Code))
		}
		if _, dup := registry[e.Code]; dup {
			panic("catalog: duplicate code " + e.Code)
		}
		if e.Problem != "" {
			p, ok := problemByID[e.Problem]
			if !ok {
				panic(fmt.Sprintf("catalog: %s names unknown problem %q", e.Code, e.Problem))
			}
			if p.Retired != "" || p.Variant != "" {
				panic(fmt.Sprintf("catalog: %s must name a base PROBLEM text, not %s (%s)", e.Code, p.ID, p.Text))
			}
		}
		registry[e.Code] = e
		order = append(order, e.Code)
	}
}

// Lookup returns the entry for a code.
func Lookup(code string) (Entry, bool) {
	e, ok := registry[code]
	return e, ok
}

// All returns every entry in registration order (pipeline order).
func All() []Entry {
	out := make([]Entry, 0, len(order))
	for _, c := range order {
		out = append(out, registry[c])
	}
	return out
}

// ForProblem returns the entries whose failures Lambda reports with p (or
// with the text p is a variant of), in pipeline order.
func ForProblem(p ProblemID) []Entry {
	if base := problemByID[p].Variant; base != "" {
		p = base
	}
	var out []Entry
	for _, e := range All() {
		if e.Problem == p {
			out = append(out, e)
		}
	}
	return out
}

// ForErrorName returns the entries carrying a named error (case-insensitive).
func ForErrorName(name string) []Entry {
	var out []Entry
	for _, e := range All() {
		if e.ErrorName != "" && strings.EqualFold(e.ErrorName, strings.TrimSpace(strings.TrimRight(strings.TrimSpace(name), "."))) {
			out = append(out, e)
		}
	}
	return out
}

// ErrorNames lists the distinct named errors, sorted.
func ErrorNames() []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range All() {
		if e.ErrorName != "" && !seen[e.ErrorName] {
			seen[e.ErrorName] = true
			out = append(out, e.ErrorName)
		}
	}
	sort.Strings(out)
	return out
}

var placeholder = regexp.MustCompile(`\{([a-z_]+)\}`)

// Format fills a template's {name} placeholders from args. A missing
// argument renders as "?" so a bug shows instead of hiding.
func Format(tmpl string, args map[string]string) string {
	return placeholder.ReplaceAllStringFunc(tmpl, func(m string) string {
		if v, ok := args[m[1:len(m)-1]]; ok {
			return v
		}
		return "?"
	})
}

// Placeholders lists the argument names a template uses.
func Placeholders(tmpl string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(tmpl, -1) {
		out = append(out, m[1])
	}
	return out
}
