package checks

import (
	"context"
	"strings"

	"github.com/esmdoctor/esmdoctor/awsprobe"
)

// noMappingReason is the mapping check's skip without --esm or --function.
const noMappingReason = "no --esm or --function: the target comes from the flags"

// settingsFindings are the mapping check's findings on the mapping's
// settings that AWS can confirm: the poller group's limits and an SQS, SNS
// or S3 on-failure destination. self is the mapping's UUID ("" for a
// mapping given by flags). It returns the warnings and the facts to state.
func settingsFindings(ctx context.Context, s *State, sess *awsprobe.Session, self string) ([]Outcome, []string) {
	found, notes := pollerGroupFindings(ctx, s, sess, self)
	f, n := destinationFindings(ctx, s, sess)
	return append(found, f...), append(notes, n...)
}

// runSettingsOnly is the mapping check without a mapping to read: the
// settings given as flags (a poller group, an AWS destination) are still
// weighed when the run has AWS inputs; without findings it stays a skip
// whose reason states what was found.
func runSettingsOnly(ctx context.Context, s *State) Outcome {
	var notes []string
	if s.Cfg.BatchSize > 0 || s.Cfg.BatchingWindow != nil {
		notes = append(notes, batchingNote(effectiveSettings(awsprobe.Settings{}, s.Cfg)))
	}
	if s.Cfg.AWS == nil || (s.pollerGroup() == "" && !isAWSDestination(s.onFailure())) {
		return notApplicable(strings.Join(append([]string{noMappingReason}, notes...), "; "))
	}
	sess, err := s.session(ctx)
	if err != nil {
		return notApplicable(noMappingReason + "; the settings were not checked (loading the AWS configuration: " + shortErr(err, "") + ")")
	}
	found, n := settingsFindings(ctx, s, sess, "")
	if notes = append(notes, n...); len(found) == 0 {
		return notApplicable(strings.Join(append([]string{noMappingReason}, notes...), "; "))
	}
	return foldFindings(found, notes)
}

// foldFindings makes one outcome of several warnings: the first, with the
// others named in its detail after the given lines.
func foldFindings(found []Outcome, detail []string) Outcome {
	out := found[0]
	out.Detail = append(append(out.Detail, detail...), alsoLines(found[1:])...)
	return out
}

// alsoLines name further findings' codes.
func alsoLines(found []Outcome) []string {
	var out []string
	for _, f := range found {
		out = append(out, "also: "+f.Code)
	}
	return out
}
