package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/testbed/awsfake"
	"github.com/urfave/cli/v2"
)

// Bad AWS inputs are input errors: exit 2 and one line naming the flag,
// before any AWS call.
func TestAWSInputErrors(t *testing.T) {
	const sm = "arn:aws:secretsmanager:us-east-1:123456789012:secret:AmazonMSK_x-AbCdEf"
	const msk = "arn:aws:kafka:us-east-1:123456789012:cluster/orders/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-2"
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--event-source-arn", "arn:aws:sqs:us-east-1:123456789012:q", "-t", "x"}, `--event-source-arn: "arn:aws:sqs:us-east-1:123456789012:q": not an MSK cluster ARN`},
		{[]string{"-b", "h:1", "-t", "x", "--source-access-configuration", "Type=KERBEROS,URI=x"}, `--source-access-configuration: "KERBEROS": unknown Type`},
		{[]string{"-b", "h:1", "-t", "x", "--source-access-configuration", "Type=BASIC_AUTH"}, "the URI must be a Secrets Manager secret ARN"},
		{[]string{"-b", "h:1", "-t", "x", "--source-access-configuration", "BASIC_AUTH"}, "want Type=TYPE,URI=URI"},
		{[]string{"-b", "h:1", "-t", "x", "--source-access-configuration", "Type=BASIC_AUTH,URI=" + sm, "--source-access-configuration", "Type=SASL_SCRAM_512_AUTH,URI=" + sm},
			"BASIC_AUTH and SASL_SCRAM_512_AUTH: a mapping authenticates with one secret"},
		{[]string{"-b", "h:1", "-t", "x", "--source-access-configuration", "Type=VPC_SUBNET,URI=subnet-1"}, "want URI=subnet:subnet-... or URI=security_group:sg-..."},
		{[]string{"-b", "h:1", "-t", "x", "--source-access-configurations", "{nope"}, "--source-access-configurations: not a JSON list"},
		{[]string{"--self-managed-event-source", `{"Endpoints":{}}`, "-t", "x"}, "--self-managed-event-source: no Endpoints.KAFKA_BOOTSTRAP_SERVERS"},
		{[]string{"--self-managed-event-source", `["h:1"]`, "-t", "x"}, "--self-managed-event-source: not JSON like"},
		{[]string{"-b", "h:1", "--event-source-arn", msk, "-t", "x"}, "give one of --bootstrap-servers, --self-managed-event-source and --event-source-arn"},
		{[]string{"--esm", "not-a-uuid"}, `--esm: "not-a-uuid": not an event source mapping UUID`},
		{[]string{"--esm", "0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b", "-t", "orders"}, "--topic: not with --esm or --function"},
		{[]string{"--esm", "0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b", "--function", "f"}, "give --esm or --function, not both"},
		{[]string{"-b", "h:1", "-t", "x", "--region", "Mars"}, `--region: "Mars": not a Region name`},
		{[]string{"-b", "h:1", "-t", "x", "--role-arn", "arn:aws:iam::123456789012:user/bob"}, "--role-arn: \"arn:aws:iam::123456789012:user/bob\": not an IAM role ARN"},
		{[]string{"-b", "h:1", "-t", "x", "--secret-file", write(t, "s.json", `{"username":"u","password":"p"}`), "--source-access-configuration", "Type=BASIC_AUTH,URI=" + sm},
			"--secret-file and a BASIC_AUTH access configuration both give the mapping's secret"},
		{[]string{"-b", "h:1", "-t", "x", "--auth", "mtls", "--source-access-configuration", "Type=BASIC_AUTH,URI=" + sm},
			"--auth mtls contradicts the BASIC_AUTH access configuration"},
		{[]string{"-b", "h:1", "-t", "x", "--region", "us-east-1", "--profile", "esmdoctor-no-such-profile"}, `--profile: "esmdoctor-no-such-profile": no such profile`},
	}
	for _, c := range cases {
		code, _, errOut := esm(t, append([]string{"check"}, c.args...)...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", c.args, code, errOut)
			continue
		}
		if strings.Count(strings.TrimSpace(errOut), "\n") != 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: stderr %q, want one line containing %q", c.args, errOut, c.want)
		}
	}
}

// The access configurations select the auth mode and the secrets, as
// Lambda reads them; --consumer-group stays an alias of --consumer-group-id.
func TestAccessConfigurationsSelectAuth(t *testing.T) {
	t.Setenv("AWS_REGION", "us-east-1")
	const scram = "arn:aws:secretsmanager:us-east-1:123456789012:secret:scram-AbCdEf"
	const ca = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ca-AbCdEf"
	got, err := configFor("check", "--self-managed-event-source", `{"Endpoints":{"KAFKA_BOOTSTRAP_SERVERS":["b-1.example.com:9096","b-2.example.com:9096"]}}`,
		"--topics", "orders", "--consumer-group", "orders-group",
		"--source-access-configurations", `[{"Type":"SASL_SCRAM_256_AUTH","URI":"`+scram+`"},{"Type":"VPC_SUBNET","URI":"subnet:subnet-1"}]`,
		"--source-access-configuration", "Type=SERVER_ROOT_CA_CERTIFICATE,URI="+ca)
	if err != nil {
		t.Fatal(err)
	}
	if got.Auth != checks.AuthSCRAM256 || got.Secret == nil || got.Secret.ARN != scram || got.CA == nil || got.CA.ARN != ca || !got.CAIsSecret {
		t.Fatalf("auth %s secret %+v ca %+v", got.Auth, got.Secret, got.CA)
	}
	if len(got.Bootstrap) != 2 || got.Topic != "orders" || got.ConsumerGroup != "orders-group" || got.AWS == nil || len(got.AWS.AccessConfigs) != 3 {
		t.Fatalf("config %+v aws %+v", got, got.AWS)
	}
}

