package checks

import (
	"context"
	"strings"
	"time"

	"github.com/esmdoctor/esmdoctor/awsprobe/health"
	"github.com/esmdoctor/esmdoctor/esmhealth"
	"github.com/esmdoctor/esmdoctor/model"
)

// Bounds of --since: CloudWatch keeps one-minute metrics for 15 days.
const (
	DefaultSince = time.Hour
	MinSince     = time.Minute
	MaxSince     = 14 * 24 * time.Hour
)

// healthState is shared by the network check (the pollers' network, from
// their POLLER_STATUS_EVENTs) and the health check: the mapping's system
// logs, read once per run, and the verdicts of the checks that ran.
type healthState struct {
	logs  *logRead
	live  map[string]esmhealth.Live
	notes []string
}

// record keeps a check's verdict and when it was reached.
func (h *healthState) record(id string, st model.Status, at time.Time) {
	if h.live == nil {
		h.live = map[string]esmhealth.Live{}
	}
	h.live[id] = esmhealth.Live{Status: st, At: at}
}

// logRead is one read of the mapping's system logs.
type logRead struct {
	Group      string
	Start, End time.Time
	Lines      int // log events read, system events or not
	Events     []esmhealth.SystemEvent
	Truncated  bool
	Err        error
}

// since is the window the health readers cover.
func (s *State) since() time.Duration {
	if s.Cfg.Since > 0 {
		return s.Cfg.Since
	}
	return DefaultSince
}

// logGroup is the mapping's function's log group (its system logs share
// it): the function's LoggingConfig.LogGroup, else /aws/lambda/<name>.
func (s *State) logGroup() string {
	m := s.Facts.Mapping
	if m.Function != nil && m.Function.LogGroup != "" {
		return m.Function.LogGroup
	}
	arn := m.Mapping.FunctionARN
	if p := strings.Split(arn, ":"); len(p) >= 7 {
		arn = p[6]
	}
	return "/aws/lambda/" + arn
}

// systemLogs reads the mapping's system log events of the last --since
// once per run (nil when the mapping's logging is off or no mapping was
// read), with esmdoctor's own identity, bounded by one step budget.
func (s *State) systemLogs(ctx context.Context) *logRead {
	m := s.Facts.Mapping
	if m == nil || m.Mapping.Settings.SystemLogLevel == "" {
		return nil
	}
	if s.health.logs != nil {
		return s.health.logs
	}
	end := time.Now().UTC()
	lr := &logRead{Group: s.logGroup(), Start: end.Add(-s.since()), End: end}
	s.health.logs = lr
	sess, err := s.session(ctx)
	if err != nil {
		lr.Err = err
		return lr
	}
	raw, truncated, err := health.SystemLogs(ctx, sess.OwnConfig(), lr.Group, m.Mapping.UUID, lr.Start, lr.End, s.Step)
	lr.Lines, lr.Truncated, lr.Err = len(raw), truncated, err
	for _, r := range raw {
		if e, ok := esmhealth.ParseSystemEvent(r.Message, r.At); ok {
			lr.Events = append(lr.Events, e)
		}
	}
	return lr
}

// mappingMetrics reads the mapping's Kafka metrics over the same window in
// one GetMetricData call.
func (s *State) mappingMetrics(ctx context.Context) ([]esmhealth.Trend, error) {
	sess, err := s.session(ctx)
	if err != nil {
		return nil, err
	}
	var qs []health.MetricQuery
	for _, m := range esmhealth.KafkaMetrics() {
		qs = append(qs, health.MetricQuery{Name: m.Name, Stat: m.Stat})
	}
	end := time.Now().UTC()
	series, err := health.MappingMetrics(ctx, sess.OwnConfig(), s.Facts.Mapping.Mapping.UUID, qs, end.Add(-s.since()), end, s.Step)
	if err != nil {
		return nil, err
	}
	var out []esmhealth.Trend
	for _, mp := range series {
		es := esmhealth.Series{Name: mp.Name}
		for i := range min(len(mp.Times), len(mp.Values)) {
			es.Points = append(es.Points, esmhealth.Point{At: mp.Times[i], Value: mp.Values[i]})
		}
		out = append(out, es.Summarize())
	}
	return out, nil
}
