package integration

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/testbed/rie"
	"github.com/esmdoctor/esmdoctor/vpcprobe"
)

// The probe function's side of check --in-vpc: the esmdoctor binary is the
// bootstrap of a function run by the real Lambda Runtime Interface
// Emulator, invoked over its HTTP API with a check configuration, and
// answers with the report in the JSON schema, checked against the real
// broker. The secret is fetched inside the function from Secrets Manager
// (moto), never sent in the payload.

// repoRoot is the repository root (the integration tests run in integration/).
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// rieBinary is the emulator, built into testbed/.cache/bin when missing.
func rieBinary(t *testing.T) string {
	t.Helper()
	bin, err := rie.Binary(repoRoot(t))
	if err != nil {
		t.Fatalf("building the Runtime Interface Emulator: %v", err)
	}
	return bin
}

// functionEnv is what Lambda gives the probe function: its Region and the
// role's credentials (here moto's), and the endpoints (test bed stand-ins).
func functionEnv() []string {
	var env []string
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_DEFAULT_REGION",
		"AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_EC2_METADATA_DISABLED",
		"AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_ENDPOINT_URL_KAFKA", "AWS_ENDPOINT_URL_LAMBDA"} {
		env = append(env, k+"="+os.Getenv(k))
	}
	return env
}

// scramPayloadCfg is a healthy SCRAM-SHA-512 run whose secret lives in
// Secrets Manager; user and password choose the fault.
func scramPayloadCfg(t *testing.T, a awsBed, user, password string) checks.Config {
	arn := a.secret(t, awsRegion, "inlambda-scram", scramJSON(user, password), "")
	return checks.Config{Bootstrap: a.hostPorts(a.Get("SASL_SSL")), Topic: a.Get("TOPIC"), Auth: checks.AuthSCRAM512,
		AuthReason: "from the SASL_SCRAM_512_AUTH access configuration", Secret: &checks.SecretDoc{Source: arn, ARN: arn},
		CA: a.ca("CA_PEM"), ConsumerGroup: a.group(), Timeout: awsTimeout, AWS: awsConfig()}
}

func TestInLambdaHandlerUnderRIE(t *testing.T) {
	a := requireAWS(t)
	bin, bootstrap := rieBinary(t), esmdoctorCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	in, err := rie.Start(ctx, rie.Options{RIE: bin, Bootstrap: bootstrap, Timeout: 60 * time.Second, Name: "esmdoctor-probe-test", Env: functionEnv()})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Stop()
	cfg := scramPayloadCfg(t, a, a.Get("SCRAM_USER"), a.Get("SCRAM_PASSWORD"))
	p, err := vpcprobe.FromConfig(cfg, "", false)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(p)
	if strings.Contains(string(raw), a.Get("SCRAM_PASSWORD")) {
		t.Fatalf("the payload carries the password: %s", raw)
	}
	status, body, err := in.Invoke(ctx, raw)
	if err != nil || status != 200 {
		t.Fatalf("invoke: HTTP %d, %v: %s", status, err, body)
	}
	rep, err := vpcprobe.DecodeReport(body)
	if err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	wantStatuses(t, rep.Results, allPass)
	local := runAWS(t, cfg)
	if statusLine(local) != statusLine(rep.Results) {
		t.Fatalf("in the function: %s\nlocally: %s", statusLine(rep.Results), statusLine(local))
	}
	if rep.Target.Auth != "sasl-scram-512" || rep.Target.SecretSource != cfg.Secret.ARN {
		t.Fatalf("target %+v", rep.Target)
	}
	if strings.Contains(string(body), a.Get("SCRAM_PASSWORD")) {
		t.Fatal("the report carries the password")
	}
}

// A wrong password fails at sasl inside the function as it does locally,
// with the same code and cause.
func TestInLambdaHandlerWrongPassword(t *testing.T) {
	a := requireAWS(t)
	bin, bootstrap := rieBinary(t), esmdoctorCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	in, err := rie.Start(ctx, rie.Options{RIE: bin, Bootstrap: bootstrap, Timeout: 60 * time.Second, Name: "esmdoctor-probe-test", Env: functionEnv()})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Stop()
	cfg := scramPayloadCfg(t, a, a.Get("SCRAM_USER"), "wrong-"+a.tag)
	p, _ := vpcprobe.FromConfig(cfg, "", false)
	raw, _ := json.Marshal(p)
	status, body, err := in.Invoke(ctx, raw)
	if err != nil || status != 200 {
		t.Fatalf("invoke: HTTP %d, %v: %s", status, err, body)
	}
	rep, err := vpcprobe.DecodeReport(body)
	if err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	local := runAWS(t, cfg)
	wantStatuses(t, rep.Results, statusLine(local))
	remote, here := find(t, rep.Results, "sasl"), find(t, local, "sasl")
	if remote.Code != "ESM-SASL-001" || remote.Cause() != here.Cause() {
		t.Fatalf("sasl in the function %s %q, locally %s %q", remote.Code, remote.Cause(), here.Code, here.Cause())
	}
	if strings.Contains(string(body), "wrong-"+a.tag) {
		t.Fatal("the report carries the password")
	}
}
