package checks

import (
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/esmhealth"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/netaudit"
)

var healthT0 = time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)

// healthRunState is a run whose mapping logs at level and whose log read
// (memoized, so no AWS call is made) returned events or err.
func healthRunState(level string, err error, events ...esmhealth.SystemEvent) *State {
	s := &State{Step: time.Second}
	s.Facts.Mapping = &MappingFacts{
		Mapping:  awsprobe.Mapping{UUID: "0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b", FunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:orders", Settings: awsprobe.Settings{SystemLogLevel: level}},
		Function: &awsprobe.Function{Role: "arn:aws:iam::123456789012:role/orders", LogGroup: "/aws/lambda/orders"}}
	s.health.logs = &logRead{Group: "/aws/lambda/orders", Events: events, Lines: len(events), Err: err}
	return s
}

func logged(class string, minute int) esmhealth.SystemEvent {
	return esmhealth.SystemEvent{Time: healthT0.Add(time.Duration(minute) * time.Minute), EventType: "ESM_PROCESSING_EVENT", LogLevel: "WARN",
		ErrorCode: "org.apache.kafka.common.errors." + class, ErrorMessage: "message of " + class}
}

// TestHealthLogsAgainstLive: a logged class whose live check passed is the
// result's code (ESM-HEALTH-102); one whose live check failed agrees
// (101), one esmdoctor does not know is 103; each follows as a detail
// line, and with metrics off the detail says how to turn them on.
func TestHealthLogsAgainstLive(t *testing.T) {
	s := healthRunState("WARN", nil, logged("TopicAuthorizationException", 1), logged("TopicAuthorizationException", 4),
		logged("SaslAuthenticationException", 2), logged("WeirdException", 3))
	s.health.record("topic", model.Pass, healthT0.Add(10*time.Minute))
	s.health.record("sasl", model.Fail, healthT0.Add(9*time.Minute))
	o := runHealth(context.Background(), s)
	if o.Status != model.Warn || o.Code != catalog.HEALTH102 || o.Args["last"] != "2026-11-30T10:04:00Z" || o.Args["code"] != catalog.TOPIC002 {
		t.Fatalf("%+v", o)
	}
	if !strings.Contains(o.Args["live"], "the live topic check passed at 2026-11-30T10:10:00Z: the logs and the live check disagree; the live check is newer, by 6m0s") {
		t.Fatalf("live %q", o.Args["live"])
	}
	detail := strings.Join(o.Detail, "\n")
	for _, want := range []string{
		"system logs (SystemLogLevel WARN): 4 system event(s) in 4 line(s) of the <date>/0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b streams of /aws/lambda/orders",
		"ESM_PROCESSING_EVENT org.apache.kafka.common.errors.TopicAuthorizationException: 2 event(s), first 2026-11-30T10:01:00Z, last 2026-11-30T10:04:00Z; sample: message of TopicAuthorizationException",
		"also warn ESM-HEALTH-101: 1 ESM_PROCESSING_EVENT event(s) with org.apache.kafka.common.errors.SaslAuthenticationException",
		"Lambda shows PROBLEM: SASL authentication failed. (ESM-SASL-001); the live sasl check fails too (at 2026-11-30T10:09:00Z): the logs and the live checks agree",
		"also warn ESM-HEALTH-103: 1 ESM_PROCESSING_EVENT event(s) with org.apache.kafka.common.errors.WeirdException between 2026-11-30T10:03:00Z and 2026-11-30T10:03:00Z: message of WeirdException",
		"the mapping's Kafka metrics are off: turn them on with `aws lambda update-event-source-mapping --uuid 0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b --metrics-config",
	} {
		if !strings.Contains(detail, want) {
			t.Errorf("detail lacks %q:\n%s", want, detail)
		}
	}
	if n := strings.Join(s.health.notes, "\n"); n != "recent health (last 1h), system logs: 4 system event(s), errors: 2 × TopicAuthorizationException (last 2026-11-30T10:04:00Z), 1 × WeirdException (last 2026-11-30T10:03:00Z), 1 × SaslAuthenticationException (last 2026-11-30T10:02:00Z)" {
		t.Fatalf("notes %q", n)
	}
}

// TestHealthQuietLogsPass: logs on, no error events: a pass.
func TestHealthQuietLogsPass(t *testing.T) {
	o := runHealth(context.Background(), healthRunState("INFO", nil))
	if o.Status != model.Pass || !strings.Contains(strings.Join(o.Detail, "\n"), "no system log events in the window") {
		t.Fatalf("%+v", o)
	}
}

// TestHealthLogReadFailures are classified by the AWS error code: a log
// group that does not exist is ESM-HEALTH-108 naming the execution role;
// a denial is ESM-HEALTH-106 naming the operation and the log group.
func TestHealthLogReadFailures(t *testing.T) {
	apiErr := func(code, msg string) error {
		return &smithy.OperationError{ServiceID: "CloudWatch Logs", OperationName: "DescribeLogStreams", Err: &smithy.GenericAPIError{Code: code, Message: msg}}
	}
	o := runHealth(context.Background(), healthRunState("WARN", apiErr("ResourceNotFoundException", "The specified log group does not exist.")))
	if o.Code != catalog.HEALTH108 || o.Args["role"] != "arn:aws:iam::123456789012:role/orders" || o.Args["log_group"] != "/aws/lambda/orders" {
		t.Fatalf("not found: %+v", o)
	}
	o = runHealth(context.Background(), healthRunState("WARN", apiErr("AccessDeniedException", "User is not authorized to perform: logs:DescribeLogStreams")))
	r := model.Result{Code: o.Code, Args: o.Args}
	if o.Status != model.Warn || o.Code != catalog.HEALTH106 ||
		r.Cause() != "logs:DescribeLogStreams on /aws/lambda/orders as esmdoctor's identity returned AccessDeniedException: User is not authorized to perform: logs:DescribeLogStreams" {
		t.Fatalf("denied: %+v %q", o, r.Cause())
	}
}

// TestHealthNotApplicable: without a mapping, and with its logs and
// metrics both off.
func TestHealthNotApplicable(t *testing.T) {
	if o := runHealth(context.Background(), &State{}); o.Status != model.Skip || !o.notApplicable {
		t.Fatalf("no mapping: %+v", o)
	}
	if o := runHealth(context.Background(), healthRunState("", nil)); o.Status != model.Skip || !strings.Contains(o.Reason, "system logs and metrics are off") {
		t.Fatalf("off: %+v", o)
	}
}

// TestLoggedPollerNetwork: the pollers' logged security groups replace
// the configured ones, and the audit narrows to the subnet whose CIDR
// block they log; a CIDR of no configured subnet changes nothing.
func TestLoggedPollerNetwork(t *testing.T) {
	p := netaudit.Placement{Subnets: []string{"subnet-a", "subnet-b"}, SecurityGroups: []string{"sg-config"}}
	n := &esmhealth.NetworkConfig{IPAddresses: []string{"10.0.2.7"}, SubnetCIDRBlock: "10.0.2.0/24", SecurityGroups: []string{"sg-actual"}}
	lines := withLoggedGroups(&p, n)
	if len(lines) != 2 || lines[1] != "the audit uses the pollers' actual security groups sg-actual (the mapping's configuration names sg-config)" || p.SecurityGroups[0] != "sg-actual" {
		t.Fatalf("groups: %q %+v", lines, p)
	}
	subnets := map[string]netaudit.Subnet{"subnet-a": {ID: "subnet-a", CIDR: netip.MustParsePrefix("10.0.1.0/24")}, "subnet-b": {ID: "subnet-b", CIDR: netip.MustParsePrefix("10.0.2.0/24")}}
	lines = withLoggedSubnet(&p, n, subnets)
	if len(lines) != 1 || lines[0] != "the audit uses the pollers' actual subnet subnet-b (10.0.2.0/24) of the configured subnet-a, subnet-b" || len(p.Subnets) != 1 {
		t.Fatalf("subnet: %q %+v", lines, p)
	}
	q := netaudit.Placement{Subnets: []string{"subnet-a"}}
	n.SubnetCIDRBlock = "10.9.0.0/24"
	if lines := withLoggedSubnet(&q, n, subnets); len(lines) != 1 || !strings.Contains(lines[0], "matches none of the configured subnets subnet-a") || q.Subnets[0] != "subnet-a" {
		t.Fatalf("foreign CIDR: %q %+v", lines, q)
	}
	if withLoggedGroups(&q, nil) != nil || withLoggedSubnet(&q, nil, subnets) != nil {
		t.Fatal("no logged network changed the placement")
	}
}

func TestFmtSince(t *testing.T) {
	for d, want := range map[time.Duration]string{time.Hour: "1h", 30 * time.Minute: "30m", 150 * time.Minute: "2h30m", 336 * time.Hour: "336h"} {
		if got := fmtSince(d); got != want {
			t.Errorf("%s: %s, want %s", d, got, want)
		}
	}
}
