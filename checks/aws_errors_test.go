package checks

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/fixtures"
	"github.com/esmdoctor/esmdoctor/model"
)

// noCredentials empties every source of the SDK's credential chain and
// points instance metadata at a listener that never answers, as off EC2
// (where 169.254.169.254 does not answer either).
func noCredentials(t *testing.T) {
	bh, err := fixtures.NewBlackhole()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(bh.Close)
	none := filepath.Join(t.TempDir(), "none")
	for k, v := range map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
		"AWS_CONFIG_FILE": none, "AWS_SHARED_CREDENTIALS_FILE": none, "AWS_WEB_IDENTITY_TOKEN_FILE": "", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI": "", "AWS_EC2_METADATA_DISABLED": "", "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://" + bh.Addr()} {
		t.Setenv(k, v)
	}
}

// No credentials anywhere: the sts check says so, naming the sources the
// SDK tried, within a second (not a step budget), never "context deadline
// exceeded"; with --esm the mapping check says the same first.
func TestNoCredentialsSaysSo(t *testing.T) {
	noCredentials(t)
	cfg := Config{Timeout: 20 * time.Second, AWS: &AWSConfig{Options: awsprobe.Options{Region: "us-east-1"}, ESM: "0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b"}}
	start := time.Now()
	rs := RunChecks(context.Background(), cfg, []Check{mappingCheck, stsCheck}, nil)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %s: two credential lookups, each must end within a second", d)
	}
	for i, want := range []string{"ESM-MAPPING-009", "ESM-STS-001"} {
		r := rs[i]
		if r.Status != model.Fail || r.Code != want {
			t.Fatalf("%s: %s %s %q, want fail %s", r.ID, r.Status, r.Code, r.Cause(), want)
		}
		if r.Duration > time.Second {
			t.Errorf("%s took %s, want within a second", r.ID, r.Duration)
		}
		c := r.Cause()
		for _, source := range []string{"the environment (AWS_ACCESS_KEY_ID", "the shared files (~/.aws/credentials", "SSO",
			"the container credentials", "EC2 instance metadata (no answer from 169.254.169.254"} {
			if !strings.Contains(c, source) {
				t.Errorf("%s cause lacks %q: %s", r.ID, source, c)
			}
		}
		if strings.Contains(c, "deadline exceeded") {
			t.Errorf("%s cause says %q", r.ID, c)
		}
	}
}

// A throttling answer whose retry did not fit in the step budget is
// reported as throttling (the last API error is kept), not as packets
// dropped; the run's deadline is told apart from the step budget.
func TestTimeoutsToldApart(t *testing.T) {
	throttle := &smithy.OperationError{ServiceID: "Kafka", OperationName: "DescribeClusterV2",
		Err: &smithy.GenericAPIError{Code: "TooManyRequestsException", Message: "Rate exceeded"}}
	s := awsTestState()
	o := clusterFailure(awsprobe.Cluster{ARN: "arn:aws:kafka:us-east-1:1:cluster/c/u", Operation: "DescribeClusterV2",
		Err: &awsprobe.CallError{Cause: awsprobe.ErrStepTimeout, Last: throttle, Answers: 1, Err: context.DeadlineExceeded}}, s)
	if o.Code != "ESM-CLUSTER-003" || o.Args["api_code"] != "TooManyRequestsException" ||
		!strings.Contains(o.Args["fix"], "throttled the call (1 such answer(s), then the retry got no answer within the step budget)") {
		t.Errorf("throttled then timed out: %s %v", o.Code, o.Args)
	}
	for cause, want := range map[error]string{
		ErrDeadline:             "the run's deadline (--timeout) ended the call",
		awsprobe.ErrStepTimeout: "connected, but no answer within 1s",
		context.Canceled:        "interrupted",
	} {
		d, ok := networkDetail(&awsprobe.CallError{Cause: cause, Err: context.DeadlineExceeded}, time.Second)
		if !ok || !strings.HasPrefix(d, want) || strings.Contains(d, "packets dropped") {
			t.Errorf("%v: %q, want %q", cause, d, want)
		}
	}
}

// KMS denial is KMS: Secrets Manager's AccessDeniedException about KMS is
// the KMS code with kms:Decrypt in the fix; an AccessDeniedException about
// the secret stays the access code.
func TestKMSDenialIsKMS(t *testing.T) {
	cmk := "arn:aws:kms:us-east-1:123456789012:key/k"
	deny := func(msg string) error {
		return &smithy.OperationError{ServiceID: "Secrets Manager", OperationName: "GetSecretValue",
			Err: &smithy.GenericAPIError{Code: "AccessDeniedException", Message: msg}}
	}
	args := func() Args {
		return Args{"source": "arn:aws:secretsmanager:us-east-1:123456789012:secret:s", "region": "us-east-1", "caller": "arn:aws:sts::1:assumed-role/r/esmdoctor"}
	}
	o := secretFetchFailure(awsprobe.Secret{Err: deny("Access to KMS is not allowed"), KMSKeyID: cmk}, args(), awsTestState())
	r := model.Result{Code: o.Code, Args: o.Args}
	if o.Code != "ESM-SECRET-015" || !strings.Contains(r.Remediation(), "allow kms:Decrypt on KMS key "+cmk) ||
		strings.Contains(r.Cause(), "KMS key KMS key") || !strings.Contains(r.Cause(), "cannot decrypt the secret with KMS key "+cmk) {
		t.Errorf("KMS denial: %s\n cause %s\n fix %s", o.Code, r.Cause(), r.Remediation())
	}
	o = secretFetchFailure(awsprobe.Secret{Err: deny("User: arn:aws:sts::1:assumed-role/r/x is not authorized to perform: secretsmanager:GetSecretValue"), KMSKeyID: cmk}, args(), awsTestState())
	if o.Code != "ESM-SECRET-014" {
		t.Errorf("secret denial: %s", o.Code)
	}
	if !errors.Is(&awsprobe.CallError{Cause: ErrDeadline}, ErrDeadline) {
		t.Error("a CallError does not unwrap to its cause")
	}
}
