package awsprobe

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/smithy-go"
)

// TestSignedRetries: the signed calls retry as the SDK calls do. One 429
// (TooManyRequestsException) is retried and the second answer is the
// result; a 429 whose retry never answers is a *CallError that keeps
// AWS's answer (so it is reported as throttling, not as a timeout); an
// AccessDeniedException is not retried.
func TestSignedRetries(t *testing.T) {
	for _, c := range []struct {
		name, second string // the second answer: "ok", "hang"
		first        int
		wantCalls    int32
		wantCode     string
	}{
		{"throttled once", "ok", http.StatusTooManyRequests, 2, ""},
		{"throttled, then no answer", "hang", http.StatusTooManyRequests, 2, "TooManyRequestsException"},
		{"denied", "ok", http.StatusForbidden, 1, "AccessDeniedException"},
	} {
		var calls atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			switch n := calls.Add(1); {
			case n == 1 && c.first == http.StatusTooManyRequests:
				w.Header().Set("X-Amzn-ErrorType", "TooManyRequestsException")
				w.WriteHeader(c.first)
				_, _ = io.WriteString(w, `{"message":"Rate exceeded"}`)
			case n == 1:
				w.WriteHeader(c.first)
				_, _ = io.WriteString(w, `{"__type":"AccessDeniedException","Message":"not allowed"}`)
			case c.second == "hang":
				<-r.Context().Done()
			default:
				_, _ = io.WriteString(w, `{"Status":"AVAILABLE"}`)
			}
		}))
		cfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.Client(),
			Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", "")}
		t.Setenv("AWS_ENDPOINT_URL_GLUE", "")
		var out struct{ Status string }
		err := glueCall(context.Background(), cfg, "GetRegistry", map[string]string{}, &out, 400*time.Millisecond)
		srv.Close()
		code, _, _ := ErrorCode(err)
		if calls.Load() != c.wantCalls || code != c.wantCode || (err == nil && out.Status != "AVAILABLE") {
			t.Errorf("%s: %d calls, code %q, err %v", c.name, calls.Load(), code, err)
		}
		var ce *CallError
		if c.second == "hang" && (!errors.As(err, &ce) || ce.Answers != 1 || !errors.Is(ce.Cause, ErrStepTimeout)) {
			t.Errorf("%s: not a CallError keeping the answer: %v", c.name, err)
		}
		var oe *smithy.OperationError
		if c.wantCode != "" && (!errors.As(err, &oe) || oe.Operation() != "GetRegistry" || oe.Service() != "Glue") {
			t.Errorf("%s: no operation error: %v", c.name, err)
		}
	}
}
