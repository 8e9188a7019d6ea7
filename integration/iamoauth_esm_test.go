package integration

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/esmdoctor/esmdoctor/testbed/awsfake"
)

// An IAM_OAUTHBEARER_AUTH mapping read with --esm, whose function runs as
// the role the brokers have ACLs for: checked as that role it passes;
// checked as another role it warns at token (the brokers would see
// another principal) and fails where that role's principal lacks ACLs.
func TestIAMOAuthMapping(t *testing.T) {
	a := iamOAuthBed(t)
	role, other := a.Get("AWS_WIF_ROLE"), a.Get("AWS_WIF_NOACL_ROLE")
	fn := a.functionAs(t, "iam-oauth", roleARN(role))
	id := a.uuid(41)
	ca := a.secret(t, awsRegion, "esm-iam-oauth-ca", a.caJSON(), "")
	a.fake.AddMapping(awsfake.Mapping{UUID: id, FunctionARN: fn, Bootstrap: []string{a.Get("KAFKA4_IAM_OAUTH")}, Topics: []string{a.Get("TOPIC")},
		ConsumerGroupID: a.Get("GROUP"), LastProcessingResult: "OK",
		AccessConfigs: [][2]string{{"IAM_OAUTHBEARER_AUTH", ""}, {"OAUTHBEARER_AUDIENCE", a.Get("AWS_WIF_AUDIENCE")}, {"SERVER_ROOT_CA_CERTIFICATE", ca}}})
	kafka := func(r cliReport) string {
		return r.statusesBut("mapping", "api", "sts", "secret", "cluster", "network", "permissions", "dns", "tcp", "tls", "lambda-endpoint", "health")
	}

	code, out, errOut := cliRun(t, nil, "check", "--esm", id, "--role-arn", roleARN(role), "-o", "json")
	r := parseReport(t, out)
	if r.Target.Auth != "iam-oauthbearer" || kafka(r) != "token=pass sasl=pass topic=pass brokers=pass group=pass poll=pass registry=skip" {
		t.Fatalf("as the execution role: exit %d auth %q statuses %s\n%s%s", code, r.Target.Auth, r.statuses(), out, errOut)
	}

	code, out, errOut = cliRun(t, nil, "check", "--esm", id, "--role-arn", roleARN(other), "-o", "json")
	r = parseReport(t, out)
	if code != 1 || kafka(r) != "token=warn(ESM-TOKEN-150) sasl=pass topic=fail(ESM-TOPIC-002) brokers=skip group=skip poll=skip registry=skip" {
		t.Fatalf("as another role: exit %d statuses %s\n%s%s", code, r.statuses(), out, errOut)
	}
	for _, c := range r.Checks {
		if c.ID == "token" && (!strings.Contains(c.Cause, "subject is "+roleARN(other)) || !strings.Contains(c.Cause, "User:"+roleARN(role))) {
			t.Fatalf("token %+v", c)
		}
	}
}

// functionAs creates a function in moto running as an existing role.
func (a awsBed) functionAs(t *testing.T, name, role string) string {
	t.Helper()
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	w, _ := zw.Create("index.py")
	_, _ = w.Write([]byte("def handler(event, context):\n    return None\n"))
	_ = zw.Close()
	fn, err := lambda.NewFromConfig(a.motoConfig(awsRegion)).CreateFunction(a.ctx, &lambda.CreateFunctionInput{FunctionName: aws.String(name + "-" + a.tag),
		Runtime: lambdatypes.RuntimePython311, Handler: aws.String("index.handler"), Role: aws.String(role),
		Code: &lambdatypes.FunctionCode{ZipFile: zipped.Bytes()}})
	if err != nil {
		t.Fatalf("moto CreateFunction: %v", err)
	}
	return aws.ToString(fn.FunctionArn)
}
