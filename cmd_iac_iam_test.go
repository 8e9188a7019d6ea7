package main

import (
	"strings"
	"testing"
)

// A Terraform plan whose self-managed mapping uses IAM_OAUTHBEARER_AUTH
// (or IAM_AUTH) is checked in that mode: it comes from the access
// configuration type, as for a mapping read with --esm (before, a plan
// without a secret was checked as TLS). AWS calls go to a closed port:
// only the target matters here.
func TestTerraformPlanIAMAccessConfigs(t *testing.T) {
	for k, v := range map[string]string{"AWS_ACCESS_KEY_ID": "AKIDPLAN", "AWS_SECRET_ACCESS_KEY": "plan-secret", "AWS_SESSION_TOKEN": "",
		"AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_EC2_METADATA_DISABLED": "true", "AWS_PROFILE": "", "AWS_CONFIG_FILE": "/nonexistent",
		"AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"} {
		t.Setenv(k, v)
	}
	for _, c := range []struct {
		access, auth string
	}{
		{`{"type": "IAM_OAUTHBEARER_AUTH"}, {"type": "OAUTHBEARER_AUDIENCE", "uri": "kafka-prod"}`, "iam-oauthbearer"},
		{`{"type": "IAM_AUTH"}`, "iam"},
	} {
		plan := write(t, "plan.json", `{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
  {"address": "aws_lambda_event_source_mapping.orders", "mode": "managed", "type": "aws_lambda_event_source_mapping", "name": "orders",
   "values": {"function_name": "arn:aws:lambda:eu-west-1:123456789012:function:orders-consumer", "topics": ["orders"],
     "self_managed_event_source": [{"endpoints": {"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1"}}],
     "source_access_configuration": [`+c.access+`]}}]}},
 "resource_changes": [{"address": "aws_lambda_event_source_mapping.orders", "mode": "managed", "type": "aws_lambda_event_source_mapping",
   "name": "orders", "change": {"actions": ["create"]}}]}`)
		_, out, errOut := esm(t, "check", "--terraform-plan", plan, "--region", "eu-west-1", "-o", "json", "--timeout", "5s")
		r := parseJSON(t, out)
		if r.Target.Auth != c.auth || r.Target.AuthReason != "from the "+strings.SplitN(c.access, `"`, 5)[3]+" access configuration" {
			t.Fatalf("%s: auth %q (%s)\n%s%s", c.auth, r.Target.Auth, r.Target.AuthReason, out, errOut)
		}
	}
}
