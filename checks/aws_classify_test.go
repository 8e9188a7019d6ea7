package checks

import (
	"context"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/catalog"
)

// apiErr is an SDK error as a failed call returns it: the service's error
// code behind the operation.
func apiErr(service, op, code string) error {
	return &smithy.OperationError{ServiceID: service, OperationName: op,
		Err: &smithy.GenericAPIError{Code: code, Message: "message from " + service}}
}

func awsTestState() *State {
	return &State{Cfg: Config{AWS: &AWSConfig{Options: awsprobe.Options{Region: "us-east-1"}}, Now: time.Now}, Step: time.Second}
}

func TestClassifySTS(t *testing.T) {
	sess, err := awsprobe.Load(context.Background(), awsprobe.Options{Region: "us-east-1", RoleARN: "arn:aws:iam::123456789012:role/r"})
	if err != nil {
		t.Fatal(err)
	}
	creds := awsprobe.Credentials{AccessKeyID: "AKIAEXAMPLE", Source: "EnvConfigCredentials"}
	cases := []struct {
		err  error
		op   string
		want string
	}{
		{apiErr("STS", "AssumeRole", "AccessDenied"), "AssumeRole", "ESM-STS-005"},
		{apiErr("STS", "GetCallerIdentity", "ExpiredToken"), "GetCallerIdentity", "ESM-STS-002"},
		{apiErr("STS", "GetCallerIdentity", "InvalidClientTokenId"), "GetCallerIdentity", "ESM-STS-003"},
		{apiErr("STS", "GetCallerIdentity", "SignatureDoesNotMatch"), "GetCallerIdentity", "ESM-STS-003"},
		{apiErr("STS", "GetCallerIdentity", "Throttling"), "GetCallerIdentity", "ESM-STS-004"},
		{apiErr("STS", "GetCallerIdentity", "AccessDenied"), "GetCallerIdentity", "ESM-STS-004"},
		{opErr("dial", syscall.ECONNREFUSED), "GetCallerIdentity", "ESM-STS-006"},
		{context.DeadlineExceeded, "GetCallerIdentity", "ESM-STS-006"},
	}
	for _, c := range cases {
		o := stsFailure(context.Background(), c.err, sess, creds, awsTestState(), c.op)
		if o.Code != c.want {
			t.Errorf("%v: %s, want %s", c.err, o.Code, c.want)
		}
		assertFilled(t, o)
	}
	if p, _ := catalog.ProblemByID("P3"); !strings.HasPrefix(p.Text, "PROBLEM: Lambda failed to assume your function execution role.") {
		t.Fatalf("P3 %q", p.Text)
	}
}

func TestClassifySecretFetch(t *testing.T) {
	cmk := "arn:aws:kms:us-east-1:123456789012:key/k"
	cases := []struct {
		obs  awsprobe.Secret
		want string
		in   string // in the cause
	}{
		{awsprobe.Secret{Err: apiErr("Secrets Manager", "GetSecretValue", "ResourceNotFoundException")}, "ESM-SECRET-013", "no such secret"},
		{awsprobe.Secret{Err: apiErr("Secrets Manager", "GetSecretValue", "AccessDeniedException"), KMSKeyID: cmk}, "ESM-SECRET-014", "customer-managed key " + cmk},
		{awsprobe.Secret{Err: apiErr("Secrets Manager", "GetSecretValue", "DecryptionFailure"), KMSKeyID: cmk}, "ESM-SECRET-015", "KMS key " + cmk},
		{awsprobe.Secret{Err: apiErr("Secrets Manager", "GetSecretValue", "ThrottlingException")}, "ESM-SECRET-020", "ThrottlingException"},
		{awsprobe.Secret{Err: opErr("dial", syscall.ECONNREFUSED), Endpoint: "https://secretsmanager.us-east-1.amazonaws.com"}, "ESM-SECRET-017", "connection refused"},
	}
	for _, c := range cases {
		o := secretFetchFailure(c.obs, Args{"source": "arn:aws:secretsmanager:us-east-1:123456789012:secret:s", "region": "us-east-1", "caller": "me"}, awsTestState())
		if o.Code != c.want || !strings.Contains(cause(o), c.in) {
			t.Errorf("%v: %s %q, want %s containing %q", c.obs.Err, o.Code, cause(o), c.want, c.in)
		}
		assertFilled(t, o)
	}
	for id, def := range map[string]bool{"": true, "alias/aws/secretsmanager": true, "arn:aws:kms:us-east-1:1:alias/aws/secretsmanager": true, cmk: false} {
		if defaultKMSKey(id) != def {
			t.Errorf("defaultKMSKey(%q) = %v", id, !def)
		}
	}
}

