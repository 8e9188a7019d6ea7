package esmhealth

import (
	"fmt"
	"time"

	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/model"
)

// Finding is one logged error explained: what it means, the code and
// PROBLEM text Lambda shows for it, and how it compares with the live checks.
type Finding struct {
	Summary
	Known   bool
	Code    catalog.Code
	Problem string // the PROBLEM text, "" when none
	Meaning string
	// Live is the comparison with the live checks, "" when none of the
	// checks that test the same thing ran to a verdict.
	Live string
	// Disagree is set when a live check that tests the same thing passed.
	Disagree bool
}

// Live is one live check's verdict and when it was reached.
type Live struct {
	Status model.Status
	At     time.Time
}

// Explain maps each summary with an error code to a finding and compares
// it with the live checks' verdicts (check id -> verdict).
func Explain(sums []Summary, live map[string]Live) []Finding {
	var out []Finding
	for _, s := range sums {
		if s.ErrorCode == "" {
			continue
		}
		f := Finding{Summary: s, Meaning: "not a Kafka exception esmdoctor knows"}
		if k, ok := Lookup(s.ErrorCode); ok {
			f.Known, f.Code, f.Meaning = true, k.Code, k.Meaning
			if e, ok := catalog.Lookup(string(k.Code)); ok && e.Problem != "" {
				if p, ok := catalog.ProblemByID(e.Problem); ok {
					f.Problem = p.Text
				}
			}
			f.Live, f.Disagree = compareLive(s, k.Checks, live)
		}
		out = append(out, f)
	}
	return out
}

// compareLive says whether the live checks agree with a logged error, and
// which of the two is newer when they disagree.
func compareLive(s Summary, checks []string, live map[string]Live) (string, bool) {
	for _, id := range checks {
		l, ok := live[id]
		if !ok {
			continue
		}
		switch l.Status {
		case model.Pass, model.Warn:
			return fmt.Sprintf("the live %s check passed at %s: the logs and the live check disagree; %s",
				id, stamp(l.At), newer(s.Last, l.At)), true
		case model.Fail:
			return fmt.Sprintf("the live %s check fails too (at %s): the logs and the live checks agree", id, stamp(l.At)), false
		}
	}
	return "", false
}

// newer says which of the last logged error and the live verdict is newer.
func newer(logged, live time.Time) string {
	if live.After(logged) {
		return fmt.Sprintf("the live check is newer, by %s: the cause may be fixed since, intermittent, or differ between the pollers and esmdoctor", live.Sub(logged).Round(time.Second))
	}
	return fmt.Sprintf("the logs are newer, by %s: the pollers failed after esmdoctor's check passed, so they differ from esmdoctor (identity, network) or the cause is intermittent", logged.Sub(live).Round(time.Second))
}

// stamp renders a time for the report: UTC, to the second.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
