package awsprobe

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go"
)

// The on-failure destination reads (SQS GetQueueUrl and
// GetQueueAttributes, SNS GetTopicAttributes, S3 HeadBucket) go through
// this small signed-request helper rather than the SDK's service modules:
// three read calls do not justify three more modules (S3's alone is
// large), and the query and REST shapes involved are small and stable.

// signedRequest is one SigV4-signed call.
type signedRequest struct {
	service, region string // the signing name and Region
	serviceID, op   string // for errors: "SQS", "GetQueueUrl"
	method, url     string
	body            []byte
	contentType     string
	target          string // X-Amz-Target of the JSON protocols ("" for the others)
}

// signedAnswer is what came back.
type signedAnswer struct {
	status int
	header http.Header
	data   []byte
}

// sendSigned signs and sends r within budget; a transport error or a 5xx
// is tried once more (these are reads), and the last 5xx answer is the
// caller's to read (its error code), as the SDK's retries end. A context
// that ended becomes a *CallError with its cause, as the SDK calls'
// errors do.
func sendSigned(ctx context.Context, cfg aws.Config, r signedRequest, budget time.Duration) (signedAnswer, error) {
	ctx, cancel := context.WithTimeoutCause(ctx, budget, ErrStepTimeout)
	defer cancel()
	var ans signedAnswer
	var err error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		ans, err = sendOnce(ctx, cfg, r)
		if err == nil && (ans.status < 500 || attempt == maxAttempts-1) {
			return ans, nil
		}
		if err == nil {
			err = &smithy.GenericAPIError{Code: "HTTP" + strconv.Itoa(ans.status), Message: http.StatusText(ans.status)}
		}
		if ctx.Err() != nil {
			return ans, &CallError{Cause: context.Cause(ctx), Err: err}
		}
	}
	return ans, &smithy.OperationError{ServiceID: r.serviceID, OperationName: r.op, Err: err}
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

// serviceEndpoint is where a service's calls go: AWS_ENDPOINT_URL_<ID>,
// then AWS_ENDPOINT_URL (the configuration's base endpoint), else def.
func serviceEndpoint(cfg aws.Config, envID, def string) (string, bool) {
	if ep := os.Getenv("AWS_ENDPOINT_URL_" + envID); ep != "" {
		return strings.TrimSuffix(ep, "/"), true
	}
	if cfg.BaseEndpoint != nil && *cfg.BaseEndpoint != "" {
		return strings.TrimSuffix(*cfg.BaseEndpoint, "/"), true
	}
	return def, false
}

// queryError reads a query-protocol error document (SQS, SNS:
// <ErrorResponse><Error><Code>...) into an API error the checks classify
// by code.
func queryError(r signedRequest, ans signedAnswer) error {
	var doc struct {
		Code    string `xml:"Error>Code"`
		Message string `xml:"Error>Message"`
	}
	err := error(&smithy.GenericAPIError{Code: "HTTP" + strconv.Itoa(ans.status), Message: http.StatusText(ans.status)})
	if xml.Unmarshal(ans.data, &doc) == nil && doc.Code != "" {
		err = &smithy.GenericAPIError{Code: doc.Code, Message: doc.Message}
	}
	return &smithy.OperationError{ServiceID: r.serviceID, OperationName: r.op, Err: err}
}
