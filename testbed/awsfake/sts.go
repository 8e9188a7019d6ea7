package awsfake

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
)

// AssumeRoleDenied is STS's answer when the caller may not assume the role
// (the role's trust policy does not name it).
var AssumeRoleDenied = Failure{Status: http.StatusForbidden, Code: "AccessDenied",
	Message: "User is not authorized to perform: sts:AssumeRole on the role"}

// formValue reads one value of a query-protocol (form-encoded) request
// body, leaving the body in place for moto.
func formValue(r *http.Request, key string) string {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return ""
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	q, err := url.ParseQuery(string(body))
	if err != nil {
		return ""
	}
	return q.Get(key)
}

// rejectQuery answers a query-protocol call (STS) on resource with its
// injected failure, in that protocol's XML error shape; false when the
// call is to be served normally.
func (f *Fake) rejectQuery(w http.ResponseWriter, r *http.Request, resource string) bool {
	fl, ok := f.failure(resource)
	if !ok {
		return false
	}
	if fl.Times < 0 { // spent, with Hang
		f.hang(r)
		return true
	}
	writeSTSError(w, fl)
	return true
}
