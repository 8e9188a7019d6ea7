package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/esmdoctor/esmdoctor/model"
)

// Renderers of esmdoctor scan: a summary table first (mapping, function,
// state, LastProcessingResult, verdict, first failing code), then each
// mapping's report in the same format as check's.

// RenderScan writes the scan in format (text, json, markdown, junit). Like
// every renderer it receives scrubbed data: each report and error text
// has been through the scrub pass.
func RenderScan(w io.Writer, s *model.Scan, format string, opt Options) error {
	switch format {
	case "json":
		return renderScanJSON(w, s)
	case "markdown":
		return renderScanMarkdown(w, s)
	case "junit":
		return renderScanJUnit(w, s)
	}
	return renderScanText(w, s, opt)
}

// summaryLine is the counts line: "2 pass, 1 fail, 0 error".
func summaryLine(s *model.Scan) string {
	n := s.Counts()
	line := fmt.Sprintf("%d Kafka mapping(s) in %s: %d pass, %d fail, %d error; %s with --parallel %d",
		len(s.Entries), s.Region, n["pass"], n["fail"], n["error"], s.Elapsed.Round(time.Millisecond), s.Parallel)
	if s.Interrupted {
		line += "; INTERRUPTED: mappings marked error were not checked"
	}
	return line
}

func renderScanText(w io.Writer, s *model.Scan, opt Options) error {
	fmt.Fprintln(w, "esmdoctor scan: "+summaryLine(s))
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "MAPPING\tFUNCTION\tSTATE\tLAST PROCESSING RESULT\tVERDICT\tFIRST FAILURE")
	for _, e := range s.Entries {
		first := e.FirstCode()
		if e.Err != "" {
			first = e.Err
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", e.Mapping, e.Function, e.State, clip(orDash(e.LastProcessingResult), 60),
			strings.ToUpper(e.Verdict()), clip(orDash(first), 80))
	}
	tw.Flush()
	for _, e := range s.Entries {
		fmt.Fprintf(w, "\n===== mapping %s (function %s) =====\n", e.Mapping, e.Function)
		if e.Report == nil {
			fmt.Fprintln(w, "not checked: "+e.Err)
			continue
		}
		if err := RenderText(w, e.Report, opt); err != nil {
			return err
		}
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// clip shortens s to n runes for a table cell.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

type scanSummaryJSON struct {
	Mapping              string `json:"mapping"`
	Function             string `json:"function"`
	State                string `json:"state"`
	LastProcessingResult string `json:"last_processing_result"`
	Verdict              string `json:"verdict"`
	FirstFailure         string `json:"first_failure"`
	Error                string `json:"error,omitempty"`
}

type scanJSON struct {
	SchemaVersion int               `json:"schema_version"`
	Region        string            `json:"region"`
	Parallel      int               `json:"parallel"`
	StartedAt     string            `json:"started_at,omitempty"`
	ElapsedMS     int64             `json:"elapsed_ms"`
	Interrupted   bool              `json:"interrupted,omitempty"`
	Counts        map[string]int    `json:"counts"`
	Summary       []scanSummaryJSON `json:"summary"`
	// The mappings' reports follow as "reports", in check's JSON schema, in
	// the summary's order (null for a mapping that could not be checked):
	// renderScanJSON writes them after the members above.
}

// renderScanJSON writes the scan document. Each mapping's report is
// marshalled on its own (all at once, one per core) and indented where it
// sits, and the document is assembled around them: the same bytes as
// encoding the whole document with an indenting Encoder, without that
// Encoder's second and third pass over every report (compacting and
// re-indenting each one), which took a third of a 100-mapping scan's
// writing time.
func renderScanJSON(w io.Writer, s *model.Scan) error {
	head := scanJSON{SchemaVersion: model.SchemaVersion, Region: s.Region, Parallel: s.Parallel, ElapsedMS: s.Elapsed.Milliseconds(),
		Interrupted: s.Interrupted, Counts: s.Counts(), Summary: []scanSummaryJSON{}}
	if !s.StartedAt.IsZero() {
		head.StartedAt = s.StartedAt.UTC().Format(time.RFC3339)
	}
	for _, e := range s.Entries {
		head.Summary = append(head.Summary, scanSummaryJSON{Mapping: e.Mapping, Function: e.Function, State: e.State,
			LastProcessingResult: e.LastProcessingResult, Verdict: e.Verdict(), FirstFailure: e.FirstCode(), Error: e.Err})
	}
	reports, err := scanReportsJSON(s.Entries)
	if err != nil {
		return err
	}
	doc, err := json.MarshalIndent(head, "", "  ")
	if err != nil {
		return err
	}
	// head has no reports member: it ends "\n}", where they go.
	var b bytes.Buffer
	b.Write(doc[:len(doc)-2])
	b.WriteString(",\n  \"reports\": [")
	for i, r := range reports {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n    ")
		b.Write(r)
	}
	if len(reports) > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("]\n}\n")
	_, err = w.Write(b.Bytes())
	return err
}

// scanReportsJSON marshals each entry's report as it sits in the scan
// document (indented at depth two), null for a mapping not checked.
func scanReportsJSON(entries []model.ScanEntry) ([][]byte, error) {
	out := make([][]byte, len(entries))
	errs := make([]error, len(entries))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(entries), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if entries[i].Report == nil {
					out[i] = []byte("null")
					continue
				}
				out[i], errs[i] = json.MarshalIndent(reportJSON(entries[i].Report), "    ", "  ")
			}
		}()
	}
	for i := range entries {
		next <- i
	}
	close(next)
	wg.Wait()
	return out, errors.Join(errs...)
}

