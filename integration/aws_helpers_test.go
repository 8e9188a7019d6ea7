package integration

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/testbed/awsfake"
)

// The AWS side of the test bed: moto (STS, Secrets Manager, IAM, EC2, Lambda
// functions and Invoke DryRun) and testbed/awsfake (MSK DescribeClusterV2
// and GetBootstrapBrokers, Kafka event source mappings, IAM
// SimulatePrincipalPolicy; the rest of IAM is forwarded to moto), reached
// by the SDK through the standard AWS_ENDPOINT_URL_<SERVICE> variables.
const (
	awsRegion   = "us-east-1" // the test bed's IAM listener accepts tokens for this Region only
	motoAccount = "123456789012"
	awsTimeout  = 20 * time.Second
)

// awsBed is the test bed plus the AWS stand-ins, with the process
// environment pointing the SDK at them for the test's duration.
type awsBed struct {
	bed
	fake *awsfake.Fake
	moto string
	tag  string // unique per test: moto's state outlives test runs
	ctx  context.Context
}

// requireAWS starts the fake and sets the AWS environment (t.Setenv: these
// tests never run in parallel). Credentials are the IAM listener's key pair,
// so the same identity signs MSK IAM tokens the broker accepts.
func requireAWS(t *testing.T) awsBed {
	t.Helper()
	b := requireBed(t)
	moto := b.Get("MOTO")
	fake, err := awsfake.New(moto)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	none := filepath.Join(t.TempDir(), "none")
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": b.Get("IAM_ACCESS_KEY_ID"), "AWS_SECRET_ACCESS_KEY": b.Get("IAM_SECRET_ACCESS_KEY"),
		"AWS_SESSION_TOKEN": "", "AWS_REGION": awsRegion, "AWS_DEFAULT_REGION": awsRegion, "AWS_PROFILE": "",
		"AWS_CONFIG_FILE": none, "AWS_SHARED_CREDENTIALS_FILE": none, "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_ENDPOINT_URL": "", "AWS_ENDPOINT_URL_STS": moto, "AWS_ENDPOINT_URL_SECRETS_MANAGER": moto,
		"AWS_ENDPOINT_URL_IAM": fake.URL(), "AWS_ENDPOINT_URL_KAFKA": fake.URL(), "AWS_ENDPOINT_URL_LAMBDA": fake.URL(),
		"AWS_ENDPOINT_URL_EC2": moto, "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS": moto, "AWS_ENDPOINT_URL_CLOUDWATCH": moto,
	} {
		t.Setenv(k, v)
	}
	grantAWSGroups(t, b)
	var r [4]byte
	_, _ = rand.Read(r[:])
	return awsBed{bed: b, fake: fake, moto: moto, tag: hex.EncodeToString(r[:]), ctx: context.Background()}
}

// group is a consumer group of this test's own (see aws_groups_test.go).
func (a awsBed) group() string { return awsGroupPrefix + a.tag }

