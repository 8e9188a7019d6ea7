package esmhealth

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// KafkaMetrics are the mapping metrics esmdoctor reads (namespace
// AWS/Lambda, MetricsConfig.Metrics KafkaMetrics), with the statistic each
// is read with.
func KafkaMetrics() []MetricSpec {
	return []MetricSpec{
		{"PollingErrorCount", "Sum"}, {"InvokeErrorCount", "Sum"}, {"CommitErrorCount", "Sum"},
		{"OnFailureDestinationDeliveryErrorCount", "Sum"}, {"MaxOffsetLag", "Maximum"}, {"SumOffsetLag", "Maximum"},
	}
}

// MetricSpec is one metric and its statistic.
type MetricSpec struct {
	Name, Stat string
}

// Point is one datapoint.
type Point struct {
	At    time.Time
	Value float64
}

// Series is one metric over the window.
type Series struct {
	Name   string
	Points []Point
}

// Trend is a series summarised for the recent-health section.
type Trend struct {
	Name        string
	Points      int
	Total, Peak float64
	Last        float64
	Direction   string // rising, falling, flat, or "no data"
}

// Summarize condenses a series: total, peak, last value, and the
// direction from the first half of the window to the second.
func (s Series) Summarize() Trend {
	t := Trend{Name: s.Name, Points: len(s.Points), Direction: "no data"}
	if len(s.Points) == 0 {
		return t
	}
	pts := append([]Point(nil), s.Points...)
	sort.Slice(pts, func(i, j int) bool { return pts[i].At.Before(pts[j].At) })
	for _, p := range pts {
		t.Total += p.Value
		t.Peak = max(t.Peak, p.Value)
	}
	t.Last = pts[len(pts)-1].Value
	t.Direction = direction(pts)
	return t
}

// direction compares the mean of the first and second halves.
func direction(pts []Point) string {
	if len(pts) < 2 {
		return "flat"
	}
	half := len(pts) / 2
	a, b := mean(pts[:half]), mean(pts[half:])
	switch {
	case b > a*1.2 && b-a >= 1:
		return "rising"
	case b < a*0.8 && a-b >= 1:
		return "falling"
	}
	return "flat"
}

// mean of the values.
func mean(pts []Point) float64 {
	var sum float64
	for _, p := range pts {
		sum += p.Value
	}
	return sum / float64(len(pts))
}

// Line renders a trend in one line.
func (t Trend) Line() string {
	if t.Points == 0 {
		return t.Name + ": no datapoints in the window"
	}
	if strings.HasSuffix(t.Name, "Lag") { // a level, not a count: its total means nothing
		return fmt.Sprintf("%s: last %g, peak %g over %d datapoint(s), %s", t.Name, t.Last, t.Peak, t.Points, t.Direction)
	}
	return fmt.Sprintf("%s: total %g, peak %g, last %g over %d datapoint(s), %s", t.Name, t.Total, t.Peak, t.Last, t.Points, t.Direction)
}

// LoggingOffAdvice says how to turn the mapping's system logs on and what
// it costs.
func LoggingOffAdvice(uuid string) string {
	return "the mapping's system logs are off: turn them on with `aws lambda update-event-source-mapping --uuid " + uuid +
		" --logging-config SystemLogLevel=WARN` (provisioned mode only; WARN logs only problems, INFO adds poller status events with the pollers' IP addresses and security groups); " +
		"they go to the function's log group and cost CloudWatch Logs ingestion and storage like any log"
}

// MetricsOffAdvice says how to turn the mapping's metrics on.
func MetricsOffAdvice(uuid string) string {
	return "the mapping's Kafka metrics are off: turn them on with `aws lambda update-event-source-mapping --uuid " + uuid +
		" --metrics-config Metrics=KafkaMetrics,EventCount,ErrorCount`; they are billed as CloudWatch custom metrics"
}
