package report

import (
	"encoding/xml"
	"fmt"
	"github.com/esmdoctor/esmdoctor/model"
	"io"
	"strings"
)

// JUnit document shapes (the subset CI systems read).
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

// junitProperty is one fact of the run (the target, the verdict).
type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// properties lists the run's facts that are set.
func properties(r *model.Report) []junitProperty {
	t := r.Target
	var out []junitProperty
	for _, p := range [][2]string{{"verdict", r.Verdict()}, {"tool_version", r.ToolVersion}, {"lab_scenario", t.Lab},
		{"event_source_mapping", t.EventSourceMapping}, {"event_source_arn", t.EventSourceARN},
		{"bootstrap_servers", strings.Join(t.BootstrapServers, ",")}, {"topic", t.Topic}, {"consumer_group", t.ConsumerGroup},
		{"auth", t.Auth}, {"auth_reason", t.AuthReason}, {"identity", t.Identity}, {"last_processing_result", t.LastProcessingResult},
		{"redactions", fmt.Sprint(r.Redactions)}} {
		if p[1] != "" {
			out = append(out, junitProperty{Name: p[0], Value: p[1]})
		}
	}
	return append(out, notes(r.Notes)...)
}

func notes(ns []string) []junitProperty {
	out := make([]junitProperty, len(ns))
	for i, n := range ns {
		out[i] = junitProperty{Name: "note", Value: n}
	}
	return out
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Error     *junitFailure `xml:"error,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// renderJUnit writes one test case per check: failures carry the code and
// cause, skips are skipped, warnings pass with their text in system-out.
func renderJUnit(w io.Writer, r *model.Report) error {
	suite := junitSuiteOf("esmdoctor", r)
	doc := junitSuites{Name: "esmdoctor", Tests: suite.Tests, Failures: suite.Failures, Errors: suite.Errors, Time: suite.Time, Suites: []junitSuite{suite}}
	return writeJUnit(w, doc)
}

// junitSuiteOf is one report as a test suite, one test case per check.
func junitSuiteOf(name string, r *model.Report) junitSuite {
	suite := junitSuite{Name: name, Tests: len(r.Results), Properties: properties(r)}
	if !r.StartedAt.IsZero() {
		suite.Timestamp = r.StartedAt.UTC().Format("2006-01-02T15:04:05")
	}
	var total float64
	for _, c := range r.Results {
		jc := junitCase{Name: c.ID + ": " + c.Title, Classname: "esmdoctor." + c.ID, Time: seconds(c.Duration.Seconds())}
		total += c.Duration.Seconds()
		switch {
		case c.Interrupted:
			// An <error>, not a skip: an interrupted run must turn CI red.
			suite.Errors++
			jc.Error = &junitFailure{Type: "interrupted", Message: "interrupted while running",
				Body: "the run was interrupted while this check was running; the checks after it did not run"}
		case c.Status == model.Fail:
			suite.Failures++
			e, _ := c.Entry()
			jc.Failure = &junitFailure{Type: c.Code, Message: c.Code + ": " + e.Title, Body: resultBody(c)}
		case c.Status == model.Skip:
			suite.Skipped++
			jc.Skipped = &junitSkipped{Message: c.Reason}
		case c.Status == model.Warn:
			jc.SystemOut = "warning " + resultBody(c)
		default:
			jc.SystemOut = seenLines(c.Detail)
		}
		suite.Cases = append(suite.Cases, jc)
	}
	suite.Time = seconds(total)
	return suite
}

// writeJUnit writes the document with its XML header.
func writeJUnit(w io.Writer, doc junitSuites) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func resultBody(c model.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", c.Code)
	if p, ok := c.Problem(); ok {
		fmt.Fprintf(&b, "Lambda shows: %s\n", p.Text)
	}
	fmt.Fprintf(&b, "cause: %s\nfix: %s\n", c.Cause(), c.Remediation())
	b.WriteString(seenLines(c.Detail))
	return b.String()
}

// seenLines labels every observation, so no line of the document starts
// with text that came from outside.
func seenLines(detail []string) string {
	var b strings.Builder
	for _, d := range detail {
		fmt.Fprintf(&b, "seen: %s\n", d)
	}
	return b.String()
}

func seconds(s float64) string { return fmt.Sprintf("%.3f", s) }
