// Package awsfake is a small AWS stand-in for the calls moto 5.2.1 lacks,
// speaking their real REST shapes so the AWS SDK cannot tell the difference.
// It exists only because moto lacks these calls (verified against moto
// 5.2.1 in server mode):
//
//   - Kafka GetBootstrapBrokers (GET /v1/clusters/{arn}/bootstrap-brokers):
//     not implemented (HTTP 500).
//   - Kafka DescribeClusterV2 (GET /api/v2/clusters/{arn}): only for clusters
//     made with the v1 CreateCluster, which stay CREATING forever, carry an
//     ARN without the cluster name, and an unknown ARN gives HTTP 500
//     instead of NotFoundException.
//   - Lambda GetEventSourceMapping and ListEventSourceMappings for Kafka:
//     moto cannot create a Kafka event source mapping at all (MSK:
//     "Invalid EventSourceArn"; self-managed: "Missing EventSourceArn").
//
// Every other request (Lambda GetFunctionConfiguration and Invoke with
// InvocationType=DryRun, which moto does implement) is forwarded to moto
// unchanged, so one endpoint (AWS_ENDPOINT_URL_LAMBDA) serves both. Errors
// (not found, access denied, throttling) are injected per resource.
package awsfake

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
)

// Fake is the running stand-in.
type Fake struct {
	srv      *httptest.Server
	moto     *httputil.ReverseProxy
	mu       sync.Mutex
	clusters map[string]Cluster
	mappings map[string]Mapping
	order    []string // mapping UUIDs in creation order
	failures map[string]Failure
}

// Failure is an AWS error response.
type Failure struct {
	Status  int
	Code    string // X-Amzn-ErrorType
	Message string
}

// Errors the tests inject.
var (
	AccessDenied = Failure{http.StatusForbidden, "AccessDeniedException", "User is not authorized to perform this action"}
	Throttled    = Failure{http.StatusTooManyRequests, "TooManyRequestsException", "Rate exceeded"}
	Forbidden    = Failure{http.StatusForbidden, "ForbiddenException", "Access denied to the cluster"}
)

// New starts the fake; motoURL ("" for none) receives every request the
// fake does not serve itself.
func New(motoURL string) (*Fake, error) {
	f := &Fake{clusters: map[string]Cluster{}, mappings: map[string]Mapping{}, failures: map[string]Failure{}}
	if motoURL != "" {
		u, err := url.Parse(motoURL)
		if err != nil {
			return nil, err
		}
		f.moto = httputil.NewSingleHostReverseProxy(u)
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	return f, nil
}

// URL is the endpoint to give AWS_ENDPOINT_URL_KAFKA and AWS_ENDPOINT_URL_LAMBDA.
func (f *Fake) URL() string { return f.srv.URL }

// Close stops the fake.
func (f *Fake) Close() { f.srv.Close() }

// Fail makes every call on resource (a cluster ARN, a mapping UUID, or a
// function name for ListEventSourceMappings) answer with fl.
func (f *Fake) Fail(resource string, fl Failure) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures[resource] = fl
}

func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/api/v2/clusters/"):
		f.describeClusterV2(w, strings.TrimPrefix(p, "/api/v2/clusters/"))
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/v1/clusters/") && strings.HasSuffix(p, "/bootstrap-brokers"):
		f.bootstrapBrokers(w, strings.TrimSuffix(strings.TrimPrefix(p, "/v1/clusters/"), "/bootstrap-brokers"))
	case r.Method == http.MethodGet && strings.TrimSuffix(p, "/") == "/2015-03-31/event-source-mappings":
		f.listMappings(w, r.URL.Query())
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/2015-03-31/event-source-mappings/"):
		f.getMapping(w, strings.TrimSuffix(strings.TrimPrefix(p, "/2015-03-31/event-source-mappings/"), "/"))
	case f.moto != nil:
		f.moto.ServeHTTP(w, r)
	default:
		writeError(w, Failure{http.StatusNotFound, "UnknownOperationException", "awsfake does not serve " + r.Method + " " + p})
	}
}

// failure returns the injected failure for resource, if any.
func (f *Fake) failure(resource string) (Failure, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fl, ok := f.failures[resource]
	return fl, ok
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers as AWS REST-JSON services do: the code in
// X-Amzn-ErrorType, the message in the body.
func writeError(w http.ResponseWriter, fl Failure) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", fl.Code)
	w.WriteHeader(fl.Status)
	_ = json.NewEncoder(w).Encode(map[string]string{"message": fl.Message, "Message": fl.Message, "Type": "User"})
}
