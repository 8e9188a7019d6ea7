package checks

import (
	"fmt"
	"strings"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/esmhealth"
)

// settingsNotes are the facts about the mapping's processing settings
// printed at the top of the report: batching and starting position,
// filters, mode, destination and retries, and whether its own logs and
// metrics are on (with how to turn them on when they are not).
func settingsNotes(uuid string, st awsprobe.Settings) []string {
	notes := []string{batchingNote(st)}
	switch {
	case st.FilterCriteriaError != "":
		notes = append(notes, "filter criteria: Lambda cannot read them ("+st.FilterCriteriaError+")")
	case len(st.FilterPatterns) > 0:
		notes = append(notes, fmt.Sprintf("filter criteria: %d pattern(s); records none matches are dropped and their offsets committed (the poll check evaluates them on recent records)", len(st.FilterPatterns)))
	}
	notes = append(notes, modeNote(st))
	if st.OnFailure != "" {
		d := "on-failure destination: " + st.OnFailure
		if strings.HasPrefix(st.OnFailure, "kafka://") && st.Provisioned == nil {
			d += " (a Kafka destination needs provisioned mode, which this mapping does not use)"
		}
		notes = append(notes, d)
	}
	if st.MaximumRetryAttempts != nil || st.MaximumRecordAgeInSeconds != nil || st.BisectBatchOnFunctionError || len(st.FunctionResponseTypes) > 0 {
		notes = append(notes, fmt.Sprintf("retries: MaximumRetryAttempts %s, MaximumRecordAgeInSeconds %s, BisectBatchOnFunctionError %v, FunctionResponseTypes %s",
			intOrNone(st.MaximumRetryAttempts), intOrNone(st.MaximumRecordAgeInSeconds), st.BisectBatchOnFunctionError, orNone(strings.Join(st.FunctionResponseTypes, ","))))
	}
	if st.SystemLogLevel != "" {
		notes = append(notes, "system logs: on (SystemLogLevel "+st.SystemLogLevel+"), in the function's log group")
	} else {
		notes = append(notes, esmhealth.LoggingOffAdvice(uuid))
	}
	if len(st.Metrics) > 0 {
		notes = append(notes, "metrics: on ("+strings.Join(st.Metrics, ", ")+")")
	} else {
		notes = append(notes, esmhealth.MetricsOffAdvice(uuid))
	}
	return notes
}

// batchingNote states the batching settings and what they do: Lambda
// invokes the function when a batch holds BatchSize records, when the
// batching window has passed since the batch's first record, or when the
// payload reaches 6 MB, whichever comes first.
func batchingNote(st awsprobe.Settings) string {
	n := fmt.Sprintf("batching: BatchSize %d, MaximumBatchingWindowInSeconds %d, StartingPosition %s",
		st.BatchSize, st.MaximumBatchingWindowInSeconds, orNone(st.StartingPosition))
	if st.BatchSize == 0 {
		return n
	}
	n += fmt.Sprintf(": the function is invoked with at most %d record(s), once the batch is full, the payload reaches 6 MB", st.BatchSize)
	if st.MaximumBatchingWindowInSeconds > 0 {
		return n + fmt.Sprintf(" or %d s have passed since its first record: on a quiet topic a record can wait that long and the committed offsets stand still meanwhile", st.MaximumBatchingWindowInSeconds)
	}
	return n + ", or without waiting for more records (no batching window)"
}

// modeNote says whether the mapping runs in provisioned or on-demand mode.
func modeNote(st awsprobe.Settings) string {
	if st.Provisioned == nil {
		return "mode: on-demand (no ProvisionedPollerConfig): its pollers need a route to Lambda and STS (NAT or PrivateLink)"
	}
	n := fmt.Sprintf("mode: provisioned, MinimumPollers %d, MaximumPollers %d", st.Provisioned.Minimum, st.Provisioned.Maximum)
	if st.Provisioned.Group != "" {
		n += ", poller group " + st.Provisioned.Group
	}
	return n
}

// intOrNone renders an optional number.
func intOrNone(v *int32) string {
	if v == nil {
		return "(not set)"
	}
	return fmt.Sprint(*v)
}
