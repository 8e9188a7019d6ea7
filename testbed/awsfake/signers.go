package awsfake

import (
	"net/http"
	"strings"
)

// Signers returns the access key ids that signed the calls of operation
// op (GetEventSourceMapping, GetFunctionConfiguration, ...) this fake saw,
// in order: tests use it to prove which identity made a call.
func (f *Fake) Signers(op string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.signers[op]...)
}

// record notes who signed r (the access key id of its SigV4 credential).
func (f *Fake) record(r *http.Request) {
	op := operation(r)
	auth := r.Header.Get("Authorization")
	_, cred, ok := strings.Cut(auth, "Credential=")
	if op == "" || !ok {
		return
	}
	akid, _, _ := strings.Cut(cred, "/")
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.signers == nil {
		f.signers = map[string][]string{}
	}
	f.signers[op] = append(f.signers[op], akid)
}

// operation names the API operation of r, for the calls esmdoctor makes.
func operation(r *http.Request) string {
	p := strings.TrimSuffix(r.URL.Path, "/")
	if t := r.Header.Get("X-Amz-Target"); t != "" {
		return t[strings.LastIndex(t, ".")+1:]
	}
	switch {
	case strings.HasPrefix(p, "/api/v2/clusters/"):
		return "DescribeClusterV2"
	case strings.HasSuffix(p, "/bootstrap-brokers"):
		return "GetBootstrapBrokers"
	case strings.HasPrefix(p, "/v1/clusters/") && strings.HasSuffix(p, "/nodes"):
		return "ListNodes"
	case p == "/2015-03-31/event-source-mappings":
		return "ListEventSourceMappings"
	case strings.HasPrefix(p, "/2015-03-31/event-source-mappings/"):
		return "GetEventSourceMapping"
	case strings.HasPrefix(p, "/2015-03-31/functions/") && strings.HasSuffix(p, "/configuration"):
		return "GetFunctionConfiguration"
	case strings.HasPrefix(p, "/2015-03-31/functions/") && strings.HasSuffix(p, "/invocations"):
		return "Invoke"
	}
	return ""
}
