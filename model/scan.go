package model

import "time"

// Scan is a run of esmdoctor scan: every Kafka mapping of an account and
// Region, each checked and reported on its own.
type Scan struct {
	Region    string
	Parallel  int
	StartedAt time.Time
	Elapsed   time.Duration
	Entries   []ScanEntry
	// Interrupted is set when Ctrl-C stopped the scan: entries not run
	// carry Err "interrupted".
	Interrupted bool
}

// ScanEntry is one mapping and its report.
type ScanEntry struct {
	Mapping              string // UUID
	Function             string // function name
	State                string
	LastProcessingResult string
	// Report is the mapping's report; nil when it could not be checked
	// (Err says why: the mapping's configuration, an interruption).
	Report *Report
	Err    string
}

// Verdict is the entry's verdict: the report's, or "error".
func (e ScanEntry) Verdict() string {
	if e.Report == nil {
		return "error"
	}
	return e.Report.Verdict()
}

// FirstCode is the code of the first failing check, or "".
func (e ScanEntry) FirstCode() string {
	if e.Report == nil {
		return ""
	}
	if f, ok := e.Report.FirstFailure(); ok {
		return f.Code
	}
	return ""
}

// Counts counts the entries by verdict.
func (s *Scan) Counts() map[string]int {
	m := map[string]int{}
	for _, e := range s.Entries {
		m[e.Verdict()]++
	}
	return m
}
