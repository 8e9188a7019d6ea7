package awsprobe

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/aws/smithy-go"
)

// headBucket checks the bucket exists (HeadBucket) and learns its Region
// from x-amz-bucket-region, which S3 sends with 200, 301 (the bucket is
// in another Region than the endpoint) and 403 answers. The call is made
// in the function's Region: where the mapping's writes would start.
func (s *Session) headBucket(ctx context.Context, d *Destination, budget time.Duration) {
	cfg := s.base
	ep, custom := serviceEndpoint(ctx, cfg, "S3", "")
	target := ep + "/" + url.PathEscape(d.Name) // path style, for an endpoint given by URL
	if !custom {
		ep = "https://" + d.Name + ".s3." + cfg.Region + ".amazonaws.com"
		target = ep + "/"
	}
	d.Operation, d.Endpoint = "HeadBucket", ep
	r := signedRequest{service: "s3", region: cfg.Region, serviceID: "S3", op: "HeadBucket", method: http.MethodHead, url: target}
	ans, err := sendSigned(ctx, cfg, r, budget)
	if err != nil {
		d.Err = err
		return
	}
	d.Region = ans.header.Get("X-Amz-Bucket-Region")
	switch ans.status {
	case http.StatusOK, http.StatusMovedPermanently:
		return
	}
	d.Err = &smithy.OperationError{ServiceID: "S3", OperationName: "HeadBucket", Err: headError(ans.status)}
}

// headError names a HeadBucket status: a HEAD answer has no body, so the
// code is the one S3 documents for the status.
func headError(status int) error {
	switch status {
	case http.StatusNotFound:
		return &smithy.GenericAPIError{Code: "NoSuchBucket", Message: "the bucket does not exist (HTTP 404)"}
	case http.StatusForbidden:
		return &smithy.GenericAPIError{Code: "AccessDenied", Message: "HeadBucket denied (HTTP 403): esmdoctor's identity lacks s3:ListBucket on it, or the bucket belongs to another account that does not grant it"}
	}
	return &smithy.GenericAPIError{Code: "HTTP" + strconv.Itoa(status), Message: http.StatusText(status)}
}
