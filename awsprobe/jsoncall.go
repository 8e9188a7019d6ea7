package awsprobe

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"
)

// jsonAPI is a service spoken in the AWS JSON 1.1 protocol (a signed POST
// naming the operation in X-Amz-Target) through the signed-call helper.
type jsonAPI struct {
	signing   string // the SigV4 signing name and endpoint host label: "logs"
	serviceID string // the SDK's service id, in errors: "CloudWatch Logs"
	envID     string // AWS_ENDPOINT_URL_<envID>: "CLOUDWATCH_LOGS"
	target    string // the X-Amz-Target prefix: "Logs_20140328"
}

// endpoint is where the service's calls go for cfg's Region, resolved as
// the SDK does (serviceEndpoint), else the regional endpoint.
func (a jsonAPI) endpoint(ctx context.Context, cfg aws.Config) string {
	ep, _ := serviceEndpoint(ctx, cfg, a.envID, regionalEndpoint(a.signing, cfg.Region))
	return ep
}

// call sends one operation with in as its JSON body and decodes the
// answer into out, within budget. An error answer becomes what the SDK
// returns for it: a *smithy.OperationError around an
// *awshttp.ResponseError around the API error, so the checks classify it
// by code (and status) exactly as they classify the SDK calls' errors.
func (a jsonAPI) call(ctx context.Context, cfg aws.Config, op string, in, out any, budget time.Duration) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	r := signedRequest{service: a.signing, region: cfg.Region, serviceID: a.serviceID, op: op, method: http.MethodPost,
		url: a.endpoint(ctx, cfg) + "/", body: body, contentType: "application/x-amz-json-1.1", target: a.target + "." + op, errOf: jsonError}
	return sendJSON(ctx, cfg, r, out, budget)
}

// sendJSON sends r and decodes a 200 answer's JSON into out; an error
// answer is read by jsonError.
func sendJSON(ctx context.Context, cfg aws.Config, r signedRequest, out any, budget time.Duration) error {
	ans, err := sendSigned(ctx, cfg, r, budget)
	if err != nil {
		return err
	}
	if ans.status != http.StatusOK {
		return jsonError(r, ans)
	}
	if err := json.Unmarshal(ans.data, out); err != nil {
		return &smithy.OperationError{ServiceID: r.serviceID, OperationName: r.op, Err: err}
	}
	return nil
}

// jsonError reads an AWS JSON protocol error into an API error, in the
// order the SDK reads it: the code in X-Amzn-ErrorType, else the body's
// "__type", else its "code" (namespace and ":..." suffix removed); the
// message in "message" or "Message". An answer without a code (a proxy's
// page) keeps its HTTP status as the code: "HTTP403".
func jsonError(r signedRequest, ans signedAnswer) error {
	var doc struct {
		Type     string `json:"__type"`
		Code     any    `json:"code"`
		Message  string `json:"message"`
		MessageU string `json:"Message"`
	}
	_ = json.Unmarshal(ans.data, &doc)
	code := ans.header.Get("X-Amzn-ErrorType")
	if code == "" {
		code = doc.Type
	}
	if s, ok := doc.Code.(string); ok && code == "" {
		code = s
	}
	code = sanitizeCode(code)
	if code == "" {
		return statusError(r, ans)
	}
	msg := doc.MessageU
	if msg == "" {
		msg = doc.Message
	}
	return answerError(r, ans, &smithy.GenericAPIError{Code: code, Message: msg})
}

// sanitizeCode strips a code's namespace ("aws.protocols#") and URI
// suffix (":http://..."), as the SDK does.
func sanitizeCode(code string) string {
	code, _, _ = strings.Cut(code, ":")
	if i := strings.IndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	return code
}

// logsAPI is CloudWatch Logs in the AWS JSON 1.1 protocol.
func logsAPI() jsonAPI {
	return jsonAPI{signing: "logs", serviceID: "CloudWatch Logs", envID: "CLOUDWATCH_LOGS", target: "Logs_20140328"}
}

// LogsCall sends one CloudWatch Logs read (op: "FilterLogEvents",
// "DescribeLogStreams") with cfg's identity and Region, in as its JSON
// body, and decodes the answer into out, within budget. The two reads of
// the health check go through the signed-call helper rather than the
// SDK's cloudwatchlogs module, whose package initialisation (its schema
// tables and endpoint rules) cost about 0.7 ms and 0.75 MB of every run's
// start-up, logs read or not.
func LogsCall(ctx context.Context, cfg aws.Config, op string, in, out any, budget time.Duration) error {
	return logsAPI().call(ctx, cfg, op, in, out, budget)
}
