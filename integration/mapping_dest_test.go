package integration

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/model"
)

// motoCall sends one set-up request to moto, routed by the credential
// scope's service and Region as moto routes signed calls (moto checks no
// signature).
func motoCall(t *testing.T, a awsBed, svc, region, method, path, form string) {
	t.Helper()
	req, err := http.NewRequest(method, a.moto+path, strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if strings.HasPrefix(form, "<") {
		req.Header.Set("Content-Type", "application/xml")
	}
	req.Header.Set("Authorization", fmt.Sprintf("AWS4-HMAC-SHA256 Credential=AKIDSETUP/20260101/%s/%s/aws4_request, SignedHeaders=host, Signature=00", region, svc))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("moto %s %s %s: %s", svc, method, path, resp.Status)
	}
}

// TestAWSDestinations: an SQS, SNS or S3 on-failure destination given with
// --destination-config is read from moto with esmdoctor's identity
// (GetQueueUrl and GetQueueAttributes, GetTopicAttributes, HeadBucket):
// one that exists is stated with its Region and account and the modes that
// take it; a missing one is ESM-DEST-101 naming the service's answer; one
// in another Region than the function ESM-DEST-102; a destination Kafka
// mappings do not take ESM-DEST-104. With --esm, the mapping's own
// destination is checked the same way.
func TestAWSDestinations(t *testing.T) {
	a := requireAWS(t)
	for _, k := range []string{"SQS", "SNS", "S3"} {
		t.Setenv("AWS_ENDPOINT_URL_"+k, a.moto)
	}
	q, tp, b := "dlq-"+a.tag, "dlt-"+a.tag, "esm-dlq-"+a.tag
	motoCall(t, a, "sqs", awsRegion, http.MethodPost, "/", url.Values{"Action": {"CreateQueue"}, "QueueName": {q}, "Version": {"2012-11-05"}}.Encode())
	motoCall(t, a, "sqs", "us-west-2", http.MethodPost, "/", url.Values{"Action": {"CreateQueue"}, "QueueName": {q + "-west"}, "Version": {"2012-11-05"}}.Encode())
	motoCall(t, a, "sns", awsRegion, http.MethodPost, "/", url.Values{"Action": {"CreateTopic"}, "Name": {tp}, "Version": {"2010-03-31"}}.Encode())
	motoCall(t, a, "s3", awsRegion, http.MethodPut, "/"+b, "")
	motoCall(t, a, "s3", "eu-west-1", http.MethodPut, "/"+b+"-eu",
		`<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>`)
	sqs := func(region, name string) string {
		return fmt.Sprintf("arn:aws:sqs:%s:%s:%s", region, motoAccount, name)
	}
	sns := fmt.Sprintf("arn:aws:sns:%s:%s:", awsRegion, motoAccount)
	cases := []struct {
		dest   string
		status model.Status
		code   string
		want   string
	}{
		{sqs(awsRegion, q), model.Skip, "", "on-failure destination " + sqs(awsRegion, q) + ": the SQS queue exists (Region us-east-1, account " + motoAccount + ")"},
		{sqs(awsRegion, q+"-gone"), model.Warn, "ESM-DEST-101", "SQS GetQueueUrl answered AWS.SimpleQueueService.NonExistentQueue"},
		{sqs("us-west-2", q+"-west"), model.Warn, "ESM-DEST-102", "is in us-west-2, the function and its mapping in us-east-1"},
		{sns + tp, model.Skip, "", "the SNS topic exists (Region us-east-1"},
		{sns + tp + "-gone", model.Warn, "ESM-DEST-101", "SNS GetTopicAttributes answered NotFound (Topic does not exist)"},
		{"arn:aws:s3:::" + b, model.Skip, "", "the S3 bucket exists (Region us-east-1)"},
		{"arn:aws:s3:::" + b + "-gone", model.Warn, "ESM-DEST-101", "S3 HeadBucket answered NoSuchBucket"},
		{"arn:aws:s3:::" + b + "-eu", model.Warn, "ESM-DEST-102", "is in eu-west-1, the function and its mapping in us-east-1"},
		{"arn:aws:lambda:us-east-1:" + motoAccount + ":function:f", model.Warn, "ESM-DEST-104", "is not an SQS queue, SNS topic, S3 bucket or kafka:// topic"},
	}
	for _, c := range cases {
		r := mappingResult(t, a, func(cfg *checks.Config) { cfg.OnFailure = c.dest })
		all := r.Reason + r.Cause() + strings.Join(r.Detail, "\n")
		if r.Status != c.status || r.Code != c.code || !strings.Contains(all, c.want) {
			t.Errorf("%s: %s %s, want %s %s with %q:\n%s", c.dest, r.Status, r.Code, c.status, c.code, c.want, all)
		}
		if c.code == "" && !strings.Contains(all, "taken in on-demand and provisioned mode alike (only a kafka:// destination needs provisioned mode)") {
			t.Errorf("%s: no mode note:\n%s", c.dest, all)
		}
	}
	// --esm: the mapping's own destination.
	fn, _ := a.function(t, "orders-consumer")
	id := a.uuid(11)
	selfManagedMapping(t, a, id, fn, a.Get("SCRAM_PASSWORD"), a.group(), map[string]any{
		"DestinationConfig": map[string]any{"OnFailure": map[string]any{"Destination": sqs(awsRegion, q+"-gone")}}})
	r := find(t, runAWS(t, checks.Config{AWS: awsConfig(func(c *checks.AWSConfig) { c.ESM = id })}), "mapping")
	if r.Code != "ESM-DEST-101" || !strings.Contains(strings.Join(r.Detail, "\n"), "event source mapping "+id) {
		t.Fatalf("--esm: %s %s %q %v", r.Status, r.Code, r.Cause(), r.Detail)
	}
}
