package integration

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/esmdoctor/esmdoctor/testbed/awsfake"
)

// logLine is one log event to put into moto's CloudWatch Logs.
type logLine struct {
	at  time.Time
	msg string
}

// writeLogs creates group and its streams in moto, holding the lines.
func writeLogs(t *testing.T, a awsBed, group string, streams map[string][]logLine) {
	t.Helper()
	c := cloudwatchlogs.NewFromConfig(a.motoConfig(awsRegion))
	if _, err := c.CreateLogGroup(a.ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)}); err != nil {
		t.Fatal(err)
	}
	for name, lines := range streams {
		if _, err := c.CreateLogStream(a.ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String(name)}); err != nil {
			t.Fatal(err)
		}
		var evs []logtypes.InputLogEvent
		for _, l := range lines {
			evs = append(evs, logtypes.InputLogEvent{Message: aws.String(l.msg), Timestamp: aws.Int64(l.at.UnixMilli())})
		}
		if _, err := c.PutLogEvents(a.ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(name), LogEvents: evs}); err != nil {
			t.Fatal(err)
		}
	}
}

// putMetric puts one datapoint per value of a mapping metric, a minute
// apart, ending a minute before now.
func putMetric(t *testing.T, a awsBed, uuid, name string, now time.Time, values ...float64) {
	t.Helper()
	c := cloudwatch.NewFromConfig(a.motoConfig(awsRegion))
	for i, v := range values {
		_, err := c.PutMetricData(a.ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("AWS/Lambda"), MetricData: []cwtypes.MetricDatum{{
			MetricName: aws.String(name), Value: aws.Float64(v), Timestamp: aws.Time(now.Add(time.Duration(i-len(values)) * time.Minute)),
			Dimensions: []cwtypes.Dimension{{Name: aws.String("EventSourceMappingUUID"), Value: aws.String(uuid)}}}}})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// healthMapping registers a self-managed SCRAM mapping on the test bed
// with system logs (INFO) and Kafka metrics on, in both subnets of a moto
// VPC; it returns the mapping's UUID, its function's log group and role.
func healthMapping(t *testing.T, a awsBed, name string, n int) (uuid, group, role string, v *vpcBed) {
	fn, role := a.function(t, name)
	uuid = a.uuid(n)
	v = a.newVPC(t)
	v.vpnRoute("127.0.0.0/8")
	scram := a.secret(t, awsRegion, "esm-scram-"+uuid[len(uuid)-2:], scramJSON(a.Get("SCRAM_USER"), a.Get("SCRAM_PASSWORD")), "")
	ca := a.secret(t, awsRegion, "esm-ca-"+uuid[len(uuid)-2:], a.caJSON(), "")
	a.fake.AddMapping(awsfake.Mapping{UUID: uuid, FunctionARN: fn, Bootstrap: []string{a.Get("SASL_SSL")}, Topics: []string{a.Get("TOPIC")},
		ConsumerGroupID: a.group() + "-health", LastProcessingResult: "OK", AccessConfigs: [][2]string{{"SASL_SCRAM_512_AUTH", scram}, {"SERVER_ROOT_CA_CERTIFICATE", ca},
			{"VPC_SUBNET", "subnet:" + v.Subnets[0]}, {"VPC_SUBNET", "subnet:" + v.Subnets[1]}, {"VPC_SECURITY_GROUP", "security_group:" + v.SG}},
		Extra: map[string]any{"LoggingConfig": map[string]any{"SystemLogLevel": "INFO"}, "MetricsConfig": map[string]any{"Metrics": []string{"EventCount", "ErrorCount", "KafkaMetrics"}},
			"ProvisionedPollerConfig": map[string]any{"MinimumPollers": 1, "MaximumPollers": 3}}})
	return uuid, "/aws/lambda/" + fn[strings.LastIndexByte(fn, ':')+1:], role, v
}

// checkOf returns one check of a CLI report.
func checkOf(t *testing.T, r cliReport, id string) (status, code, cause, detail string) {
	t.Helper()
	for _, c := range r.Checks {
		if c.ID == id {
			return c.Status, c.Code, c.Cause, strings.Join(c.Detail, "\n")
		}
	}
	t.Fatalf("no %s check in the report", id)
	return
}

// TestHealthLogsDisagreeWithLiveTopic is issue 13's done-when: the
// mapping's system logs (moto's CloudWatch Logs, lines shaped as
// reference section 8) show TopicAuthorizationException while the live
// topic check against the test bed broker passes: the health check says
// both, and which is newer. The pollers' logged security group and subnet
// are what the network audit judges; the metrics (PutMetricData, then one
// GetMetricData) show polling errors and a rising lag.
func TestHealthLogsDisagreeWithLiveTopic(t *testing.T) {
	a := requireAWS(t)
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", a.moto)
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH", a.moto)
	uuid, group, role, v := healthMapping(t, a, "orders-health", 80)
	actualSG := v.group("pollers-actual")
	now := time.Now().UTC().Truncate(time.Second)
	topicDenied := `{"timestamp":"%s","logLevel":"WARN","eventType":"ESM_PROCESSING_EVENT","errorCode":"org.apache.kafka.common.errors.TopicAuthorizationException","errorMessage":"Not authorized to access topics: [` + a.Get("TOPIC") + `]"}`
	poller := `{"timestamp":"%s","logLevel":"INFO","eventType":"POLLER_STATUS_EVENT","brokerEndpoints":["` + a.Get("SASL_SSL") + `"],"securityProtocol":"SASL_SSL","saslMechanism":"SCRAM-SHA-512","consumerGroupId":"` + a.group() + `-health","networkConfig":{"ipAddresses":["` + v.CIDRPrefix + `.2.7"],"subnetCidrBlock":"` + v.CIDRPrefix + `.2.0/24","securityGroups":["` + actualSG + `"]}}`
	at := func(m int) time.Time { return now.Add(time.Duration(-m) * time.Minute) }
	line := func(format string, m int) logLine {
		return logLine{at(m), fmt.Sprintf(format, at(m).Format(time.RFC3339))}
	}
	writeLogs(t, a, group, map[string][]logLine{
		// The first event is older than --since: not counted.
		now.Format("2006/01/02") + "/" + uuid:           {line(topicDenied, 180), line(poller, 20), line(topicDenied, 12), line(topicDenied, 5)},
		now.Format("2006/01/02") + "/[$LATEST]0123abcd": {{at(3), "START RequestId: r1 Version: $LATEST"}},
	})
	putMetric(t, a, uuid, "PollingErrorCount", now, 0, 1, 2)
	putMetric(t, a, uuid, "MaxOffsetLag", now, 0, 0, 4, 9)

	code, out, errOut := cliRun(t, nil, "check", "--esm", uuid, "--role-arn", role, "-o", "json")
	r := parseReport(t, out)
	if st, c, _, _ := checkOf(t, r, "topic"); st != "pass" {
		t.Fatalf("exit %d: the live topic check is %s %s, want pass\n%s", code, st, c, errOut)
	}
	st, c, cause, detail := checkOf(t, r, "health")
	if st != "warn" || c != "ESM-HEALTH-102" {
		t.Fatalf("health %s %s: %s\n%s", st, c, cause, detail)
	}
	for _, want := range []string{
		"2 ESM_PROCESSING_EVENT event(s) with org.apache.kafka.common.errors.TopicAuthorizationException in the mapping's system logs, the last at " + at(5).Format(time.RFC3339),
		"(ESM-TOPIC-002: PROBLEM: Cluster failed to authorize Lambda.), but the live topic check passed at ",
		"the logs and the live check disagree; the live check is newer, by ",
	} {
		if !strings.Contains(cause, want) {
			t.Errorf("health cause lacks %q:\n%s", want, cause)
		}
	}
	for _, want := range []string{
		"ESM_PROCESSING_EVENT org.apache.kafka.common.errors.TopicAuthorizationException: 2 event(s), first " + at(12).Format(time.RFC3339) + ", last " + at(5).Format(time.RFC3339) + "; sample: Not authorized to access topics: [" + a.Get("TOPIC") + "]",
		"POLLER_STATUS_EVENT: 1 event(s)",
		"pollers (POLLER_STATUS_EVENT networkConfig): IP addresses " + v.CIDRPrefix + ".2.7, subnet CIDR " + v.CIDRPrefix + ".2.0/24, security groups " + actualSG,
		"  PollingErrorCount: total 3, peak 2, last 2 over 3 datapoint(s), rising",
		"  MaxOffsetLag: last 9, peak 9 over 4 datapoint(s), rising",
		"also warn ESM-HEALTH-104: over the last 1h: PollingErrorCount total 3",
		"also warn ESM-HEALTH-105: over the last 1h: MaxOffsetLag",
	} {
		if !strings.Contains(detail, want) {
			t.Errorf("health detail lacks %q:\n%s", want, detail)
		}
	}
	if strings.Contains(detail, "3 event(s)") {
		t.Errorf("an event older than --since was counted:\n%s", detail)
	}
	_, _, _, net := checkOf(t, r, "network")
	for _, want := range []string{
		"the audit uses the pollers' actual security groups " + actualSG + " (the mapping's configuration names " + v.SG + ")",
		"the audit uses the pollers' actual subnet " + v.Subnets[1] + " (" + v.CIDRPrefix + ".2.0/24) of the configured " + v.Subnets[0] + ", " + v.Subnets[1],
	} {
		if !strings.Contains(net, want) {
			t.Errorf("network detail lacks %q:\n%s", want, net)
		}
	}
	notes := strings.Join(r.Notes, "\n")
	for _, want := range []string{"recent health (last 1h), system logs: 3 system event(s), errors: 2 × TopicAuthorizationException (last " + at(5).Format(time.RFC3339) + ")",
		"recent health (last 1h), metrics: PollingErrorCount 3 (rising), InvokeErrorCount no data"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	// The text report states it too, without --verbose.
	_, text, _ := cliRun(t, nil, "check", "--esm", uuid, "--role-arn", role, "--since", "30m")
	for _, want := range []string{"ESM-HEALTH-102", "recent health (last 30m), system logs: 3 system event(s)"} {
		if !strings.Contains(text, want) {
			t.Errorf("text report lacks %q:\n%s", want, text)
		}
	}
}

// TestHealthPermissionsMissing: esmdoctor's identity may not read the logs
// (logs:DescribeLogStreams, AccessDeniedException) nor the metrics
// (cloudwatch:GetMetricData, AccessDenied): the health check warns,
// naming each missing permission; the rest of the run is unchanged.
func TestHealthPermissionsMissing(t *testing.T) {
	a := requireAWS(t)
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", a.fake.URL())
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH", a.fake.URL())
	uuid, group, role, _ := healthMapping(t, a, "orders-health-denied", 81)
	a.fake.Fail("logs:"+group, awsfake.AccessDenied)
	a.fake.Fail("GetMetricData", awsfake.Failure{Status: 403, Code: "AccessDenied", Message: "User is not authorized to perform: cloudwatch:GetMetricData"})
	_, out, _ := cliRun(t, nil, "check", "--esm", uuid, "--role-arn", role, "-o", "json")
	r := parseReport(t, out)
	st, c, cause, detail := checkOf(t, r, "health")
	if st != "warn" || c != "ESM-HEALTH-106" || !strings.HasPrefix(cause, "logs:DescribeLogStreams on "+group+" as ") ||
		!strings.HasSuffix(cause, " returned AccessDeniedException: User is not authorized to perform this action") {
		t.Fatalf("health %s %s: %s\n%s", st, c, cause, detail)
	}
	if !strings.Contains(detail, "also warn ESM-HEALTH-107: cloudwatch:GetMetricData as ") ||
		!strings.Contains(detail, "returned AccessDenied: User is not authorized to perform: cloudwatch:GetMetricData; fix: allow esmdoctor's identity cloudwatch:GetMetricData") {
		t.Fatalf("health detail:\n%s", detail)
	}
	if st, _, _, _ := checkOf(t, r, "topic"); st != "pass" {
		t.Fatalf("topic %s", st)
	}
}
