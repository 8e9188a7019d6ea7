package integration

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/esmdoctor/esmdoctor/fixtures"
	"github.com/esmdoctor/esmdoctor/testbed/awsfake"
)

// check --in-vpc end to end: the esmdoctor binary uploads itself to
// testbed/awsfake's Lambda control plane, which runs it under the real
// Runtime Interface Emulator with the role's credentials (moto STS), and
// the function checks the real broker; the in-VPC report must agree with
// the local one, and no function may be left behind.

// inVPCBed is the AWS bed with the function control plane on.
type inVPCBed struct {
	awsBed
	role   string
	subnet string // a subnet in moto, in us-east-1b
	sg     string // the mapping's security group, in the subnet's VPC
}

func requireInVPC(t *testing.T, mod ...func(*awsfake.FunctionOptions)) inVPCBed {
	t.Helper()
	a := requireAWS(t)
	o := awsfake.FunctionOptions{RIE: rieBinary(t), Env: functionEnv(), PendingFor: 1500 * time.Millisecond, STS: a.moto}
	for _, m := range mod {
		m(&o)
	}
	if err := a.fake.RunFunctions(o); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_ENDPOINT_URL_EC2", a.moto)
	// A network and a role the network and permissions checks accept: the
	// in-VPC tests compare the Kafka side, and a made-up subnet or a role
	// without the ENI actions is (rightly) a failure of its own.
	v := a.newVPC(t)
	v.vpnRoute("127.0.0.0/8") // the brokers: on premises, as far as the VPC knows
	role := a.execRole(t, "esm-probe", lambdaTrust, mskExecutionRole, secretPolicy)
	return inVPCBed{awsBed: a, role: role, subnet: v.Subnets[1], sg: v.SG}
}

// mappingArgs is a self-managed mapping in the shape of
// create-event-source-mapping, with its VPC settings, run as the role.
func (b inVPCBed) mappingArgs(t *testing.T, brokers, user, password string) []string {
	arn := b.secret(t, awsRegion, "invpc-scram", scramJSON(user, password), "")
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, b.file("CA_PEM"), 0o600); err != nil {
		t.Fatal(err)
	}
	return []string{"check", "--region", awsRegion, "-b", brokers, "--topics", b.Get("TOPIC"), "--consumer-group-id", b.group(),
		"--source-access-configuration", "Type=SASL_SCRAM_512_AUTH,URI=" + arn, "--ca-file", ca,
		"--source-access-configuration", "Type=VPC_SUBNET,URI=subnet:" + b.subnet + " Type=VPC_SECURITY_GROUP,URI=security_group:" + b.sg,
		"--role-arn", b.role, "--timeout", "20s", "-o", "json"}
}

// compare runs args locally and with --in-vpc, and returns both reports
// after checking they agree check by check.
func (b inVPCBed) compare(t *testing.T, wantCode int, args []string) (local, remote cliReport) {
	t.Helper()
	code, out, errOut := cliRun(t, nil, args...)
	if code != wantCode {
		t.Fatalf("local run: exit %d, want %d\n%s\n%s", code, wantCode, errOut, out)
	}
	local = parseReport(t, out)
	code, out, errOut = cliRun(t, nil, append(args, "--in-vpc")...)
	if code != wantCode {
		t.Fatalf("--in-vpc: exit %d, want %d\n%s\n%s", code, wantCode, errOut, out)
	}
	remote = parseReport(t, out)
	t.Logf("--in-vpc stderr:\n%s", errOut)
	// network and permissions predict from AWS APIs, and answer from the
	// identity they run as (esmdoctor's here, the probe role's inside the
	// function): every other check must agree.
	if ls, rs := local.statusesBut("network", "permissions"), remote.statusesBut("network", "permissions"); ls != rs {
		t.Fatalf("statuses differ\n local  %s\n in VPC %s", ls, rs)
	}
	for i, c := range remote.Checks {
		if c.ID == "network" || c.ID == "permissions" {
			continue
		}
		if l := local.Checks[i]; c.Code != l.Code || c.Problem != l.Problem || c.Cause != l.Cause {
			t.Errorf("%s: in the VPC %s %q %q, locally %s %q %q", c.ID, c.Code, c.Problem, c.Cause, l.Code, l.Problem, l.Cause)
		}
	}
	if !strings.Contains(errOut, "probe function esmdoctor-probe-") || !strings.Contains(errOut, "pending until Active") {
		t.Errorf("no phase line on stderr:\n%s", errOut)
	}
	b.wantNoFunctions(t)
	b.wantVantage(t, out)
	return local, remote
}

// wantVantage checks the report says where it ran and each phase's time.
func (b inVPCBed) wantVantage(t *testing.T, out string) {
	t.Helper()
	var doc struct {
		Target struct {
			Vantage struct {
				Kind, Function, Role string
				Subnets              []string
				Zones                []string `json:"availability_zones"`
				SecurityGroups       []string `json:"security_groups"`
				Phases               []struct{ Name string }
			} `json:"vantage"`
		} `json:"target"`
		Notes []string `json:"notes"`
	}
	if err := jsonUnmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	v := doc.Target.Vantage
	var phases []string
	for _, p := range v.Phases {
		phases = append(phases, p.Name)
	}
	if v.Kind != "lambda-vpc" || v.Role != b.role || len(v.Zones) != 1 || v.Zones[0] != "us-east-1b" || strings.Join(phases, ",") != "create,pending,invoke,delete" ||
		!strings.HasPrefix(v.Function, "esmdoctor-probe-") {
		t.Fatalf("vantage %+v", v)
	}
	if len(doc.Notes) == 0 || !strings.Contains(doc.Notes[0], "run inside the VPC") || !strings.Contains(doc.Notes[0], b.subnet+" (us-east-1b)") ||
		!strings.Contains(doc.Notes[0], b.sg) {
		t.Fatalf("notes %q", doc.Notes)
	}
}

