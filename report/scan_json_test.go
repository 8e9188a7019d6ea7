package report

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/model"
)

// referenceScanJSON is how the scan document was written before it was
// assembled around separately marshalled reports: the whole document
// through one indenting Encoder. renderScanJSON must write the same bytes.
func referenceScanJSON(s *model.Scan) []byte {
	type doc struct {
		scanJSON
		Reports []json.RawMessage `json:"reports"`
	}
	out := doc{scanJSON: scanJSON{SchemaVersion: model.SchemaVersion, Region: s.Region, Parallel: s.Parallel, ElapsedMS: s.Elapsed.Milliseconds(),
		Interrupted: s.Interrupted, Counts: s.Counts(), Summary: []scanSummaryJSON{}}, Reports: []json.RawMessage{}}
	if !s.StartedAt.IsZero() {
		out.StartedAt = s.StartedAt.UTC().Format(time.RFC3339)
	}
	for _, e := range s.Entries {
		out.Summary = append(out.Summary, scanSummaryJSON{Mapping: e.Mapping, Function: e.Function, State: e.State,
			LastProcessingResult: e.LastProcessingResult, Verdict: e.Verdict(), FirstFailure: e.FirstCode(), Error: e.Err})
		if e.Report == nil {
			out.Reports = append(out.Reports, json.RawMessage("null"))
			continue
		}
		var buf bytes.Buffer
		if err := renderJSON(&buf, e.Report); err != nil {
			panic(err)
		}
		out.Reports = append(out.Reports, json.RawMessage(bytes.TrimSpace(buf.Bytes())))
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func TestScanJSONIsTheReferenceDocument(t *testing.T) {
	hostile := hostileReport("<script>&\u2028\"quoted\"\x1b[31m é ✓")
	scans := map[string]*model.Scan{
		"empty": {Region: "us-east-1", Parallel: 8},
		"mixed": {Region: "eu-west-1", Parallel: 2, StartedAt: time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC), Elapsed: 1234 * time.Millisecond,
			Interrupted: true, Entries: []model.ScanEntry{
				{Mapping: "a1", Function: "orders", State: "Enabled", LastProcessingResult: "OK", Report: sample()},
				{Mapping: "a2", Function: "<fn>", State: "Enabled", Err: "interrupted: not checked"},
				{Mapping: "a3", Function: "f", Report: hostile},
				{Mapping: "a4", Function: "g", Report: interrupted()},
			}},
	}
	for name, s := range scans {
		var got bytes.Buffer
		if err := renderScanJSON(&got, s); err != nil {
			t.Fatal(err)
		}
		if want := referenceScanJSON(s); !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%s: the scan document differs from the reference\ngot:\n%s\nwant:\n%s", name, got.Bytes(), want)
		}
		if !json.Valid(got.Bytes()) {
			t.Errorf("%s: not valid JSON", name)
		}
	}
}
