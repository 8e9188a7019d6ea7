package integration

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/resolve"
	"github.com/esmdoctor/esmdoctor/testbed/awsfake"
)

// The AWS half of issue 10: a cluster that is not ACTIVE, throttling,
// Regions, KMS denial, and the mapping read as esmdoctor's own identity
// within the run's deadline.

const clusterStop = "mapping=skip api=pass sts=pass secret=pass cluster=fail(%s) network=skip permissions=skip dns=skip tcp=skip tls=skip token=skip sasl=skip topic=skip brokers=skip group=skip poll=skip registry=skip lambda-endpoint=pass health=skip"

// Real MSK refuses GetBootstrapBrokers for a cluster that is not ACTIVE
// (HTTP 400 BadRequestException, as awsfake does too): esmdoctor reads the
// state first and reports it, with the refusal as the reason.
func TestAWSMSKClusterNotActive(t *testing.T) {
	a := requireAWS(t)
	for _, state := range []string{"CREATING", "UPDATING", "FAILED"} {
		t.Run(state, func(t *testing.T) {
			arn := mskCluster(t, a, awsfake.Cluster{ARN: a.clusterARN("state-" + strings.ToLower(state)), State: state, IAM: true,
				Bootstrap: awsfake.Bootstrap{SASLIAM: a.Get("IAM")}})
			rs := runAWS(t, mskConfig(a, arn, nil))
			wantStatuses(t, rs, fmt.Sprintf(clusterStop, "ESM-CLUSTER-005"))
			r := find(t, rs, "cluster")
			wantProblem(t, r, "P1")
			wantNoPlaceholder(t, r)
			want := arn + " is " + state + ": MSK gives no bootstrap brokers until it is ACTIVE (GetBootstrapBrokers: BadRequestException: " +
				"You can't get bootstrap broker nodes for a cluster in " + state + " state.)"
			if r.Cause() != want || r.Args["state"] != state {
				t.Fatalf("cause %q\nwant  %q", r.Cause(), want)
			}
		})
	}
}

// One 429 answer: the SDK's retry succeeds within the step; a 429 whose
// retry never answers is reported as throttling with AWS's answer, not as
// packets dropped.
func TestAWSThrottlingIsNotADroppedPacket(t *testing.T) {
	a := requireAWS(t)
	iam := awsfake.Cluster{IAM: true, Bootstrap: awsfake.Bootstrap{SASLIAM: a.Get("IAM")}}
	once := awsfake.Throttled
	once.Times = 1
	arn := mskCluster(t, a, iam)
	a.fake.Fail(arn, once)
	cfg := mskConfig(a, arn, nil)
	cfg.Timeout = 4 * time.Second
	wantStatuses(t, runAWS(t, cfg), strings.Replace(allPass, "cluster=skip", "cluster=pass", 1))

	hang := once
	hang.Hang = true
	arn = mskCluster(t, a, iam)
	a.fake.Fail(arn, hang)
	cfg = mskConfig(a, arn, nil)
	cfg.Timeout = 4 * time.Second
	rs := runAWS(t, cfg)
	wantStatuses(t, rs, fmt.Sprintf(clusterStop, "ESM-CLUSTER-003"))
	r := find(t, rs, "cluster")
	wantNoPlaceholder(t, r)
	if r.Args["api_code"] != "TooManyRequestsException" || !strings.Contains(r.Cause(), "kafka:DescribeClusterV2 on "+arn+" returned TooManyRequestsException: Rate exceeded") ||
		!strings.Contains(r.Remediation(), "the MSK API throttled the call (1 such answer(s), then the retry got no answer within the step budget)") {
		t.Fatalf("cause %q fix %q", r.Cause(), r.Remediation())
	}
	if s := r.Cause() + r.Remediation(); strings.Contains(s, "packets dropped") || strings.Contains(s, "deadline exceeded") {
		t.Fatalf("throttling reported as a timeout: %s", s)
	}
}

// --region us-west-2 with a us-east-1 cluster: the cluster's own call goes
// to us-east-1 (its ARN's Region), and the mismatch fails naming both
// Regions and the input to correct.
func TestAWSClusterInAnotherRegion(t *testing.T) {
	a := requireAWS(t)
	arn := mskCluster(t, a, awsfake.Cluster{IAM: true, Bootstrap: awsfake.Bootstrap{SASLIAM: a.Get("IAM")}})
	rs := runAWS(t, mskConfig(a, arn, nil, func(c *checks.AWSConfig) {
		c.Options.Region, c.RegionFrom = "us-west-2", resolve.RegionFromFlag
	}))
	wantStatuses(t, rs, fmt.Sprintf(clusterStop, "ESM-CLUSTER-009"))
	r := find(t, rs, "cluster")
	wantNoPlaceholder(t, r)
	if want := arn + " is in us-east-1, the function in us-west-2 (from --region)"; !strings.HasPrefix(r.Cause(), want) {
		t.Fatalf("cause %q, want %q", r.Cause(), want)
	}
	if want := "if the function runs in us-east-1, correct --region (--region us-east-1); otherwise point the mapping (its EventSourceArn) at an MSK cluster in us-west-2"; !strings.HasPrefix(r.Remediation(), want) {
		t.Fatalf("fix %q, want %q", r.Remediation(), want)
	}
}