// motoConfig is an SDK configuration aimed at moto, for test setup.
func (a awsBed) motoConfig(region string) aws.Config {
	// A read of moto's answer sometimes fails locally ("use of closed
	// network connection") after moto applied the request; the SDK then
	// sends it again, so the setup helpers accept "already exists".
	return aws.Config{Region: region, BaseEndpoint: aws.String(a.moto),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDSETUP", "setup-secret", "")}
}

// secret creates a secret in moto and returns its ARN. kmsKey "" leaves the
// default key aws/secretsmanager.
func (a awsBed) secret(t *testing.T, region, name, value, kmsKey string) string {
	t.Helper()
	in := &secretsmanager.CreateSecretInput{Name: aws.String(name + "-" + a.tag), SecretString: aws.String(value)}
	if kmsKey != "" {
		in.KmsKeyId = aws.String(kmsKey)
	}
	c := secretsmanager.NewFromConfig(a.motoConfig(region))
	out, err := c.CreateSecret(a.ctx, in)
	if code, _, _ := awsprobe.ErrorCode(err); code == "ResourceExistsException" {
		// The SDK re-sent a create moto had applied (see motoConfig).
		d, derr := c.DescribeSecret(a.ctx, &secretsmanager.DescribeSecretInput{SecretId: in.Name})
		if derr == nil {
			return aws.ToString(d.ARN)
		}
		err = derr
	}
	if err != nil {
		t.Fatalf("moto CreateSecret %s: %v", name, err)
	}
	return aws.ToString(out.ARN)
}

// missingSecretARN is the ARN of a secret that does not exist.
func (a awsBed) missingSecretARN(name string) string {
	return fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:%s-%s-AbCdEf", awsRegion, motoAccount, name, a.tag)
}

func scramJSON(user, pass string) string {
	b, _ := json.Marshal(map[string]string{"username": user, "password": pass})
	return string(b)
}

func (a awsBed) mtlsJSON(t *testing.T) string {
	doc := a.mtlsDoc("CLIENT_CERT_PEM", "CLIENT_KEY_PEM", "")
	return string(doc.Data)
}

func (a awsBed) caJSON() string {
	b, _ := json.Marshal(map[string]string{"certificate": string(a.file("CA_PEM"))})
	return string(b)
}

// function creates an execution role and a function using it in moto, and
// returns the function's and the role's ARNs.
func (a awsBed) function(t *testing.T, name string) (fnARN, roleARN string) {
	t.Helper()
	cfg := a.motoConfig(awsRegion)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	role, err := iam.NewFromConfig(cfg).CreateRole(a.ctx, &iam.CreateRoleInput{RoleName: aws.String(name + "-role-" + a.tag), AssumeRolePolicyDocument: aws.String(trust)})
	if err != nil {
		t.Fatalf("moto CreateRole: %v", err)
	}
	// Everything the mapping needs, so the permissions check (which cannot
	// simulate for an unscripted role, see awsfake) only warns that it read
	// the policies itself.
	_, err = iam.NewFromConfig(cfg).PutRolePolicy(a.ctx, &iam.PutRolePolicyInput{RoleName: role.Role.RoleName, PolicyName: aws.String("everything"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)})
	if err != nil {
		t.Fatalf("moto PutRolePolicy: %v", err)
	}
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	w, _ := zw.Create("index.py")
	_, _ = w.Write([]byte("def handler(event, context):\n    return None\n"))
	_ = zw.Close()
	fn, err := lambda.NewFromConfig(cfg).CreateFunction(a.ctx, &lambda.CreateFunctionInput{FunctionName: aws.String(name + "-" + a.tag),
		Runtime: lambdatypes.RuntimePython311, Handler: aws.String("index.handler"), Role: role.Role.Arn,
		Code: &lambdatypes.FunctionCode{ZipFile: zipped.Bytes()}})
	if err != nil {
		t.Fatalf("moto CreateFunction: %v", err)
	}
	return aws.ToString(fn.FunctionArn), aws.ToString(role.Role.Arn)
}

// clusterARN is a fresh MSK cluster ARN in the test Region.
func (a awsBed) clusterARN(name string) string {
	return fmt.Sprintf("arn:aws:kafka:%s:%s:cluster/%s-%s/1f2e3d4c-5b6a-4789-8abc-def012345678-%s", awsRegion, motoAccount, name, a.tag, a.tag[:2])
}

// uuid is a fresh mapping UUID, covered by the group ACLs when it is the
// mapping's group.
func (a awsBed) uuid(n int) string {
	return fmt.Sprintf("%s%s-4%s-8000-%012d", awsUUIDPrefix, a.tag[:4], a.tag[4:7], n)
}

// awsConfig is the AWS side of a run in the test Region.
func awsConfig(mod ...func(*checks.AWSConfig)) *checks.AWSConfig {
	a := &checks.AWSConfig{Options: awsprobe.Options{Region: awsRegion}}
	for _, m := range mod {
		m(a)
	}
	return a
}

// runAWS runs the whole pipeline and returns the results.
func runAWS(t *testing.T, cfg checks.Config) []model.Result {
	t.Helper()
	if cfg.Timeout == 0 {
		cfg.Timeout = awsTimeout
	}
	if cfg.Topic == "" {
		cfg.Topic = "orders"
	}
	return checks.Run(context.Background(), cfg, nil)
}

// statusLine renders results as "id=status(CODE) ...".
func statusLine(rs []model.Result) string {
	var s []string
	for _, r := range rs {
		x := r.ID + "=" + string(r.Status)
		if r.Code != "" {
			x += "(" + r.Code + ")"
		}
		s = append(s, x)
	}
	return strings.Join(s, " ")
}

// wantStatuses fails with every result's detail when the statuses differ.
func wantStatuses(t *testing.T, rs []model.Result, want string) {
	t.Helper()
	if got := statusLine(rs); got != want {
		for _, r := range rs {
			t.Logf("%-15s %-4s %s %s %s %v", r.ID, r.Status, r.Code, r.Reason, r.Cause(), r.Detail)
		}
		t.Fatalf("statuses\n got %s\nwant %s", got, want)
	}
}

// find returns the result of check id.
func find(t *testing.T, rs []model.Result, id string) model.Result {
	t.Helper()
	for _, r := range rs {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no result for %s", id)
	return model.Result{}
}

// wantProblem checks a result's PROBLEM text, byte for byte.
func wantProblem(t *testing.T, r model.Result, id catalog.ProblemID) {
	t.Helper()
	p, ok := r.Problem()
	want, _ := catalog.ProblemByID(id)
	if id == "" {
		if ok {
			t.Fatalf("%s %s: PROBLEM %q, want none", r.ID, r.Code, p.Text)
		}
		return
	}
	if !ok || p.Text != want.Text {
		t.Fatalf("%s %s: PROBLEM %q, want %q", r.ID, r.Code, p.Text, want.Text)
	}
}

// wantNoPlaceholder fails when a rendered cause or fix has an unfilled
// {placeholder} (rendered as "?").
func wantNoPlaceholder(t *testing.T, r model.Result) {
	t.Helper()
	for _, s := range []string{r.Cause(), r.Remediation()} {
		if strings.Contains(s, "?") && !strings.Contains(s, "?)") {
			t.Errorf("%s %s: unfilled placeholder in %q", r.ID, r.Code, s)
		}
	}
}

var (
	cliOnce sync.Once
	cliPath string
	cliErr  error
)

// esmdoctorCLI builds the esmdoctor binary once per test process.
func esmdoctorCLI(t *testing.T) string {
	t.Helper()
	cliOnce.Do(func() {
		dir, err := os.MkdirTemp("", "esmdoctor-cli-")
		if err != nil {
			cliErr = err
			return
		}
		cliPath = filepath.Join(dir, "esmdoctor")
		out, err := exec.Command("go", "build", "-o", cliPath, "github.com/esmdoctor/esmdoctor").CombinedOutput()
		if err != nil {
			cliErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if cliErr != nil {
		t.Fatal(cliErr)
	}
	return cliPath
}

// cliRun runs the esmdoctor binary with the test's environment plus env.
func cliRun(t *testing.T, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(esmdoctorCLI(t), args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), out.String(), errOut.String()
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, out.String(), errOut.String()
}

// cliReport is the part of the JSON report the CLI tests read.
type cliReport struct {
	Verdict         string   `json:"verdict"`
	DeadlineReached bool     `json:"deadline_reached"`
	Notes           []string `json:"notes"`
	Target          struct {
		Auth          string   `json:"auth"`
		ConsumerGroup string   `json:"consumer_group"`
		Bootstrap     []string `json:"bootstrap_servers"`
	} `json:"target"`
	Checks []struct {
		ID, Status, Code, Problem, Cause, Remediation, Reason string
		Detail                                                []string
	} `json:"checks"`
}

func parseReport(t *testing.T, out string) cliReport {
	t.Helper()
	var r cliReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not a JSON report: %v\n%s", err, out)
	}
	return r
}

func (r cliReport) statuses() string { return r.statusesBut() }

// problem is the PROBLEM text of the check with this id ("" when there is no such check).
func (r cliReport) problem(id string) string {
	for _, c := range r.Checks {
		if c.ID == id {
			return c.Problem
		}
	}
	return ""
}

// statusesBut is statuses without the checks named.
func (r cliReport) statusesBut(ids ...string) string {
	var s []string
	for _, c := range r.Checks {
		if slices.Contains(ids, c.ID) {
			continue
		}
		x := c.ID + "=" + c.Status
		if c.Code != "" {
			x += "(" + c.Code + ")"
		}
		s = append(s, x)
	}
	return strings.Join(s, " ")
}
