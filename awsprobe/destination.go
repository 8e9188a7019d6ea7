package awsprobe

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/url"
	"time"

	"github.com/aws/smithy-go"
)

// Destination is what the destination's service says about an SQS, SNS
// or S3 on-failure destination, read with esmdoctor's own credentials.
type Destination struct {
	ARN     string
	Service string // sqs, sns or s3
	// Region is the resource's Region: the ARN's, or for S3 the bucket's
	// as HeadBucket reports it ("" when unknown).
	Region  string
	Account string // the ARN's account ("" for S3)
	Name    string // queue, topic or bucket name
	URL     string // the queue's URL (SQS)
	KMSKey  string // KmsMasterKeyId (SQS, SNS), when set
	// Operation is the last call made; Err its error (nil: the resource
	// exists).
	Operation string
	Endpoint  string
	Err       error
}

// Destination reads an on-failure destination ARN: SQS GetQueueUrl and
// GetQueueAttributes, SNS GetTopicAttributes, S3 HeadBucket.
func (s *Session) Destination(ctx context.Context, arn string, budget time.Duration) Destination {
	a, _ := ParseARN(arn)
	d := Destination{ARN: arn, Service: a.Service, Region: a.Region, Account: a.Account, Name: a.Resource}
	switch a.Service {
	case "sqs":
		s.queue(ctx, &d, budget)
	case "sns":
		s.topicAttributes(ctx, &d, budget)
	case "s3":
		s.headBucket(ctx, &d, budget)
	}
	return d
}

// queryCall sends one query-protocol call (a signed form POST) to the
// destination's Region and decodes the XML answer into out.
func (s *Session) queryCall(ctx context.Context, d *Destination, svc, envID, op string, form url.Values, out any, budget time.Duration) error {
	cfg := s.base.Copy()
	if d.Region != "" {
		cfg.Region = d.Region
	}
	ep, _ := serviceEndpoint(ctx, cfg, envID, "https://"+svc+"."+cfg.Region+".amazonaws.com")
	d.Operation, d.Endpoint = op, ep
	form.Set("Action", op)
	r := signedRequest{service: svc, region: cfg.Region, serviceID: envID, op: op, method: http.MethodPost, url: ep + "/",
		body: []byte(form.Encode()), contentType: "application/x-www-form-urlencoded; charset=utf-8", errOf: queryError}
	ans, err := sendSigned(ctx, cfg, r, budget)
	if err != nil {
		return err
	}
	if ans.status != http.StatusOK {
		return queryError(r, ans)
	}
	if err := xml.Unmarshal(ans.data, out); err != nil {
		return &smithy.OperationError{ServiceID: envID, OperationName: op, Err: err}
	}
	return nil
}

// queue finds the queue (GetQueueUrl, with the ARN's account as the
// owner) and its KMS key (GetQueueAttributes).
func (s *Session) queue(ctx context.Context, d *Destination, budget time.Duration) {
	var u struct {
		URL string `xml:"GetQueueUrlResult>QueueUrl"`
	}
	form := url.Values{"Version": {"2012-11-05"}, "QueueName": {d.Name}, "QueueOwnerAWSAccountId": {d.Account}}
	if d.Err = s.queryCall(ctx, d, "sqs", "SQS", "GetQueueUrl", form, &u, budget); d.Err != nil {
		return
	}
	d.URL = u.URL
	var attrs struct {
		Attrs []struct {
			Name  string `xml:"Name"`
			Value string `xml:"Value"`
		} `xml:"GetQueueAttributesResult>Attribute"`
	}
	form = url.Values{"Version": {"2012-11-05"}, "QueueUrl": {u.URL}, "AttributeName.1": {"KmsMasterKeyId"}}
	if d.Err = s.queryCall(ctx, d, "sqs", "SQS", "GetQueueAttributes", form, &attrs, budget); d.Err != nil {
		return
	}
	for _, a := range attrs.Attrs {
		if a.Name == "KmsMasterKeyId" {
			d.KMSKey = a.Value
		}
	}
}

// topicAttributes reads the topic (GetTopicAttributes) and its KMS key.
func (s *Session) topicAttributes(ctx context.Context, d *Destination, budget time.Duration) {
	var out struct {
		Entries []struct {
			Key   string `xml:"key"`
			Value string `xml:"value"`
		} `xml:"GetTopicAttributesResult>Attributes>entry"`
	}
	form := url.Values{"Version": {"2010-03-31"}, "TopicArn": {d.ARN}}
	if d.Err = s.queryCall(ctx, d, "sns", "SNS", "GetTopicAttributes", form, &out, budget); d.Err != nil {
		return
	}
	for _, e := range out.Entries {
		if e.Key == "KmsMasterKeyId" {
			d.KMSKey = e.Value
		}
	}
}