// Secrets Manager answers a caller without kms:Decrypt with
// AccessDeniedException "Access to KMS is not allowed": that is the KMS
// code with kms:Decrypt in the fix; a denial on the secret itself stays
// the access code.
func TestAWSKMSDenialIsKMS(t *testing.T) {
	a := requireAWS(t)
	t.Setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", a.fake.URL())
	cmk := "arn:aws:kms:us-east-1:" + motoAccount + ":key/2b3c4d5e-6f70-4a81-9b2c-3d4e5f607182"
	cred := scramJSON(a.Get("SCRAM_USER"), a.Get("SCRAM_PASSWORD"))
	kms, denied := a.secret(t, awsRegion, "esm-kms", cred, cmk), a.secret(t, awsRegion, "esm-denied", cred, cmk)
	a.fake.Fail(kms, awsfake.KMSDenied)
	a.fake.Fail(denied, awsfake.AccessDenied)
	stop := "mapping=skip api=pass sts=pass secret=fail(%s) cluster=skip network=skip permissions=skip dns=pass tcp=pass tls=skip token=skip sasl=skip topic=skip brokers=skip group=skip poll=skip registry=skip lambda-endpoint=pass health=skip"

	rs := runAWS(t, fromSecretsManager(scramCfg(a), kms, ""))
	wantStatuses(t, rs, fmt.Sprintf(stop, "ESM-SECRET-015"))
	r := find(t, rs, "secret")
	wantNoPlaceholder(t, r)
	if want := kms + ": Secrets Manager cannot decrypt the secret with KMS key " + cmk + " for arn:aws:sts::" + motoAccount + ":user/moto (AccessDeniedException: Access to KMS is not allowed)"; r.Cause() != want {
		t.Fatalf("cause %q\nwant  %q", r.Cause(), want)
	}
	if !strings.HasPrefix(r.Remediation(), "allow kms:Decrypt on KMS key "+cmk+" for the execution role") {
		t.Fatalf("fix %q", r.Remediation())
	}

	rs = runAWS(t, fromSecretsManager(scramCfg(a), denied, ""))
	wantStatuses(t, rs, fmt.Sprintf(stop, "ESM-SECRET-014"))
}

// A self-managed mapping whose secret lives in eu-west-1 while its
// function is in us-east-1: the function's Region is read from the
// mapping, so the fix is to move the secret, not to change --region.
func TestAWSCLISecretInAnotherRegion(t *testing.T) {
	a := requireAWS(t)
	fn, role := a.function(t, "region-consumer")
	elsewhere := a.secret(t, "eu-west-1", "esm-elsewhere", scramJSON(a.Get("SCRAM_USER"), a.Get("SCRAM_PASSWORD")), "")
	id := a.uuid(31)
	a.fake.AddMapping(awsfake.Mapping{UUID: id, FunctionARN: fn, Bootstrap: []string{a.Get("SASL_SSL")}, Topics: []string{a.Get("TOPIC")},
		AccessConfigs: [][2]string{{"SASL_SCRAM_512_AUTH", elsewhere}}})
	code, out, errOut := cliRun(t, nil, "check", "--esm", id, "--role-arn", role, "-o", "json")
	r := parseReport(t, out)
	want := "mapping=pass api=pass sts=pass secret=fail(ESM-SECRET-016) cluster=skip network=skip permissions=warn(ESM-PERM-101) dns=pass tcp=pass tls=skip token=skip sasl=skip topic=skip brokers=skip group=skip poll=skip registry=skip lambda-endpoint=pass health=skip"
	if code != 1 || r.statuses() != want {
		t.Fatalf("exit %d statuses %s\n%s%s", code, r.statuses(), out, errOut)
	}
	sec := r.Checks[3]
	if c := elsewhere + " lives in eu-west-1, the function in us-east-1 (from the Region of the mapping's function " + fn + ")"; sec.Cause != c {
		t.Fatalf("cause %q\nwant  %q", sec.Cause, c)
	}
	if strings.Contains(sec.Remediation, "--region") || !strings.HasPrefix(sec.Remediation, "create (or replicate) the secret in us-east-1") {
		t.Fatalf("fix %q", sec.Remediation)
	}
}

// --esm with --role-arn: the mapping and the function's configuration are
// read with esmdoctor's own credentials, the secret with the role's, as
// the mapping does.
func TestAWSCLIMappingReadAsOwnIdentity(t *testing.T) {
	a := requireAWS(t)
	fn, role := a.function(t, "own-identity")
	id := a.uuid(32)
	selfManagedMapping(t, a, id, fn, a.Get("SCRAM_PASSWORD"), "")
	code, out, errOut := cliRun(t, nil, "check", "--esm", id, "--role-arn", role, "-o", "json")
	if r := parseReport(t, out); code != 0 || r.Checks[0].ID != "mapping" || r.Checks[0].Status != "pass" {
		t.Fatalf("exit %d statuses %s\n%s", code, r.statuses(), errOut)
	}
	own := a.Get("IAM_ACCESS_KEY_ID")
	for _, op := range []string{"GetEventSourceMapping", "GetFunctionConfiguration"} {
		keys := a.fake.Signers(op)
		if len(keys) == 0 {
			t.Fatalf("no %s call reached the fake", op)
		}
		for _, k := range keys {
			if k != own {
				t.Errorf("%s signed with %s, want esmdoctor's own key %s", op, k, own)
			}
		}
	}
}