// explain takes StateTransitionReason codes and every named error.
func TestExplainReasonsAndNamedErrors(t *testing.T) {
	for q, want := range map[string]string{
		"EVENT_SOURCE_AUTHN_ERROR":                       "ESM-SASL-010",
		"event_source_authz_error":                       "ESM-TOPIC-005",
		"ESM_CONFIG_NOT_VALID":                           "ESM-SECRET-013",
		"FUNCTION_CONFIG_NOT_VALID":                      "ESM-LAMBDA-003",
		"Cluster failed to authorize Lambda":             "ESM-GROUP-005",
		"SASL authentication failed":                     "ESM-SASL-001",
		"Server failed to authenticate Lambda":           "ESM-TLS-004",
		"Lambda failed to authenticate server":           "ESM-TLS-001",
		"Provided certificate or private key is invalid": "ESM-SECRET-005",
		"No records processed":                           "healthy LastProcessingResult",
	} {
		code, out, errOut := esm(t, "explain", q)
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("explain %q: exit %d, output lacks %q\n%s%s", q, code, want, out, errOut)
		}
	}
	code, out, _ := esm(t, "explain")
	if code != 0 || !strings.Contains(out, "EVENT_SOURCE_AUTHZ_ERROR") {
		t.Errorf("explain lists no StateTransitionReason codes:\n%s", out)
	}
}

// A local secret file with a root CA from Secrets Manager: the file still
// decides the auth mode.
func TestLocalSecretWithRootCAARN(t *testing.T) {
	t.Setenv("AWS_REGION", "us-east-1")
	path := write(t, "scram.json", `{"username":"alice","password":"pw-canary-2"}`)
	got, err := configFor("check", "-b", "h:9096", "-t", "orders", "--secret-file", path,
		"--source-access-configuration", "Type=SERVER_ROOT_CA_CERTIFICATE,URI=arn:aws:secretsmanager:us-east-1:123456789012:secret:ca-AbCdEf")
	if err != nil {
		t.Fatal(err)
	}
	if got.Auth != checks.AuthSCRAM512 || got.CA == nil || got.CA.ARN == "" || got.AWS == nil {
		t.Fatalf("auth %s (%s) ca %+v", got.Auth, got.AuthReason, got.CA)
	}
}

// configFor parses a command line into the checks.Config the command would
// run with, without running it.
func configFor(args ...string) (checks.Config, error) {
	app := newApp(&strings.Builder{}, &strings.Builder{})
	var got checks.Config
	app.Commands[0].Action = func(c *cli.Context) error {
		var err error
		got, err = configFromFlags(c)
		return err
	}
	err := app.Run(append([]string{"esmdoctor"}, args...))
	return got, err
}

// silentAWS points every AWS endpoint at a stand-in that accepts each
// request and never answers, with static credentials and no config files.
func silentAWS(t *testing.T) {
	fake, err := awsfake.New("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	fake.SetDelay(time.Hour)
	none := filepath.Join(t.TempDir(), "none")
	for k, v := range map[string]string{"AWS_ACCESS_KEY_ID": "AKIAESMDOCTORSILENT", "AWS_SECRET_ACCESS_KEY": "silent-secret", "AWS_SESSION_TOKEN": "",
		"AWS_PROFILE": "", "AWS_CONFIG_FILE": none, "AWS_SHARED_CREDENTIALS_FILE": none, "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": fake.URL()} {
		t.Setenv(k, v)
	}
}

// Reading the mapping is inside the run's clock: with AWS never answering,
// a run with --esm ends within --timeout + 1s, and the mapping check says
// the Lambda API gave no answer (a result, exit 1, not an input error).
func TestESMRunKeepsToTimeout(t *testing.T) {
	silentAWS(t)
	start := time.Now()
	code, out, errOut := esm(t, "check", "--esm", "0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b", "--timeout", "2s", "-o", "json")
	if wall := time.Since(start); wall > 3*time.Second {
		t.Errorf("wall time %s, want at most --timeout + 1s", wall)
	}
	r := parseJSON(t, out)
	m := r.Checks[0]
	if code != exitFail || m.ID != "mapping" || m.Code != "ESM-MAPPING-004" ||
		!strings.Contains(m.Cause, "lambda:GetEventSourceMapping at http://127.0.0.1:") || !strings.Contains(m.Cause, "connected, but no answer within 500ms") {
		t.Fatalf("exit %d mapping %+v\n%s", code, m, errOut)
	}
	for _, c := range r.Checks[3:13] { // secret to poll: mapping, api and sts come first
		if c.Status != "skip" {
			t.Errorf("%s ran without the mapping: %s", c.ID, c.Status)
		}
	}
}

// A --region that contradicts the --esm ARN's Region is an input error.
func TestESMRegionContradiction(t *testing.T) {
	code, _, errOut := esm(t, "check", "--esm", "arn:aws:lambda:us-east-1:123456789012:event-source-mapping:0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b", "--region", "us-west-2")
	want := `--region: "us-west-2": contradicts the --esm ARN, which is in us-east-1`
	if code != exitUsage || !strings.Contains(errOut, want) {
		t.Fatalf("exit %d stderr %q, want %q", code, errOut, want)
	}
}
