package integration

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/awsprobe/health"
	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/esmhealth"
	"github.com/esmdoctor/esmdoctor/model"
)

// putSystemLogs writes system log lines into moto's CloudWatch Logs: the
// mapping's stream <date>/<UUID> in the function's log group, plus a
// stream of the function's own output that must be ignored.
func putSystemLogs(t *testing.T, a awsBed, group, uuid string, now time.Time) {
	t.Helper()
	c := cloudwatchlogs.NewFromConfig(a.motoConfig(awsRegion))
	if _, err := c.CreateLogGroup(a.ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)}); err != nil {
		t.Fatal(err)
	}
	streams := map[string][]string{
		now.Format("2006/01/02") + "/" + uuid: {
			`{"timestamp":"x","logLevel":"INFO","eventType":"POLLER_STATUS_EVENT","consumerGroupId":"` + uuid + `","networkConfig":{"ipAddresses":["10.0.1.7","10.0.1.8"],"subnetCidrBlock":"10.0.1.0/24","securityGroups":["sg-0abc"]}}`,
			`{"logLevel":"WARN","eventType":"ESM_PROCESSING_EVENT","errorCode":"org.apache.kafka.common.errors.TopicAuthorizationException","errorMessage":"Not authorized to access topics: [orders]"}`,
			`{"logLevel":"WARN","eventType":"ESM_PROCESSING_EVENT","errorCode":"org.apache.kafka.common.errors.TopicAuthorizationException","errorMessage":"Not authorized to access topics: [orders]"}`,
		},
		now.Format("2006/01/02") + "/[$LATEST]0123abcd": {`START RequestId: r1 Version: $LATEST`},
	}
	for name, lines := range streams {
		if _, err := c.CreateLogStream(a.ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String(name)}); err != nil {
			t.Fatal(err)
		}
		var evs []logtypes.InputLogEvent
		for i, l := range lines {
			evs = append(evs, logtypes.InputLogEvent{Message: aws.String(l), Timestamp: aws.Int64(now.Add(time.Duration(i-10) * time.Minute).UnixMilli())})
		}
		if _, err := c.PutLogEvents(a.ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(name), LogEvents: evs}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestMappingSystemLogs: the system log reader finds the mapping's stream
// in moto's CloudWatch Logs, and the analyzers count the logged
// TopicAuthorizationException, map it to ESM-TOPIC-002 and P5, and, with
// a live topic check that passes, say both and that the live one is newer.
func TestMappingSystemLogs(t *testing.T) {
	a := requireAWS(t)
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", a.moto)
	uuid := "a1b2c3d4-0000-4000-8000-" + a.tag + "0000"
	group := "/aws/lambda/esm-health-" + a.tag
	now := time.Now().UTC().Truncate(time.Second)
	putSystemLogs(t, a, group, uuid, now)
	s, err := awsprobe.Load(a.ctx, awsprobe.Options{})
	if err != nil {
		t.Fatal(err)
	}
	raw, truncated, err := health.SystemLogs(a.ctx, s.OwnConfig(), group, uuid, now.Add(-time.Hour), now.Add(time.Minute), awsTimeout)
	if err != nil || truncated || len(raw) != 3 {
		t.Fatalf("SystemLogs: %d events, truncated %v, err %v", len(raw), truncated, err)
	}
	var events []esmhealth.SystemEvent
	for _, r := range raw {
		if e, ok := esmhealth.ParseSystemEvent(r.Message, r.At); ok {
			events = append(events, e)
		}
	}
	sums := esmhealth.Summarize(events)
	f := esmhealth.Explain(sums, map[string]esmhealth.Live{"topic": {Status: model.Pass, At: now}})
	if len(f) != 1 || f[0].Count != 2 || f[0].Code != catalog.TOPIC002 || f[0].Problem != "PROBLEM: Cluster failed to authorize Lambda." {
		t.Fatalf("findings %+v", f)
	}
	if !f[0].Disagree || !strings.Contains(f[0].Live, "the logs and the live check disagree; the live check is newer") {
		t.Fatalf("live %q", f[0].Live)
	}
	if n := esmhealth.LatestNetwork(events); n == nil || n.SubnetCIDRBlock != "10.0.1.0/24" || len(n.IPAddresses) != 2 || n.SecurityGroups[0] != "sg-0abc" {
		t.Fatalf("network %+v", n)
	}
}

// TestMappingMetrics: PutMetricData into moto, then the metrics reader's
// one GetMetricData call returns each series and the trend rises.
func TestMappingMetrics(t *testing.T) {
	a := requireAWS(t)
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH", a.moto)
	uuid := "e5f6a7b8-0000-4000-8000-" + a.tag + "0000"
	now := time.Now().UTC().Truncate(time.Minute)
	c := cloudwatch.NewFromConfig(a.motoConfig(awsRegion))
	for i, v := range []float64{0, 1, 6, 9} {
		_, err := c.PutMetricData(a.ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("AWS/Lambda"), MetricData: []cwtypes.MetricDatum{{
			MetricName: aws.String("MaxOffsetLag"), Value: aws.Float64(v), Timestamp: aws.Time(now.Add(time.Duration(i-4) * 5 * time.Minute)),
			Dimensions: []cwtypes.Dimension{{Name: aws.String("EventSourceMappingUUID"), Value: aws.String(uuid)}}}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	s, err := awsprobe.Load(a.ctx, awsprobe.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var qs []health.MetricQuery
	for _, m := range esmhealth.KafkaMetrics() {
		qs = append(qs, health.MetricQuery{Name: m.Name, Stat: m.Stat})
	}
	series, err := health.MappingMetrics(a.ctx, s.OwnConfig(), uuid, qs, now.Add(-time.Hour), now.Add(time.Minute), awsTimeout)
	if err != nil || len(series) != 6 {
		t.Fatalf("MappingMetrics: %d series, err %v", len(series), err)
	}
	lines := map[string]string{}
	for _, mp := range series {
		es := esmhealth.Series{Name: mp.Name}
		for i := range mp.Times {
			es.Points = append(es.Points, esmhealth.Point{At: mp.Times[i], Value: mp.Values[i]})
		}
		lines[mp.Name] = es.Summarize().Line()
	}
	if lines["MaxOffsetLag"] != "MaxOffsetLag: last 9, peak 9 over 4 datapoint(s), rising" {
		t.Fatalf("MaxOffsetLag: %q", lines["MaxOffsetLag"])
	}
	if lines["CommitErrorCount"] != "CommitErrorCount: no datapoints in the window" {
		t.Fatalf("CommitErrorCount: %q", lines["CommitErrorCount"])
	}
}
