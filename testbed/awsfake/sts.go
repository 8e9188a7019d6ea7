package awsfake

import (
	"bytes"
	"encoding/xml"
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
	type errorBody struct {
		Type    string `xml:"Type"`
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	}
	out := struct {
		XMLName   xml.Name  `xml:"https://sts.amazonaws.com/doc/2011-06-15/ ErrorResponse"`
		Error     errorBody `xml:"Error"`
		RequestID string    `xml:"RequestId"`
	}{Error: errorBody{Type: "Sender", Code: fl.Code, Message: fl.Message}, RequestID: "awsfake"}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(fl.Status)
	_ = xml.NewEncoder(w).Encode(out)
	return true
}
