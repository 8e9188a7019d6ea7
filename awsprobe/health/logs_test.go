package health

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/smithy-go"
)

// fakeLogs answers CloudWatch Logs' two reads as the service does (AWS
// JSON 1.1: a POST to /, the operation in X-Amz-Target, signed for
// "logs"), and rejects a request shaped otherwise with a 400 the test
// notices. answer returns the status, the X-Amzn-ErrorType header ("" for
// none) and the body for one operation and its decoded request.
type fakeLogs struct {
	mu     sync.Mutex
	calls  []string         // the operations, in order
	bodies []map[string]any // their requests
	answer func(op string, in map[string]any) (int, string, string)
}

func (f *fakeLogs) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), "Logs_20140328.")
	if r.Method != http.MethodPost || r.URL.Path != "/" || !ok || r.Header.Get("Content-Type") != "application/x-amz-json-1.1" ||
		!strings.Contains(r.Header.Get("Authorization"), "/eu-west-1/logs/aws4_request") {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"__type":"BadRequestShape","message":"not a CloudWatch Logs request"}`)
		return
	}
	var in map[string]any
	data, _ := io.ReadAll(r.Body)
	_ = json.Unmarshal(data, &in)
	f.mu.Lock()
	f.calls, f.bodies = append(f.calls, op), append(f.bodies, in)
	f.mu.Unlock()
	status, code, body := f.answer(op, in)
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-Requestid", "req-1")
	if code != "" {
		w.Header().Set("X-Amzn-ErrorType", code)
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// logsConfig is a configuration whose CloudWatch Logs calls go to srv.
func logsConfig(t *testing.T, srv *httptest.Server) aws.Config {
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "")
	return aws.Config{Region: "eu-west-1", BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.Client(),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", "")}
}

const testUUID = "0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b"

// TestSystemLogsReads: one DescribeLogStreams per day by the exact
// <date>/<UUID> prefix; a stream whose last event is before the window is
// left out; FilterLogEvents names the fresh stream, the window and the
// page size, and follows nextToken until the answer has none.
func TestSystemLogsReads(t *testing.T) {
	end := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	start := end.Add(-time.Hour)
	f := &fakeLogs{answer: func(op string, in map[string]any) (int, string, string) {
		switch {
		case op == "DescribeLogStreams" && in["logStreamNamePrefix"] == "2026/11/30/"+testUUID:
			return 200, "", fmt.Sprintf(`{"logStreams":[{"logStreamName":"2026/11/30/%s","lastEventTimestamp":%d}]}`, testUUID, end.UnixMilli())
		case op == "DescribeLogStreams":
			return 200, "", fmt.Sprintf(`{"logStreams":[{"logStreamName":"2026/11/29/%s","lastEventTimestamp":%d}]}`, testUUID, start.Add(-time.Minute).UnixMilli())
		case in["nextToken"] == nil:
			return 200, "", fmt.Sprintf(`{"events":[{"timestamp":%d,"message":"{\"eventType\":\"A\"}"}],"nextToken":"t1"}`, start.Add(time.Minute).UnixMilli())
		default:
			return 200, "", fmt.Sprintf(`{"events":[{"timestamp":%d,"message":"second"}],"searchedLogStreams":[]}`, start.Add(2*time.Minute).UnixMilli())
		}
	}}
	srv := httptest.NewServer(f)
	defer srv.Close()
	events, truncated, err := SystemLogs(context.Background(), logsConfig(t, srv), "/aws/lambda/orders", testUUID, start, end, 5*time.Second)
	if err != nil || truncated || len(events) != 2 || events[0].Message != `{"eventType":"A"}` || !events[1].At.Equal(start.Add(2*time.Minute)) {
		t.Fatalf("events %+v, truncated %v, err %v", events, truncated, err)
	}
	if got := strings.Join(f.calls, " "); got != "DescribeLogStreams DescribeLogStreams FilterLogEvents FilterLogEvents" {
		t.Fatalf("calls %s", got)
	}
	in := f.bodies[2]
	if in["logGroupName"] != "/aws/lambda/orders" || fmt.Sprint(in["logStreamNames"]) != "[2026/11/30/"+testUUID+"]" || in["limit"] != float64(logPageEvents) ||
		in["startTime"] != float64(start.UnixMilli()) || in["endTime"] != float64(end.UnixMilli()) || f.bodies[3]["nextToken"] != "t1" {
		t.Fatalf("FilterLogEvents requests %v, %v", in, f.bodies[3])
	}
	if d := f.bodies[0]; d["logGroupName"] != "/aws/lambda/orders" || d["limit"] != float64(maxLogStreams) {
		t.Fatalf("DescribeLogStreams request %v", d)
	}
}

// TestSystemLogsPageBound: an answer that always has another page stops
// at maxLogPages, truncated.
func TestSystemLogsPageBound(t *testing.T) {
	end := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	f := &fakeLogs{}
	f.answer = func(op string, in map[string]any) (int, string, string) {
		if op == "DescribeLogStreams" {
			return 200, "", `{"logStreams":[{"logStreamName":"s"}]}`
		}
		return 200, "", fmt.Sprintf(`{"events":[{"timestamp":1,"message":"m"}],"nextToken":"t%d"}`, len(f.calls))
	}
	srv := httptest.NewServer(f)
	defer srv.Close()
	events, truncated, err := SystemLogs(context.Background(), logsConfig(t, srv), "g", testUUID, end.Add(-time.Hour), end, 5*time.Second)
	if err != nil || !truncated || len(events) != maxLogPages || strings.Count(strings.Join(f.calls, " "), "FilterLogEvents") != maxLogPages {
		t.Fatalf("%d events, truncated %v, err %v, calls %v", len(events), truncated, err, f.calls)
	}
}

// TestSystemLogsErrors: CloudWatch Logs' error answers reach the checks
// as the SDK's did: an API error with the code (from X-Amzn-ErrorType,
// else the body's __type, namespace and suffix removed) and message, the
// operation, and the HTTP status. A throttle or a 5xx is tried twice, as
// the SDK's retryer does, and the code is the last answer's; an answer
// with no code keeps its status as the code.
func TestSystemLogsErrors(t *testing.T) {
	for _, c := range []struct {
		op, header, body    string
		status, calls       int
		code, msg, failedOp string
	}{
		{"DescribeLogStreams", "", `{"__type":"ResourceNotFoundException","message":"The specified log group does not exist."}`, 400, 1,
			"ResourceNotFoundException", "The specified log group does not exist.", "DescribeLogStreams"},
		{"DescribeLogStreams", "", `{"__type":"AccessDeniedException","Message":"User: arn:aws:iam::123456789012:user/x is not authorized to perform: logs:DescribeLogStreams"}`, 400, 1,
			"AccessDeniedException", "User: arn:aws:iam::123456789012:user/x is not authorized to perform: logs:DescribeLogStreams", "DescribeLogStreams"},
		{"FilterLogEvents", "", `{"__type":"com.amazonaws.logs#ThrottlingException","message":"Rate exceeded"}`, 400, 4,
			"ThrottlingException", "Rate exceeded", "FilterLogEvents"},
		{"FilterLogEvents", "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/", `{"message":"denied"}`, 403, 3,
			"AccessDeniedException", "denied", "FilterLogEvents"},
		{"DescribeLogStreams", "", `<html>proxy says no</html>`, 403, 1, "HTTP403", "Forbidden", "DescribeLogStreams"},
		{"DescribeLogStreams", "", `{"__type":"ServiceUnavailableException","message":"busy"}`, 503, 2, "ServiceUnavailableException", "busy", "DescribeLogStreams"},
	} {
		f := &fakeLogs{answer: func(op string, in map[string]any) (int, string, string) {
			if op == c.op {
				return c.status, c.header, c.body
			}
			return 200, "", `{"logStreams":[{"logStreamName":"s"}]}`
		}}
		srv := httptest.NewServer(f)
		end := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
		_, _, err := SystemLogs(context.Background(), logsConfig(t, srv), "g", testUUID, end.Add(-time.Minute), end, time.Second)
		srv.Close()
		var ae smithy.APIError
		var oe *smithy.OperationError
		if !errors.As(err, &ae) || !errors.As(err, &oe) || ae.ErrorCode() != c.code || ae.ErrorMessage() != c.msg ||
			oe.Service() != "CloudWatch Logs" || oe.Operation() != c.failedOp || len(f.calls) != c.calls {
			t.Errorf("%s %d %s: %v (calls %v)", c.op, c.status, c.body, err, f.calls)
			continue
		}
		var re *awshttp.ResponseError
		if !errors.As(err, &re) || re.HTTPStatusCode() != c.status || re.ServiceRequestID() != "req-1" {
			t.Errorf("%s %d: no response error with the status and request id: %v", c.op, c.status, err)
		}
	}
}
