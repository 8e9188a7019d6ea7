// Package health reads what a Kafka event source mapping reports about
// itself through CloudWatch: its system log events (logs.go, through
// awsprobe's signed-call helper) and its metrics. It is apart from
// awsprobe so that the CloudWatch SDK module is linked only into what
// uses it.
package health

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
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
