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
	Live    string // the comparison with the live checks, "" when none ran
}

// Explain maps each summary with an error code to a finding and compares
// it with the live checks' statuses (check id -> status) run at liveAt.
func Explain(sums []Summary, live map[string]model.Status, liveAt time.Time) []Finding {
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
			f.Live = compareLive(s, k.Checks, live, liveAt)
		}
		out = append(out, f)
	}
	return out
}

// compareLive says whether the live checks agree with a logged error, and
// which is newer when they disagree.
func compareLive(s Summary, checks []string, live map[string]model.Status, liveAt time.Time) string {
	for _, id := range checks {
		st, ok := live[id]
		if !ok {
			continue
		}
		switch st {
		case model.Pass, model.Warn:
			return fmt.Sprintf("the logs and the live %s check disagree: the logs last show %s at %s, the live check passed at %s, which is newer (%s later): the cause may be fixed, or intermittent",
				id, s.ErrorCode, s.Last.UTC().Format(time.RFC3339), liveAt.UTC().Format(time.RFC3339), liveAt.Sub(s.Last).Round(time.Second))
		case model.Fail:
			return fmt.Sprintf("the live %s check fails too: the logs and the live checks agree", id)
		}
	}
	return ""
}