func renderScanMarkdown(w io.Writer, s *model.Scan) error {
	fmt.Fprintf(w, "# esmdoctor scan\n\n%s\n\n", cell(summaryLine(s)))
	fmt.Fprintln(w, "| mapping | function | state | LastProcessingResult | verdict | first failure |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, e := range s.Entries {
		first := e.FirstCode()
		if e.Err != "" {
			first = e.Err
		}
		fmt.Fprintf(w, "| `%s` | %s | %s | %s | %s | %s |\n", e.Mapping, cell(e.Function), cell(e.State),
			cell(orDash(e.LastProcessingResult)), e.Verdict(), cell(orDash(first)))
	}
	for _, e := range s.Entries {
		fmt.Fprintf(w, "\n---\n\n## Mapping `%s` (function %s)\n\n", e.Mapping, cell(e.Function))
		if e.Report == nil {
			fmt.Fprintf(w, "Not checked: %s\n", cell(e.Err))
			continue
		}
		if err := renderMarkdown(w, e.Report); err != nil {
			return err
		}
	}
	return nil
}

// renderScanJUnit writes one test suite per mapping; a mapping that could
// not be checked is a suite with one failed case.
func renderScanJUnit(w io.Writer, s *model.Scan) error {
	doc := junitSuites{Name: "esmdoctor scan", Time: seconds(s.Elapsed.Seconds())}
	for _, e := range s.Entries {
		name := fmt.Sprintf("mapping %s (%s)", e.Mapping, e.Function)
		var suite junitSuite
		if e.Report == nil {
			suite = junitSuite{Name: name, Tests: 1, Failures: 1, Time: seconds(0), Cases: []junitCase{{Name: "configuration",
				Classname: "esmdoctor.scan", Time: seconds(0), Failure: &junitFailure{Type: "error", Message: e.Err}}}}
		} else {
			suite = junitSuiteOf(name, e.Report)
		}
		doc.Tests += suite.Tests
		doc.Failures += suite.Failures
		doc.Errors += suite.Errors
		doc.Suites = append(doc.Suites, suite)
	}
	return writeJUnit(w, doc)
}
