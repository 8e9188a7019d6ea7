package awsprobe

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// TestJSONEndpoints: a JSON-protocol service's endpoint is resolved as
// the SDK resolves it: AWS_ENDPOINT_URL_<ID> first, then the
// configuration's base endpoint, else the regional one (amazonaws.com.cn
// in the China Regions).
func TestJSONEndpoints(t *testing.T) {
	ctx := context.Background()
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "")
	t.Setenv("AWS_ENDPOINT_URL_GLUE", "")
	base := aws.Config{Region: "eu-west-1"}
	if got := logsAPI().endpoint(ctx, base); got != "https://logs.eu-west-1.amazonaws.com" {
		t.Errorf("default: %s", got)
	}
	if got := logsAPI().endpoint(ctx, aws.Config{Region: "cn-north-1"}); got != "https://logs.cn-north-1.amazonaws.com.cn" {
		t.Errorf("China: %s", got)
	}
	base.BaseEndpoint = aws.String("http://127.0.0.1:4566/")
	if got := logsAPI().endpoint(ctx, base); got != "http://127.0.0.1:4566" {
		t.Errorf("base endpoint: %s", got)
	}
	sess := testSession(t, map[string]string{"AWS_REGION": "eu-west-1", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS": "http://127.0.0.1:15000"})
	if got := logsAPI().endpoint(ctx, sess.regional("")); got != "http://127.0.0.1:15000" {
		t.Errorf("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: %s", got)
	}
	if got := glueAPI().endpoint(ctx, aws.Config{Region: "us-east-2"}); got != "https://glue.us-east-2.amazonaws.com" {
		t.Errorf("glue: %s", got)
	}
}

// TestConfiguredEndpoints: a service's endpoint in the shared config's
// services section is honoured as the SDK honours it: over the profile's
// endpoint_url, under AWS_ENDPOINT_URL set alone, and not at all with
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS.
func TestConfiguredEndpoints(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "config")
	conf := "[default]\nregion = eu-west-1\nendpoint_url = http://127.0.0.1:4500\nservices = local\n\n[services local]\n" +
		"kafka =\n  endpoint_url = http://127.0.0.1:4567\ncloudwatch_logs =\n  endpoint_url = http://127.0.0.1:4568/\n"
	if err := os.WriteFile(file, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	// Set, even empty, these change the resolution: t.Setenv restores
	// them after the test, load unsets them once the session is loaded.
	vars := []string{"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_KAFKA", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "AWS_ENDPOINT_URL_GLUE", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"}
	for _, k := range vars {
		t.Setenv(k, "")
	}
	load := func(env map[string]string) aws.Config {
		sess := testSession(t, env)
		for _, k := range vars {
			os.Unsetenv(k)
		}
		return sess.regional("")
	}
	env := map[string]string{"AWS_CONFIG_FILE": file, "AWS_REGION": ""}
	cfg := load(env)
	if got := kafkaEndpoint(ctx, cfg); got != "http://127.0.0.1:4567" {
		t.Errorf("kafka from the services section: %s", got)
	}
	if got := logsAPI().endpoint(ctx, cfg); got != "http://127.0.0.1:4568" {
		t.Errorf("logs from the services section: %s", got)
	}
	if got := glueEndpoint(ctx, cfg); got != "http://127.0.0.1:4500" {
		t.Errorf("glue from the profile's endpoint_url: %s", got)
	}
	env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:4600"
	cfg = load(env)
	t.Setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4600")
	if got := kafkaEndpoint(ctx, cfg); got != "http://127.0.0.1:4600" {
		t.Errorf("AWS_ENDPOINT_URL alone: %s", got)
	}
	delete(env, "AWS_ENDPOINT_URL")
	env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true"
	cfg = load(env)
	if got := kafkaEndpoint(ctx, cfg); got != "https://kafka.eu-west-1.amazonaws.com" {
		t.Errorf("ignored: %s", got)
	}
}
