package checks

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/awsprobe"
)

// An https endpoint whose certificate the system does not trust (what a
// TLS-inspecting proxy looks like) fails at the TLS stage; an http://
// override is a TCP connect, and the detail says so.
func TestReachEndpoint(t *testing.T) {
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	defer srv.Close()
	s := awsTestState()
	r := awsprobe.ReachEndpoint(context.Background(), nil, awsprobe.Lambda, srv.URL, s.Step)
	line, f := classifyReach(r, s)
	if r.Stage != "tls" || f == nil || f.Code != "ESM-LAMBDA-002" || !strings.Contains(cause(*f), "not signed by a trusted CA") {
		t.Fatalf("stage %q %v: %s", r.Stage, r.Err, line)
	}
	assertFilled(t, *f)

	plain := httptest.NewServer(http.NotFoundHandler())
	defer plain.Close()
	r = awsprobe.ReachEndpoint(context.Background(), nil, awsprobe.STS, plain.URL, s.Step)
	line, f = classifyReach(r, s)
	if f != nil || !strings.Contains(line, "a TCP connect is the honest equivalent") {
		t.Fatalf("%v: %s", r.Err, line)
	}
	plain.Close()
	r = awsprobe.ReachEndpoint(context.Background(), nil, awsprobe.STS, plain.URL, s.Step)
	if _, f = classifyReach(r, s); f == nil || f.Code != "ESM-LAMBDA-001" || !strings.Contains(cause(*f), "connection refused") {
		t.Fatalf("closed endpoint: %v", r.Err)
	}
}
