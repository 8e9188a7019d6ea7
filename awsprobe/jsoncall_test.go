package awsprobe

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// TestJSONEndpoints: a JSON-protocol service's endpoint is resolved as
// the SDK resolves it: AWS_ENDPOINT_URL_<ID> first, then the
// configuration's base endpoint, else the regional one (amazonaws.com.cn
// in the China Regions).
func TestJSONEndpoints(t *testing.T) {
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "")
	t.Setenv("AWS_ENDPOINT_URL_GLUE", "")
	base := aws.Config{Region: "eu-west-1"}
	if got := logsAPI().endpoint(base); got != "https://logs.eu-west-1.amazonaws.com" {
		t.Errorf("default: %s", got)
	}
	if got := logsAPI().endpoint(aws.Config{Region: "cn-north-1"}); got != "https://logs.cn-north-1.amazonaws.com.cn" {
		t.Errorf("China: %s", got)
	}
	base.BaseEndpoint = aws.String("http://127.0.0.1:4566/")
	if got := logsAPI().endpoint(base); got != "http://127.0.0.1:4566" {
		t.Errorf("base endpoint: %s", got)
	}
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "http://127.0.0.1:15000")
	if got := logsAPI().endpoint(base); got != "http://127.0.0.1:15000" {
		t.Errorf("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: %s", got)
	}
	if got := glueAPI().endpoint(aws.Config{Region: "us-east-2"}); got != "https://glue.us-east-2.amazonaws.com" {
		t.Errorf("glue: %s", got)
	}
}