// Lambda's listener preference, and no fallback when the preferred one is
// not offered.
func TestChooseListener(t *testing.T) {
	b := awsprobe.Bootstrap{Plaintext: "p:9092", TLS: "t:9094", SASLSCRAM: "s:9096", SASLIAM: "i:9098"}
	all := awsprobe.Cluster{ARN: "arn", IAM: true, SCRAM: true, TLSAuth: true, Unauthenticated: true, InTransit: "TLS_PLAINTEXT", Bootstrap: b}
	cases := []struct {
		name    string
		c       func(awsprobe.Cluster) awsprobe.Cluster
		auth    Auth
		want    Auth
		brokers string
		code    string
	}{
		{"mtls secret first", nil, AuthMTLS, AuthMTLS, "t:9094", ""},
		{"scram secret before iam", nil, AuthSCRAM512, AuthSCRAM512, "s:9096", ""},
		{"no secret: iam", nil, "", AuthIAM, "i:9098", ""},
		{"no secret, no iam: tls", func(c awsprobe.Cluster) awsprobe.Cluster { c.IAM = false; return c }, "", AuthTLS, "t:9094", ""},
		{"no secret, plaintext only", func(c awsprobe.Cluster) awsprobe.Cluster { c.IAM, c.InTransit = false, "PLAINTEXT"; return c }, "", AuthNone, "p:9092", ""},
		{"scram secret, scram off: no fallback to iam", func(c awsprobe.Cluster) awsprobe.Cluster { c.SCRAM = false; return c }, AuthSCRAM512, "", "", "ESM-CLUSTER-006"},
		{"mtls secret, tls auth off", func(c awsprobe.Cluster) awsprobe.Cluster { c.TLSAuth = false; return c }, AuthMTLS, "", "", "ESM-CLUSTER-006"},
		{"nothing usable without a secret", func(c awsprobe.Cluster) awsprobe.Cluster { c.IAM, c.Unauthenticated = false, false; return c }, "", "", "", "ESM-CLUSTER-006"},
		{"iam without its bootstrap string", func(c awsprobe.Cluster) awsprobe.Cluster { c.Bootstrap.SASLIAM = ""; return c }, "", "", "", "ESM-CLUSTER-007"},
		{"plain on msk", nil, AuthSASLPlain, "", "", "ESM-CLUSTER-008"},
	}
	for _, c := range cases {
		cl := all
		if c.c != nil {
			cl = c.c(cl)
		}
		l, o, ok := chooseListener(cl, c.auth)
		if c.code != "" {
			if ok || o.Code != c.code {
				t.Errorf("%s: ok %v code %s, want %s", c.name, ok, o.Code, c.code)
			}
			assertFilled(t, o)
			continue
		}
		if !ok || l.auth != c.want || l.brokers != c.brokers {
			t.Errorf("%s: %+v %v (%s), want %s %s", c.name, l, ok, o.Code, c.want, c.brokers)
		}
	}
}