// A run with --esm keeps to --timeout even when every AWS answer is slow:
// reading the mapping is inside the run's clock. Every AWS endpoint is the
// fake, answering each call after 800ms (forwarding to moto), so the AWS
// calls alone need longer than the run has.
func TestAWSCLISlowAWSKeepsToTimeout(t *testing.T) {
	a := requireAWS(t)
	fn, role := a.function(t, "slow-aws")
	id := a.uuid(33)
	selfManagedMapping(t, a, id, fn, a.Get("SCRAM_PASSWORD"), "")
	a.fake.SetDelay(800 * time.Millisecond)
	env := []string{"AWS_ENDPOINT_URL_STS=" + a.fake.URL(), "AWS_ENDPOINT_URL_SECRETS_MANAGER=" + a.fake.URL()}
	const timeout = 4 * time.Second
	esmdoctorCLI(t) // built before the clock starts
	start := time.Now()
	code, out, errOut := cliRun(t, env, "check", "--esm", id, "--role-arn", role, "--timeout", timeout.String(), "-o", "json")
	wall := time.Since(start)
	if wall > timeout+time.Second {
		t.Errorf("wall time %s, want at most --timeout + 1s (%s)", wall, timeout+time.Second)
	}
	r := parseReport(t, out)
	// The checks the deadline cut short are skips, and the run is no pass.
	if code != 1 || r.Verdict != "fail" || !r.DeadlineReached || r.Checks[0].ID != "mapping" || r.Checks[0].Status != "pass" ||
		!strings.Contains(out, "run deadline (--timeout)") {
		t.Fatalf("exit %d statuses %s\n%s%s", code, r.statuses(), out, errOut)
	}
	t.Logf("wall %s: %s", wall.Round(10*time.Millisecond), r.statuses())
}

// The README's first AWS example with a role esmdoctor may not assume: the
// mapping is still read (esmdoctor's own identity), and the denial is what
// Lambda would meet, ESM-STS-005 with P3; before, the user was told the
// mapping could not be read.
func TestAWSCLIAssumeRoleDenied(t *testing.T) {
	a := requireAWS(t)
	fn, role := a.function(t, "untrusting")
	id := a.uuid(34)
	selfManagedMapping(t, a, id, fn, a.Get("SCRAM_PASSWORD"), "")
	a.fake.Fail(role, awsfake.AssumeRoleDenied)
	code, out, errOut := cliRun(t, []string{"AWS_ENDPOINT_URL_STS=" + a.fake.URL()}, "check", "--esm", id, "--role-arn", role, "-o", "json")
	r := parseReport(t, out)
	want := "mapping=pass api=pass sts=fail(ESM-STS-005) secret=skip cluster=skip network=skip permissions=skip dns=skip tcp=skip tls=skip token=skip sasl=skip topic=skip brokers=skip group=skip poll=skip registry=skip lambda-endpoint=pass health=skip"
	if code != 1 || r.statuses() != want {
		t.Fatalf("exit %d statuses %s\n%s%s", code, r.statuses(), out, errOut)
	}
	sts := r.Checks[2]
	if sts.Problem == "" || !strings.HasPrefix(sts.Problem, "PROBLEM: Lambda failed to assume your function execution role.") ||
		!strings.Contains(sts.Cause, "AccessDenied") {
		t.Fatalf("sts %+v", sts)
	}
}

// AssumeRole throttled once, its retry unanswered: sts reports STS's
// answer (throttling), not a credential source that did not answer.
func TestAWSAssumeRoleThrottled(t *testing.T) {
	a := requireAWS(t)
	t.Setenv("AWS_ENDPOINT_URL_STS", a.fake.URL())
	role := "arn:aws:iam::" + motoAccount + ":role/throttled-" + a.tag
	a.fake.Fail(role, awsfake.Failure{Status: 400, Code: "Throttling", Message: "Rate exceeded", Times: 1, Hang: true})
	cfg := scramCfg(a, func(c *checks.AWSConfig) { c.Options.RoleARN = role })
	cfg.Timeout = 4 * time.Second
	rs := runAWS(t, cfg)
	r := find(t, rs, "sts")
	wantNoPlaceholder(t, r)
	if r.Code != "ESM-STS-004" || r.Args["api_code"] != "Throttling" ||
		!strings.Contains(r.Remediation(), "STS throttled the call (1 such answer(s), then the retry got no answer within the step budget)") {
		t.Fatalf("sts %s %s: cause %q fix %q", r.Status, r.Code, r.Cause(), r.Remediation())
	}
}
