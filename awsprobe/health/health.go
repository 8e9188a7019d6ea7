// Package health reads what a Kafka event source mapping reports about
// itself through CloudWatch: its system log events and its metrics. It is
// apart from awsprobe so that the CloudWatch SDK modules are linked only
// into what uses them (they add several MB of resident memory).
package health

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// Bounds on what the health readers fetch: a mapping's system log streams
// (one per day) and their events, a page at a time.
const (
	maxLogStreams   = 50
	maxLogPages     = 10
	maxLogEvents    = 5000
	logPageEvents   = 1000
	metricPeriodSec = 60
)

// LogEvent is one log event: its time and message.
type LogEvent struct {
	At      time.Time
	Message string
}

// SystemLogs reads (with cfg: esmdoctor's own identity, Session.OwnConfig) a mapping's system log events from the function's log
// group between start and end: its streams are named <date>/<UUID>
// (logs:DescribeLogStreams, most recent first), and their events are read
// with logs:FilterLogEvents in bounded pages. truncated says the bounds
// stopped the read before the end.
func SystemLogs(ctx context.Context, cfg aws.Config, group, uuid string, start, end time.Time, budget time.Duration) (events []LogEvent, truncated bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	c := cloudwatchlogs.NewFromConfig(cfg)
	streams, err := mappingStreams(ctx, c, group, uuid, start)
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

// mappingStreams lists the streams of the mapping (names ending in
// "/<UUID>") with events after start, most recent first, bounded.
func mappingStreams(ctx context.Context, c *cloudwatchlogs.Client, group, uuid string, start time.Time) ([]string, error) {
	in := &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String(group), OrderBy: logtypes.OrderByLastEventTime,
		Descending: aws.Bool(true), Limit: aws.Int32(maxLogStreams)}
	var names []string
	for page := 0; page < maxLogPages; page++ {
		out, err := c.DescribeLogStreams(ctx, in)
		if err != nil {
			return nil, err
		}
		for _, st := range out.LogStreams {
			if last := aws.ToInt64(st.LastEventTimestamp); last != 0 && last < start.UnixMilli() {
				return names, nil
			}
			if strings.HasSuffix(aws.ToString(st.LogStreamName), "/"+uuid) && len(names) < maxLogStreams {
				names = append(names, aws.ToString(st.LogStreamName))
			}
		}
		if out.NextToken == nil || len(names) >= maxLogStreams {
			return names, nil
		}
		in.NextToken = out.NextToken
	}
	return names, nil
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
			MetricStat: &cwtypes.MetricStat{Period: aws.Int32(metricPeriodSec), Stat: aws.String(q.Stat),
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