func TestTokenTimingAndRegion(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	s := awsTestState()
	if _, bad := tokenTiming(now.Add(-time.Minute), now.Add(14*time.Minute), now, s); bad {
		t.Error("a fresh token is not bad")
	}
	if st, bad := tokenTiming(now.Add(-16*time.Minute), now.Add(-time.Minute), now, s); !bad || !strings.Contains(st, "expired at 2026-11-21T11:59:00Z") {
		t.Errorf("expired: %q %v", st, bad)
	}
	if _, bad := tokenTiming(now.Add(10*time.Minute), now.Add(25*time.Minute), now, s); !bad {
		t.Error("a token signed 10 minutes ahead is bad")
	}
	s.AWS.identity = &awsprobe.Identity{ServerTime: now, LocalTime: now.Add(7 * time.Minute)}
	if st, bad := tokenTiming(now, now.Add(15*time.Minute), now, s); !bad || !strings.Contains(st, "clock 7m0s off AWS's") {
		t.Errorf("skewed: %q %v", st, bad)
	}
	s = awsTestState()
	s.Cfg.Bootstrap = []HostPort{{Host: "b-1.orders.abc123.c2.kafka.eu-west-1.amazonaws.com", Port: 9098}}
	if r := clusterRegion(s); r != "eu-west-1" {
		t.Errorf("region from an MSK hostname: %q", r)
	}
	s.AWS.cluster = &awsprobe.ARN{Partition: "aws", Service: "kafka", Region: "ap-south-1", Account: "1", Resource: "cluster/orders/u-1"}
	if r := clusterRegion(s); r != "ap-south-1" {
		t.Errorf("region from the cluster ARN: %q", r)
	}
	if got := clusterResource(s, "group", "g"); got != "arn:aws:kafka:ap-south-1:1:group/orders/u-1/g" {
		t.Errorf("group ARN %q", got)
	}
}

func TestIAMGroupOutcome(t *testing.T) {
	s := awsTestState()
	s.Cfg.ConsumerGroup = "g"
	s.AWS.cluster = &awsprobe.ARN{Partition: "aws", Service: "kafka", Region: "us-east-1", Account: "1", Resource: "cluster/c/u"}
	s.AWS.identity = &awsprobe.Identity{ARN: "arn:aws:sts::1:assumed-role/exec/esmdoctor", Account: "1"}
	s.Principal = s.caller()
	o := iamGroupOutcome(s, []acl{{"Topic", "orders", "Read"}, {"Group", "g", "Read"}, {"Cluster", "kafka-cluster", "DescribeConfigs"}}, nil)
	if o.Code != "ESM-GROUP-005" || o.Args["missing"] != "kafka-cluster:AlterGroup on arn:aws:kafka:us-east-1:1:group/c/u/g, kafka-cluster:ReadData on arn:aws:kafka:us-east-1:1:topic/c/u/orders" {
		t.Fatalf("%s %v", o.Code, o.Args)
	}
	if !strings.Contains(o.Args["iam_fix"], "IAM policy of role exec") || !strings.Contains(strings.Join(o.Detail, ""), "DescribeClusterDynamicConfiguration") {
		t.Fatalf("fix %q detail %v", o.Args["iam_fix"], o.Detail)
	}
	o = iamGroupOutcome(s, []acl{{"Cluster", "kafka-cluster", "DescribeConfigs"}}, nil)
	if o.Code != "ESM-GROUP-103" || o.Status != "warn" {
		t.Fatalf("cluster only: %s %s", o.Status, o.Code)
	}
	assertFilled(t, o)
}

func TestSameRole(t *testing.T) {
	role := "arn:aws:iam::1:role/path/exec"
	for caller, want := range map[string]bool{
		"arn:aws:sts::1:assumed-role/exec/esmdoctor": true,
		"arn:aws:sts::2:assumed-role/exec/esmdoctor": false,
		"arn:aws:sts::1:assumed-role/other/x":        false,
		"arn:aws:iam::1:user/bob":                    false,
	} {
		if sameRole(caller, role) != want {
			t.Errorf("sameRole(%s) = %v", caller, !want)
		}
	}
}

func cause(o Outcome) string {
	e, _ := catalog.Lookup(o.Code)
	return catalog.Format(e.Cause, o.Args)
}

// assertFilled fails when a code's templates use an argument the outcome
// does not carry.
func assertFilled(t *testing.T, o Outcome) {
	t.Helper()
	e, ok := catalog.Lookup(o.Code)
	if !ok {
		t.Fatalf("unknown code %s", o.Code)
	}
	for _, p := range append(catalog.Placeholders(e.Cause), catalog.Placeholders(e.Remediation)...) {
		if _, ok := o.Args[p]; !ok {
			t.Errorf("%s: argument %q missing", o.Code, p)
		}
	}
}
