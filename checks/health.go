package checks

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/esmhealth"
	"github.com/esmdoctor/esmdoctor/model"
)

var healthCheck = Check{
	ID:    "health",
	Title: "the mapping's own logs and metrics show no recent errors",
	Needs: []string{"mapping"},
	Run:   runHealth,
}

// healthOrder ranks the health codes, most telling first: the first
// found sets the result's code, the others are detail lines.
var healthOrder = []string{catalog.HEALTH102, catalog.HEALTH101, catalog.HEALTH103, catalog.HEALTH104,
	catalog.HEALTH105, catalog.HEALTH108, catalog.HEALTH106, catalog.HEALTH107}

// healthRun collects one health check's observations and findings.
type healthRun struct {
	s        *State
	detail   []string
	findings []healthFinding
	notes    []string
}

type healthFinding struct {
	code string
	args Args
}

// runHealth reads what the mapping says about itself over the last
// --since, its system logs (LoggingConfig) and Kafka metrics
// (MetricsConfig), and sets the logged errors beside the live checks that
// ran before it: it is the last check, so their verdicts are known.
func runHealth(ctx context.Context, s *State) Outcome {
	m := s.Facts.Mapping
	if m == nil {
		return notApplicable("no --esm or --function: a mapping's own logs and metrics are read from an existing mapping")
	}
	st := m.Mapping.Settings
	if st.SystemLogLevel == "" && len(st.Metrics) == 0 {
		return notApplicable("the mapping's system logs and metrics are off (the mapping check says how to turn them on)")
	}
	h := &healthRun{s: s}
	h.detail = append(h.detail, "window: the last "+fmtSince(s.since())+" (--since)")
	if st.SystemLogLevel != "" {
		h.logs(ctx, st.SystemLogLevel)
	} else {
		h.detail = append(h.detail, esmhealth.LoggingOffAdvice(m.Mapping.UUID))
	}
	if len(st.Metrics) > 0 {
		h.metrics(ctx, st.Metrics)
	} else {
		h.detail = append(h.detail, esmhealth.MetricsOffAdvice(m.Mapping.UUID))
	}
	if ctx.Err() != nil && errors.Is(context.Cause(ctx), ErrDeadline) {
		return Outcome{Status: model.Skip, deadline: true,
			Reason: "not completed: the run's deadline (--timeout) ended the reading of the mapping's logs and metrics; rerun with a longer --timeout"}
	}
	s.health.notes = h.notes
	return h.outcome()
}

// add records a finding.
func (h *healthRun) add(code string, args Args) {
	h.findings = append(h.findings, healthFinding{code, args})
}

// outcome: the most telling finding sets the code; the others follow as
// detail lines with their code, cause and fix.
func (h *healthRun) outcome() Outcome {
	if len(h.findings) == 0 {
		return pass(h.detail...)
	}
	slices.SortStableFunc(h.findings, func(a, b healthFinding) int {
		return slices.Index(healthOrder, a.code) - slices.Index(healthOrder, b.code)
	})
	for _, f := range h.findings[1:] {
		e, _ := catalog.Lookup(f.code)
		h.detail = append(h.detail, fmt.Sprintf("also warn %s: %s; fix: %s", f.code, catalog.Format(e.Cause, f.args), catalog.Format(e.Remediation, f.args)))
	}
	top := h.findings[0]
	return warn(top.code, top.args, h.detail...)
}

// fmtSince renders a window as --since takes it (1h, 30m, 2h30m).
func fmtSince(d time.Duration) string {
	mins := int64((d + time.Minute/2) / time.Minute)
	switch {
	case mins%60 == 0:
		return fmt.Sprintf("%dh", mins/60)
	case mins < 60:
		return fmt.Sprintf("%dm", mins)
	}
	return fmt.Sprintf("%dh%dm", mins/60, mins%60)
}

// metrics reads the Kafka metrics and words their trends.
func (h *healthRun) metrics(ctx context.Context, enabled []string) {
	trends, err := h.s.mappingMetrics(ctx)
	if err != nil {
		h.detail = append(h.detail, "metrics: not read ("+shortErr(err, "")+")")
		h.add(catalog.HEALTH107, awsFailureArgs(h.s, "GetMetricData", err))
		return
	}
	h.detail = append(h.detail, "metrics (MetricsConfig "+strings.Join(enabled, ",")+", one GetMetricData call):")
	if !slices.Contains(enabled, "KafkaMetrics") {
		h.detail = append(h.detail, "MetricsConfig lacks KafkaMetrics: the Kafka metrics below may have no datapoints (add it with --metrics-config Metrics=KafkaMetrics,...)")
	}
	var errs, short []string
	for _, t := range trends {
		h.detail = append(h.detail, "  "+t.Line())
		short = append(short, shortTrend(t))
		if strings.HasSuffix(t.Name, "ErrorCount") && t.Total > 0 {
			errs = append(errs, fmt.Sprintf("%s total %g (peak %g in one datapoint, %s)", t.Name, t.Total, t.Peak, t.Direction))
		}
		if t.Name == "MaxOffsetLag" && t.Direction == "rising" && t.Last > 0 {
			h.add(catalog.HEALTH105, Args{"since": fmtSince(h.s.since()), "metric": t.Line()})
		}
	}
	if len(errs) > 0 {
		h.add(catalog.HEALTH104, Args{"since": fmtSince(h.s.since()), "metrics": strings.Join(errs, "; ")})
	}
	h.notes = append(h.notes, "recent health (last "+fmtSince(h.s.since())+"), metrics: "+strings.Join(short, ", "))
}

// shortTrend is a trend in a few words for the report's notes.
func shortTrend(t esmhealth.Trend) string {
	switch {
	case t.Points == 0:
		return t.Name + " no data"
	case strings.HasSuffix(t.Name, "Lag"):
		return fmt.Sprintf("%s last %g (peak %g, %s)", t.Name, t.Last, t.Peak, t.Direction)
	}
	return fmt.Sprintf("%s %g (%s)", t.Name, t.Total, t.Direction)
}