// wantNoFunctions fails when a probe function is left in the fake.
func (b inVPCBed) wantNoFunctions(t *testing.T) {
	t.Helper()
	if left := b.fake.Functions(); len(left) > 0 {
		t.Fatalf("functions left behind: %v", left)
	}
}

func TestInVPCHealthy(t *testing.T) {
	b := requireInVPC(t)
	_, remote := b.compare(t, 0, b.mappingArgs(t, b.Get("SASL_SSL"), b.Get("SCRAM_USER"), b.Get("SCRAM_PASSWORD")))
	if remote.Verdict != "pass" || remote.Target.Auth != "sasl-scram-512" {
		t.Fatalf("verdict %s, auth %s", remote.Verdict, remote.Target.Auth)
	}
}

func TestInVPCWrongPassword(t *testing.T) {
	b := requireInVPC(t)
	_, remote := b.compare(t, 1, b.mappingArgs(t, b.Get("SASL_SSL"), b.Get("SCRAM_USER"), "not-the-password"))
	wantFirstFailure(t, remote, "sasl", "ESM-SASL-001", "PROBLEM: SASL authentication failed.")
}

func TestInVPCMissingACL(t *testing.T) {
	b := requireInVPC(t)
	_, remote := b.compare(t, 1, b.mappingArgs(t, b.Get("SASL_SSL"), "esm-no-topic-any", b.Get("SCRAM_PASSWORD")))
	wantFirstFailure(t, remote, "topic", "ESM-TOPIC-002", "PROBLEM: Cluster failed to authorize Lambda.")
}

func TestInVPCUnreachableBroker(t *testing.T) {
	b := requireInVPC(t)
	port, err := fixtures.ClosedPort()
	if err != nil {
		t.Fatal(err)
	}
	_, remote := b.compare(t, 1, b.mappingArgs(t, fmt.Sprintf("127.0.0.1:%d", port), b.Get("SCRAM_USER"), b.Get("SCRAM_PASSWORD")))
	wantFirstFailure(t, remote, "tcp", "ESM-TCP-001", "PROBLEM: Connection error. Please check your event source connection configuration.")
}

// wantFirstFailure checks the first failing check, its code and PROBLEM text.
func wantFirstFailure(t *testing.T, r cliReport, id, code, problem string) {
	t.Helper()
	for _, c := range r.Checks {
		if c.Status != "fail" {
			continue
		}
		if c.ID != id || c.Code != code || c.Problem != problem {
			t.Fatalf("first failure %s %s %q, want %s %s %q", c.ID, c.Code, c.Problem, id, code, problem)
		}
		return
	}
	t.Fatalf("no failure, want %s %s: %s", id, code, r.statuses())
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

// moFunction is awsBed.function with moto's answers to a retried call
// accepted: on a busy machine the SDK can retry a CreateRole or
// CreateFunction whose first answer was lost, and moto then says the
// resource exists.
func (a awsBed) moFunction(t *testing.T, name string) (fnARN, roleARN string) {
	t.Helper()
	// The role has what the permissions check requires of a self-managed
	// mapping with a secret (the managed MSK execution statements, the
	// secret and its key), so a scan's verdicts are about Kafka.
	roleARN = a.execRole(t, name+"-role", lambdaTrust, mskExecutionRole, secretPolicy)
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	w, _ := zw.Create("index.py")
	_, _ = w.Write([]byte("def handler(event, context):\n    return None\n"))
	_ = zw.Close()
	fnName := name + "-" + a.tag
	_, err := lambda.NewFromConfig(a.motoConfig(awsRegion)).CreateFunction(a.ctx, &lambda.CreateFunctionInput{FunctionName: aws.String(fnName),
		Runtime: lambdatypes.RuntimePython311, Handler: aws.String("index.handler"), Role: aws.String(roleARN),
		Code: &lambdatypes.FunctionCode{ZipFile: zipped.Bytes()}})
	var conflict *lambdatypes.ResourceConflictException
	if err != nil && !errors.As(err, &conflict) {
		t.Fatalf("moto CreateFunction: %v", err)
	}
	return "arn:aws:lambda:" + awsRegion + ":" + motoAccount + ":function:" + fnName, roleARN
}

// The mapping's own settings reach the probe function: with filter criteria
// that drop every record, the poll check inside the VPC warns as it does
// here (before, the function never received them and passed).
func TestInVPCMappingSettings(t *testing.T) {
	b := requireInVPC(t)
	args := append(b.mappingArgs(t, b.Get("SASL_SSL"), b.Get("SCRAM_USER"), b.Get("SCRAM_PASSWORD")),
		"--filter-criteria", `{"Filters":[{"Pattern":"{\"value\":{\"no-such-field\":[\"x\"]}}"}]}`, "--starting-position", "TRIM_HORIZON")
	local, remote := b.compare(t, 0, args)
	for _, r := range []cliReport{local, remote} {
		if got := r.statusesBut("network", "permissions", "sts", "lambda-endpoint", "health"); !strings.Contains(got, "poll=warn(ESM-POLL-102)") {
			t.Fatalf("poll did not weigh the filter criteria: %s", got)
		}
	}
}
