package awsfake

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// CloudWatch Logs and CloudWatch are moto's; the fake answers them only to
// inject the errors moto never gives (it enforces no IAM policy): a
// logs call on a log group with an injected failure ("logs:" + the group
// name) and GetMetricData with one ("GetMetricData"), each in its
// protocol's error shape. Every other call is forwarded to moto.

// logsTarget is the X-Amz-Target prefix of CloudWatch Logs (JSON 1.1).
const logsTarget = "Logs_20140328."

// cloudWatchLogs answers a CloudWatch Logs call whose log group has an
// injected failure; false when the call is to be forwarded.
func (f *Fake) cloudWatchLogs(w http.ResponseWriter, r *http.Request) bool {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxForm))
	if err != nil {
		return false
	}
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	var in struct {
		LogGroupName string `json:"logGroupName"`
	}
	_ = json.Unmarshal(body, &in)
	return f.reject(w, r, "logs:"+in.LogGroupName)
}
