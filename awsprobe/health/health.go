// Package health reads what a Kafka event source mapping reports about
// itself through CloudWatch: its system log events and its metrics. It is
// apart from awsprobe so that the CloudWatch SDK modules are linked only
// into what uses them (they add several MB of resident memory).
package health

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
)

// Bounds on what the health readers fetch: a mapping's system log streams
// (one per day) and their events, a page at a time.
const (
	maxLogStreams = 50
	maxStreamDays = 16 // 14 days of --since, the day before, and today
	maxLogPages   = 10
	maxLogEvents  = 5000
	logPageEvents = 1000
	// maxMetricPoints bounds the datapoints per metric: the period grows
	// with the window (60 s for an hour, about an hour for 14 days).
	maxMetricPoints = 360
)

// MetricPeriod is the GetMetricData period for a window: a multiple of
// 60 seconds giving at most maxMetricPoints datapoints per metric.
func MetricPeriod(window time.Duration) int32 {
	minutes := int64(window/time.Minute+maxMetricPoints-1) / maxMetricPoints
	return int32(max(minutes, 1) * 60)
}

// LogEvent is one log event: its time and message.
type LogEvent struct {
	At      time.Time
	Message string
}

// SystemLogs reads (with cfg: esmdoctor's own identity, Session.OwnConfig) a mapping's system log events from the function's log
// group between start and end: its streams are named <date>/<UUID>
// (logs:DescribeLogStreams by that prefix, per day), and their events are read
// with logs:FilterLogEvents in bounded pages. truncated says the bounds
// stopped the read before the end.
func SystemLogs(ctx context.Context, cfg aws.Config, group, uuid string, start, end time.Time, budget time.Duration) (events []LogEvent, truncated bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	c := cloudwatchlogs.NewFromConfig(cfg)
	streams, err := mappingStreams(ctx, c, group, uuid, start, end)
	if err != nil || len(streams) == 0 {
		return nil, false, err
	}
	in := &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(group), LogStreamNames: streams,
		StartTime: aws.Int64(start.UnixMilli()), EndTime: aws.Int64(end.UnixMilli()), Limit: aws.Int32(logPageEvents)}
	for page := 0; page < maxLogPages; page++ {
		out, err := c.FilterLogEvents(ctx, in)
		if err != nil {
			return events, truncated, err
		}
		for _, e := range out.Events {
			events = append(events, LogEvent{At: time.UnixMilli(aws.ToInt64(e.Timestamp)).UTC(), Message: aws.ToString(e.Message)})
		}
		if out.NextToken == nil || aws.ToString(out.NextToken) == aws.ToString(in.NextToken) {
			return events, false, nil
		}
		if len(events) >= maxLogEvents {
			return events, true, nil
		}
		in.NextToken = out.NextToken
	}
	return events, true, nil
}

// mappingStreams finds the mapping's streams with events after start:
// one per day, named <yyyy/mm/dd>/<UUID> (UTC). It asks DescribeLogStreams
// for each day from the day before start to end by that exact prefix, so
// the function's own streams (one per instance, thousands on a busy
// function) are never listed, and a day without a stream costs nothing
// more than its answer.
func mappingStreams(ctx context.Context, c *cloudwatchlogs.Client, group, uuid string, start, end time.Time) ([]string, error) {
	var names []string
	for _, day := range streamDays(start, end) {
		out, err := c.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String(group),
			LogStreamNamePrefix: aws.String(day + "/" + uuid), Limit: aws.Int32(maxLogStreams)})
		if err != nil {
			return nil, err
		}
		for _, st := range out.LogStreams {
			if last := aws.ToInt64(st.LastEventTimestamp); last != 0 && last < start.UnixMilli() {
				continue
			}
			names = append(names, aws.ToString(st.LogStreamName))
		}
	}
	return names, nil
}

// streamDays are the UTC dates (yyyy/mm/dd) whose streams may hold events
// between start and end: the day before start (a stream is named for the
// day it was opened) through end's, at most maxStreamDays, newest first.
func streamDays(start, end time.Time) []string {
	var out []string
	first := start.UTC().AddDate(0, 0, -1)
	for d := end.UTC(); len(out) < maxStreamDays; d = d.AddDate(0, 0, -1) {
		out = append(out, d.Format("2006/01/02"))
		if d.Format("2006/01/02") == first.Format("2006/01/02") || d.Before(first) {
			break
		}
	}
	return out
}

// MetricQuery names one metric of the mapping and its statistic.
type MetricQuery struct {
	Name, Stat string
}

// MetricPoints is one metric's datapoints.
type MetricPoints struct {
	Name   string
	Times  []time.Time
	Values []float64
}

// MappingMetrics reads the mapping's metrics (namespace AWS/Lambda,
// dimension EventSourceMappingUUID) between start and end in one
// cloudwatch:GetMetricData call (more pages only if CloudWatch splits it).
func MappingMetrics(ctx context.Context, cfg aws.Config, uuid string, qs []MetricQuery, start, end time.Time, budget time.Duration) ([]MetricPoints, error) {
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	in := &cloudwatch.GetMetricDataInput{StartTime: aws.Time(start), EndTime: aws.Time(end), ScanBy: cwtypes.ScanByTimestampAscending}
	for i, q := range qs {
		in.MetricDataQueries = append(in.MetricDataQueries, cwtypes.MetricDataQuery{
			Id: aws.String(metricID(i)), Label: aws.String(q.Name),
			MetricStat: &cwtypes.MetricStat{Period: aws.Int32(MetricPeriod(end.Sub(start))), Stat: aws.String(q.Stat),
				Metric: &cwtypes.Metric{Namespace: aws.String("AWS/Lambda"), MetricName: aws.String(q.Name),
					Dimensions: []cwtypes.Dimension{{Name: aws.String("EventSourceMappingUUID"), Value: aws.String(uuid)}}}},
		})
	}
	byID := map[string]*MetricPoints{}
	out := make([]MetricPoints, len(qs))
	for i, q := range qs {
		out[i].Name = q.Name
		byID[metricID(i)] = &out[i]
	}
	c := cloudwatch.NewFromConfig(cfg)
	for page := 0; page < maxLogPages; page++ {
		res, err := c.GetMetricData(ctx, in)
		if err != nil {
			return nil, err
		}
		for _, r := range res.MetricDataResults {
			if mp := byID[aws.ToString(r.Id)]; mp != nil {
				mp.Times = append(mp.Times, r.Timestamps...)
				mp.Values = append(mp.Values, r.Values...)
			}
		}
		if res.NextToken == nil {
			break
		}
		in.NextToken = res.NextToken
	}
	return out, nil
}

// metricID is a GetMetricData query id (lower-case letter first).
func metricID(i int) string { return "m" + string(rune('a'+i)) }
