package integration

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/fixtures"
	"github.com/esmdoctor/esmdoctor/testbed/awsfake"
)

// --in-vpc with --esm (the network and role read from the mapping and its
// function), with an MSK cluster (its subnets and security groups), and
// the failures of the probe itself.

// inVPCMapping registers a self-managed mapping with VPC settings whose
// secrets live in moto, for a function (and role) created in moto.
func inVPCMapping(t *testing.T, b inVPCBed, uuid string, provisioned bool) (role string) {
	fn, role := b.moFunction(t, "vpc-consumer-"+uuid[len(uuid)-2:])
	scram := b.secret(t, awsRegion, "vpc-scram-"+uuid[len(uuid)-2:], scramJSON(b.Get("SCRAM_USER"), b.Get("SCRAM_PASSWORD")), "")
	ca := b.secret(t, awsRegion, "vpc-ca-"+uuid[len(uuid)-2:], b.caJSON(), "")
	b.fake.AddMapping(awsfake.Mapping{UUID: uuid, FunctionARN: fn, Bootstrap: []string{b.Get("SASL_SSL")}, Topics: []string{b.Get("TOPIC")},
		ConsumerGroupID: b.group(), LastProcessingResult: "PROBLEM: Connection error. Your VPC must be able to connect to Lambda and STS, as well as Secrets Manager if authentication is required. You can provide access by configuring PrivateLink or a NAT Gateway.",
		Provisioned: provisioned, AccessConfigs: [][2]string{{"SASL_SCRAM_512_AUTH", scram}, {"SERVER_ROOT_CA_CERTIFICATE", ca},
			{"VPC_SUBNET", "subnet:" + b.subnet}, {"VPC_SECURITY_GROUP", "security_group:" + b.sg}}})
	return role
}

// From inside these subnets the Lambda endpoint is unreachable (no NAT, no
// PrivateLink): an on-demand mapping fails lambda-endpoint with P2, a
// provisioned one gets a note, because its pollers do not reach Lambda
// through the VPC.
func TestInVPCLambdaEndpointByPollerMode(t *testing.T) {
	closed, err := fixtures.ClosedPort()
	if err != nil {
		t.Fatal(err)
	}
	b := requireInVPC(t, func(o *awsfake.FunctionOptions) {
		o.Env = append(o.Env, "AWS_ENDPOINT_URL_LAMBDA=http://127.0.0.1:"+strconv.Itoa(closed))
	})
	onDemand, provisioned := b.uuid(40), b.uuid(41)
	role := inVPCMapping(t, b, onDemand, false)
	inVPCMapping(t, b, provisioned, true)

	code, out, errOut := cliRun(t, nil, "check", "--esm", onDemand, "--in-vpc", "--timeout", "20s", "-o", "json")
	r := parseReport(t, out)
	if code != 1 {
		t.Fatalf("on-demand: exit %d\n%s\n%s", code, errOut, out)
	}
	wantFirstFailure(t, r, "lambda-endpoint", "ESM-LAMBDA-001", "PROBLEM: Connection error. Your VPC must be able to connect to Lambda and STS, as well as Secrets Manager if authentication is required. You can provide access by configuring PrivateLink or a NAT Gateway.")
	if !strings.Contains(strings.Join(r.Notes, "\n"), "as role "+role) {
		t.Fatalf("the probe did not run as the function's role %s: %q", role, r.Notes)
	}
	if !strings.Contains(strings.Join(r.Notes, "\n"), "the mapping was read from here") {
		t.Fatalf("notes %q", r.Notes)
	}
	// Inside the function the audit checks run as the probe role, which
	// may not describe EC2 or IAM: each says so as a warning.
	wantStatusesCLI(t, r, "mapping=pass api=pass sts=pass secret=pass cluster=skip network=warn(ESM-NET-105) permissions=warn(ESM-PERM-103) dns=pass tcp=pass tls=pass token=skip sasl=pass topic=pass brokers=pass group=pass poll=pass registry=skip lambda-endpoint=fail(ESM-LAMBDA-001) health=skip")

	code, out, errOut = cliRun(t, nil, "check", "--esm", provisioned, "--in-vpc", "--timeout", "20s", "-o", "json")
	r = parseReport(t, out)
	if code != 0 || r.Verdict != "pass" {
		t.Fatalf("provisioned: exit %d\n%s\n%s", code, errOut, out)
	}
	le := r.Checks[len(r.Checks)-2] // before health
	if le.ID != "lambda-endpoint" || le.Status != "pass" || !strings.Contains(strings.Join(le.Detail, "\n"), "provisioned-mode pollers") {
		t.Fatalf("lambda-endpoint %+v", le)
	}
	b.wantNoFunctions(t)
}

