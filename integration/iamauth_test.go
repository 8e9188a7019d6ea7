package integration

import (
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/testbed/awsfake"
)

// IAM_AUTH on a self-managed source: an MSK IAM login to the brokers given
// (the 3.9.2 broker's IAM listener, which checks SigV4 tokens for
// us-east-1), selected by the access configuration type rather than
// --auth, from create-event-source-mapping shaped flags and from a mapping
// read with --esm.

const iamAuthHealthy = "mapping=skip api=pass sts=pass secret=pass cluster=skip network=skip permissions=skip dns=pass tcp=pass tls=pass token=skip sasl=pass topic=pass brokers=pass group=pass poll=pass registry=skip lambda-endpoint=pass health=skip"

// iamAuthFlags are the flags of a self-managed IAM_AUTH mapping.
func iamAuthFlags(a awsBed) []string {
	return []string{"check", "-o", "json", "--self-managed-event-source", `{"Endpoints":{"KAFKA_BOOTSTRAP_SERVERS":["` + a.Get("IAM") + `"]}}`,
		"--topics", a.Get("TOPIC"), "--consumer-group-id", a.group(), "--source-access-configuration", "Type=IAM_AUTH",
		"--ca-file", a.Get("CA_PEM")}
}

func TestIAMAuthSelfManagedFlags(t *testing.T) {
	a := requireAWS(t)
	t.Run("healthy", func(t *testing.T) {
		code, out, errOut := cliRun(t, nil, iamAuthFlags(a)...)
		r := parseReport(t, out)
		if code != 0 || r.statuses() != iamAuthHealthy || r.Target.Auth != "iam" {
			t.Fatalf("exit %d auth %q statuses %s\n%s%s", code, r.Target.Auth, r.statuses(), out, errOut)
		}
		sasl := r.Checks[r.index(t, "sasl")]
		if sasl.ID != "sasl" || !strings.Contains(strings.Join(sasl.Detail, "\n"), "MSK IAM (OAUTHBEARER) login as arn:aws:sts::"+motoAccount+":user/moto accepted") {
			t.Fatalf("sasl %+v", sasl)
		}
	})
	t.Run("signed with a wrong secret key", func(t *testing.T) {
		env := []string{"AWS_SECRET_ACCESS_KEY=" + a.Get("IAM_SECRET_ACCESS_KEY") + "x"}
		code, out, errOut := cliRun(t, env, iamAuthFlags(a)...)
		r := parseReport(t, out)
		want := "mapping=skip api=pass sts=pass secret=pass cluster=skip network=skip permissions=skip dns=pass tcp=pass tls=pass token=skip sasl=fail(ESM-SASL-010) topic=skip brokers=skip group=skip poll=skip registry=skip lambda-endpoint=pass health=skip"
		if code != 1 || r.statuses() != want {
			t.Fatalf("exit %d statuses %s\n%s%s", code, r.statuses(), out, errOut)
		}
		if c := r.Checks[r.index(t, "sasl")]; c.Problem != "PROBLEM: SASL authentication failed." || !strings.Contains(c.Cause, "Kafka error 58 SASL_AUTHENTICATION_FAILED") {
			t.Fatalf("sasl %+v", c)
		}
	})
	t.Run("identity without kafka-cluster permissions", func(t *testing.T) {
		env := []string{"AWS_ACCESS_KEY_ID=" + a.Get("IAM_NOACL_ACCESS_KEY_ID"), "AWS_SECRET_ACCESS_KEY=" + a.Get("IAM_NOACL_SECRET_ACCESS_KEY")}
		code, out, errOut := cliRun(t, env, iamAuthFlags(a)...)
		r := parseReport(t, out)
		if code != 1 || r.statusesBut("brokers", "group", "poll", "registry", "lambda-endpoint", "health") != "mapping=skip api=pass sts=pass secret=pass cluster=skip network=skip permissions=skip dns=pass tcp=pass tls=pass token=skip sasl=pass topic=fail(ESM-TOPIC-005)" {
			t.Fatalf("exit %d statuses %s\n%s%s", code, r.statuses(), out, errOut)
		}
		if c := r.Checks[r.index(t, "topic")]; !strings.Contains(c.Cause, "kafka-cluster:DescribeTopic") {
			t.Fatalf("topic %+v", c)
		}
	})
}

// The same mapping read from Lambda: IAM_AUTH in its SourceAccessConfigurations.
func TestIAMAuthSelfManagedMapping(t *testing.T) {
	a := requireAWS(t)
	fn, _ := a.function(t, "iam-auth")
	id := a.uuid(40)
	ca := a.secret(t, awsRegion, "esm-iam-ca", a.caJSON(), "")
	a.fake.AddMapping(awsfake.Mapping{UUID: id, FunctionARN: fn, Bootstrap: []string{a.Get("IAM")}, Topics: []string{a.Get("TOPIC")},
		ConsumerGroupID: a.group(), LastProcessingResult: "OK", AccessConfigs: [][2]string{{"IAM_AUTH", ""}, {"SERVER_ROOT_CA_CERTIFICATE", ca}}})
	code, out, errOut := cliRun(t, nil, "check", "--esm", id, "-o", "json")
	r := parseReport(t, out)
	if r.Target.Auth != "iam" || r.statusesBut("mapping", "sts", "network", "permissions", "lambda-endpoint", "health") !=
		"api=pass secret=pass cluster=skip dns=pass tcp=pass tls=pass token=skip sasl=pass topic=pass brokers=pass group=pass poll=pass registry=skip" {
		t.Fatalf("exit %d auth %q statuses %s\n%s%s", code, r.Target.Auth, r.statuses(), out, errOut)
	}
}

// index is the position of check id in the report.
func (r cliReport) index(t *testing.T, id string) int {
	t.Helper()
	for i, c := range r.Checks {
		if c.ID == id {
			return i
		}
	}
	t.Fatalf("no %s check in the report", id)
	return -1
}
