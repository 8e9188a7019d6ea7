package integration

import (
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/testbed/awsfake"
)

// queueMapping registers a Queue mapping (SelfManagedKafkaEventSourceConfig
// ConsumptionMode Queue, no StartingPosition, as Lambda holds one) on
// kafka4's SHARE listener, its SCRAM secret and root CA in moto.
func queueMapping(t *testing.T, a awsBed, uuid, fnARN, user, group string) {
	scram := a.secret(t, awsRegion, "esm-share-"+uuid[len(uuid)-2:], scramJSON(user, a.Get("SCRAM_PASSWORD")), "")
	ca := a.secret(t, awsRegion, "esm-share-ca-"+uuid[len(uuid)-2:], a.caJSON(), "")
	a.fake.AddMapping(awsfake.Mapping{UUID: uuid, FunctionARN: fnARN, Bootstrap: []string{a.Get("KAFKA4_SHARE")}, Topics: []string{a.Get("TOPIC")},
		ConsumerGroupID: group, LastProcessingResult: "OK", AccessConfigs: [][2]string{{"SASL_SCRAM_512_AUTH", scram}, {"SERVER_ROOT_CA_CERTIFICATE", ca}},
		Extra: map[string]any{"StartingPosition": nil,
			"SelfManagedKafkaEventSourceConfig": map[string]any{"ConsumerGroupId": group, "ConsumptionMode": "Queue"}}})
}

// esmdoctor check --esm on Queue mappings: the mapping's
// ConsumptionMode reaches the group check, which checks the share group
// on Kafka 4.2.1; the notes say the mapping runs in Queue mode.
func TestAWSCLIQueueMappings(t *testing.T) {
	a := requireAWS(t)
	fn, role := a.function(t, "orders-queue")
	healthy, noRead := a.uuid(71), a.uuid(72)
	queueMapping(t, a, healthy, fn, a.Get("SHARE_USER"), a.Get("SHARE_EMPTY_GROUP"))
	queueMapping(t, a, noRead, fn, a.Get("SHARE_NOREAD_USER"), a.Get("SHARE_GROUP"))

	code, out, errOut := cliRun(t, nil, "check", "--esm", healthy, "--role-arn", role, "-o", "json")
	r := parseReport(t, out)
	g := reportCheck(t, r, "group")
	if code != 0 || g.Status != "pass" || r.Target.ConsumerGroup != a.Get("SHARE_EMPTY_GROUP") {
		t.Fatalf("exit %d, group %+v\n%s%s", code, g, out, errOut)
	}
	if d := strings.Join(g.Detail, "\n"); !strings.Contains(d, "share group "+a.Get("SHARE_EMPTY_GROUP")+": coordinator ") {
		t.Errorf("group detail:\n%s", d)
	}
	if n := strings.Join(r.Notes, "\n"); !strings.Contains(n, "consumption mode: Queue: the group id names a Kafka share group") {
		t.Errorf("notes:\n%s", n)
	}

	code, out, _ = cliRun(t, nil, "check", "--esm", noRead, "--role-arn", role, "-o", "json")
	g = reportCheck(t, parseReport(t, out), "group")
	if code != 1 || g.Status != "fail" || g.Code != "ESM-SHARE-003" || g.Problem != "PROBLEM: Cluster failed to authorize Lambda." ||
		!strings.HasPrefix(g.Cause, "User:"+a.Get("SHARE_NOREAD_USER")+` is missing: Read on Group "`+a.Get("SHARE_GROUP")+`"`) {
		t.Fatalf("exit %d, group %+v", code, g)
	}
}

// reportCheck is one check of a JSON report.
func reportCheck(t *testing.T, r cliReport, id string) struct {
	ID, Status, Code, Problem, Cause, Remediation, Reason string
	Detail                                                []string
} {
	t.Helper()
	for _, c := range r.Checks {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no %s check", id)
	return r.Checks[0]
}