func wantStatusesCLI(t *testing.T, r cliReport, want string) {
	t.Helper()
	if got := r.statuses(); got != want {
		t.Fatalf("statuses\n got %s\nwant %s", got, want)
	}
}

// An MSK mapping's probe runs in the cluster's subnets and security groups.
func TestInVPCMSKNetwork(t *testing.T) {
	b := requireInVPC(t)
	cmk := "arn:aws:kms:us-east-1:" + motoAccount + ":key/1234abcd-12ab-34cd-56ef-1234567890ab"
	secret := b.secret(t, awsRegion, "AmazonMSK_invpc", scramJSON(b.Get("SCRAM_USER"), b.Get("SCRAM_PASSWORD")), cmk)
	arn := b.clusterARN("invpc")
	b.fake.AddCluster(awsfake.Cluster{ARN: arn, Name: "invpc", SCRAM: true, Subnets: []string{"subnet-msk-1", "subnet-msk-2"}, SecurityGroups: []string{"sg-msk"},
		Bootstrap: awsfake.Bootstrap{SASLSCRAM: b.Get("SASL_SSL")}})
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, b.file("CA_PEM"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := cliRun(t, nil, "check", "--region", awsRegion, "--event-source-arn", arn, "--topics", b.Get("TOPIC"),
		"--consumer-group-id", b.group(), "--source-access-configuration", "Type=SASL_SCRAM_512_AUTH,URI="+secret, "--ca-file", ca,
		"--probe-role", b.role, "--in-vpc", "--timeout", "20s", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, errOut, out)
	}
	notes := strings.Join(parseReport(t, out).Notes, "\n")
	if !strings.Contains(notes, "in subnet(s) subnet-msk-1, subnet-msk-2 (Availability Zones unknown: ec2:DescribeSubnets: InvalidSubnetID.NotFound") ||
		!strings.Contains(notes, "with security group(s) sg-msk") || !strings.Contains(notes, "as role "+b.role) {
		t.Fatalf("notes %q", notes)
	}
	b.wantNoFunctions(t)
}

// A cross-account MSK mapping's probe runs in its VPC connection's
// subnets and security groups, and the run reaches the target cluster's
// multi-VPC SCRAM brokers (the test bed's SASL_SSL listener).
func TestInVPCCrossAccountNetwork(t *testing.T) {
	b := requireInVPC(t)
	cmk := "arn:aws:kms:us-east-1:" + motoAccount + ":key/1234abcd-12ab-34cd-56ef-1234567890ab" // MSK takes SCRAM secrets under a CMK only
	secret := b.secret(t, awsRegion, "AmazonMSK_xacct", scramJSON(b.Get("SCRAM_USER"), b.Get("SCRAM_PASSWORD")), cmk)
	target := "arn:aws:kafka:us-east-1:" + ownerAccount + ":cluster/xacct-" + b.tag + "/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d-2"
	conn := "arn:aws:kafka:us-east-1:" + motoAccount + ":vpc-connection/" + ownerAccount + "/xacct-" + b.tag + "/5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b-3"
	b.fake.AddCluster(awsfake.Cluster{ARN: target, Name: "xacct-" + b.tag, SCRAM: true, Subnets: []string{"subnet-owner"}, SecurityGroups: []string{"sg-owner"},
		Bootstrap: awsfake.Bootstrap{VpcSASLSCRAM: b.Get("SASL_SSL")}})
	b.fake.AddVpcConnection(awsfake.VpcConnection{ARN: conn, TargetClusterARN: target, Authentication: "SASL_SCRAM", VpcID: "vpc-client",
		Subnets: []string{"subnet-xacct-1"}, SecurityGroups: []string{"sg-xacct"}})
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, b.file("CA_PEM"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := cliRun(t, nil, "check", "--region", awsRegion, "--event-source-arn", conn, "--topics", b.Get("TOPIC"),
		"--consumer-group-id", b.group(), "--source-access-configuration", "Type=SASL_SCRAM_512_AUTH,URI="+secret, "--ca-file", ca,
		"--probe-role", b.role, "--in-vpc", "--timeout", "20s", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, errOut, out)
	}
	notes := strings.Join(parseReport(t, out).Notes, "\n")
	if !strings.Contains(notes, "in subnet(s) subnet-xacct-1") || !strings.Contains(notes, "with security group(s) sg-xacct") {
		t.Fatalf("notes %q", notes)
	}
	b.wantNoFunctions(t)
}

