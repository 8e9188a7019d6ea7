package awsprobe

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/esmdoctor/esmdoctor/probe"
)

// The on-failure destination reads (SQS GetQueueUrl and
// GetQueueAttributes, SNS GetTopicAttributes, S3 HeadBucket), the Glue
// and CloudWatch Logs reads (jsoncall.go) and the MSK reads (mskapi.go) go
// through this small signed-request helper rather than the SDK's service
// modules: a few read calls do not justify a module each (S3's alone is
// large, and each module's package initialisation runs at every start),
// and the query, JSON and REST shapes involved are small and stable. The
// helper behaves as the SDK's clients do where the checks can tell:
// retries (the SDK's retryer), errors (wrapped as the SDK wraps them),
// endpoints (serviceendpoint.go) and the response bound.

// signedRequest is one SigV4-signed call.
type signedRequest struct {
	service, region string // the signing name and Region
	serviceID, op   string // for errors: "SQS", "GetQueueUrl"
	method, url     string
	body            []byte
	contentType     string
	target          string // X-Amz-Target of the JSON protocols ("" for the others)
	// errOf reads an error answer (4xx, 5xx) into the error the caller
	// returns for it (jsonError, queryError); nil: statusError.
	errOf func(signedRequest, signedAnswer) error
}

// decodeError is the error an error answer stands for.
func (r signedRequest) decodeError(ans signedAnswer) error {
	if r.errOf == nil {
		return statusError(r, ans)
	}
	return r.errOf(r, ans)
}

// signedAnswer is what came back.
type signedAnswer struct {
	status int
	header http.Header
	data   []byte
}

// sendSigned signs and sends r within budget, retrying as the SDK calls
// do (call): the SDK's standard retryer decides, on the answer's decoded
// error (r.errOf), whether a throttle, a 5xx or a transport error is
// tried once more, and how long to wait first (at most a quarter of the
// budget). An error answer on the last attempt is returned for the caller
// to read; a context that ended becomes a *CallError with its cause and
// the last error answer, as the SDK calls' errors do.
func sendSigned(ctx context.Context, cfg aws.Config, r signedRequest, budget time.Duration) (signedAnswer, error) {
	ctx, cancel := context.WithTimeoutCause(ctx, budget, ErrStepTimeout)
	defer cancel()
	retryer := stepRetryer(budget)
	var answers int
	var last error
	for attempt := 1; ; attempt++ {
		ans, err := sendOnce(ctx, cfg, r)
		if err == nil && ans.status < 400 {
			return ans, nil
		}
		failure := err
		if err == nil {
			failure = r.decodeError(ans)
			answers, last = answers+1, failure
		}
		if ctx.Err() != nil {
			return ans, &CallError{Cause: context.Cause(ctx), Last: last, Answers: answers, Err: failure}
		}
		delay, derr := retryer.RetryDelay(attempt, failure)
		if attempt >= retryer.MaxAttempts() || !retryer.IsErrorRetryable(failure) || derr != nil {
			if err == nil {
				return ans, nil // the caller reads the error answer
			}
			return ans, &smithy.OperationError{ServiceID: r.serviceID, OperationName: r.op, Err: err}
		}
		if !probe.Sleep(ctx, delay) {
			return ans, &CallError{Cause: context.Cause(ctx), Last: last, Answers: answers, Err: failure}
		}
	}
}

func sendOnce(ctx context.Context, cfg aws.Config, r signedRequest) (signedAnswer, error) {
	req, err := http.NewRequestWithContext(ctx, r.method, r.url, bytes.NewReader(r.body))
	if err != nil {
		return signedAnswer{}, err
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	if r.target != "" {
		req.Header.Set("X-Amz-Target", r.target)
	}
	sum := sha256.Sum256(r.body)
	hash := hex.EncodeToString(sum[:])
	req.Header.Set("X-Amz-Content-Sha256", hash) // S3 requires it; the others ignore it
	if cfg.Credentials == nil {
		return signedAnswer{}, errNoProvider
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return signedAnswer{}, err
	}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hash, r.service, r.region, time.Now()); err != nil {
		return signedAnswer{}, err
	}
	client := cfg.HTTPClient
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return signedAnswer{}, err
	}
	defer resp.Body.Close()
	data, err := readBounded(resp.Body)
	return signedAnswer{status: resp.StatusCode, header: resp.Header, data: data}, err
}

// readBounded reads an answer of at most MaxResponseBytes, the bound of
// the SDK calls' answers (most are a few hundred bytes; a page of log
// events can approach 1 MB); a longer one is an ErrResponseTooLarge,
// never silently cut.
func readBounded(body io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(body, MaxResponseBytes+1))
	if err == nil && len(data) > MaxResponseBytes {
		return nil, errTooLarge(-1)
	}
	return data, err
}

// queryError reads a query-protocol error document (SQS, SNS:
// <ErrorResponse><Error><Code>...) into an API error the checks classify
// by code.
func queryError(r signedRequest, ans signedAnswer) error {
	var doc struct {
		Code    string `xml:"Error>Code"`
		Message string `xml:"Error>Message"`
	}
	if xml.Unmarshal(ans.data, &doc) == nil && doc.Code != "" {
		return answerError(r, ans, &smithy.GenericAPIError{Code: doc.Code, Message: doc.Message})
	}
	return statusError(r, ans)
}

// statusError is an error answer without a readable code: its HTTP status
// stands for the code ("HTTP403").
func statusError(r signedRequest, ans signedAnswer) error {
	return answerError(r, ans, &smithy.GenericAPIError{Code: "HTTP" + strconv.Itoa(ans.status), Message: http.StatusText(ans.status)})
}

// answerError wraps an error answer's API error as the SDK does: a
// *smithy.OperationError around an *awshttp.ResponseError (the status,
// the request id) around it, so the checks and the retryer read the code
// and the status as they do from the SDK calls.
func answerError(r signedRequest, ans signedAnswer, apiErr error) error {
	resp := &smithyhttp.Response{Response: &http.Response{StatusCode: ans.status, Header: ans.header}}
	return &smithy.OperationError{ServiceID: r.serviceID, OperationName: r.op, Err: &awshttp.ResponseError{
		ResponseError: &smithyhttp.ResponseError{Response: resp, Err: apiErr},
		RequestID:     requestID(ans.header),
	}}
}

// requestID is the answer's request id (x-amzn-RequestId, or S3's
// x-amz-request-id).
func requestID(h http.Header) string {
	if id := h.Get("X-Amzn-Requestid"); id != "" {
		return id
	}
	return h.Get("X-Amz-Request-Id")
}