// A permission the probe lacks is reported as the probe's, exit 2, one
// line; the mapping is not blamed.
func TestInVPCProbePermissionDenied(t *testing.T) {
	b := requireInVPC(t)
	b.fake.Fail("CreateFunction", awsfake.AccessDenied)
	code, out, errOut := cliRun(t, nil, append(b.mappingArgs(t, b.Get("SASL_SSL"), b.Get("SCRAM_USER"), b.Get("SCRAM_PASSWORD")), "--in-vpc")...)
	last := strings.TrimSpace(errOut)
	last = last[strings.LastIndex(last, "\n")+1:]
	if code != 2 || out != "" || !strings.Contains(last, "create: AccessDeniedException") || !strings.Contains(last, "lambda:CreateFunction") ||
		!strings.Contains(last, "iam:PassRole on "+b.role) || !strings.Contains(last, "not a fault of the mapping") {
		t.Fatalf("exit %d, stdout %q, last stderr line %q", code, out, last)
	}
	b.wantNoFunctions(t)
}

// A local secret file never travels to the function.
func TestInVPCRefusesLocalSecret(t *testing.T) {
	b := requireInVPC(t)
	f := filepath.Join(t.TempDir(), "scram.json")
	if err := os.WriteFile(f, []byte(scramJSON(b.Get("SCRAM_USER"), b.Get("SCRAM_PASSWORD"))), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := cliRun(t, nil, "check", "--region", awsRegion, "-b", b.Get("SASL_SSL"), "-t", "orders", "--secret-file", f,
		"--source-access-configuration", "Type=VPC_SUBNET,URI=subnet:subnet-0abc", "--probe-role", b.role, "--in-vpc")
	if code != 2 || !strings.Contains(errOut, "--secret-file with --in-vpc: a local secret file cannot be used inside the VPC") ||
		!strings.Contains(errOut, "Secrets Manager") || strings.Contains(errOut, b.Get("SCRAM_PASSWORD")) {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b.wantNoFunctions(t)
}

// A mapping that cannot be read creates no probe: the report is made here
// and shows the mapping check's failure.
func TestInVPCMappingUnreadable(t *testing.T) {
	b := requireInVPC(t)
	code, out, errOut := cliRun(t, nil, "check", "--esm", b.uuid(49), "--in-vpc", "--timeout", "20s", "-o", "json")
	if code != 1 || !strings.Contains(errOut, "the mapping could not be read, so no probe function was created") {
		t.Fatalf("exit %d\n%s\n%s", code, errOut, out)
	}
	r := parseReport(t, out)
	if len(r.Checks) == 0 || r.Checks[0].ID != "mapping" || r.Checks[0].Status != "fail" || !strings.HasPrefix(r.Checks[0].Code, "ESM-MAPPING-") {
		t.Fatalf("first check %+v", r.Checks[0])
	}
	if b.fake.Created() != 0 {
		t.Fatalf("%d functions created", b.fake.Created())
	}
}
