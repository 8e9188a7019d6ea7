// Package awsfake is a small AWS stand-in for the calls moto 5.2.1 lacks,
// speaking their real REST shapes so the AWS SDK cannot tell the difference.
// It exists only because moto lacks these calls (verified against moto
// 5.2.1 in server mode):
//
//   - Kafka GetBootstrapBrokers (GET /v1/clusters/{arn}/bootstrap-brokers):
//     not implemented (HTTP 500).
//
//   - Kafka ListNodes (GET /v1/clusters/{arn}/nodes): not implemented
//     (HTTP 500); served from Cluster.Nodes.
//
//   - Kafka DescribeClusterV2 (GET /api/v2/clusters/{arn}): only for clusters
//     made with the v1 CreateCluster, which stay CREATING forever, carry an
//     ARN without the cluster name, and an unknown ARN gives HTTP 500
//     instead of NotFoundException.
//
//   - Lambda GetEventSourceMapping and ListEventSourceMappings for Kafka:
//     moto cannot create a Kafka event source mapping at all (MSK:
//     "Invalid EventSourceArn"; self-managed: "Missing EventSourceArn").
//
//   - STS AssumeRole denials (moto assumes any role): an AssumeRole of a
//     role with an injected failure gets the STS query-protocol XML error;
//     every other STS request goes to moto.
//
//   - Secrets Manager errors moto never gives (it enforces no IAM or KMS
//     policy): a GetSecretValue for a secret with an injected failure is
//     answered here (AccessDeniedException "Access to KMS is not allowed",
//     as Secrets Manager answers a caller without kms:Decrypt); every
//     other Secrets Manager request goes to moto.
//
// Like real MSK, GetBootstrapBrokers for a cluster that is not ACTIVE
// (CREATING, UPDATING, FAILED, DELETING) answers HTTP 400
// BadRequestException "You can't get bootstrap broker nodes for a cluster
// in CREATING state.". SetDelay makes every answer slow (forwarded ones
// too), for the tests that prove a run keeps to --timeout.
//
//   - IAM SimulatePrincipalPolicy: not implemented (HTTP 500); served with
//     decisions scripted per role (iam.go).
//
//   - STS GetWebIdentityToken (IAM outbound identity federation): not
//     implemented; served with real signed JWTs and their JWKS at
//     /.well-known/jwks.json (wif.go).
//
//   - CloudWatch Logs and CloudWatch GetMetricData denials (moto enforces
//     no IAM policy): injected per log group or for GetMetricData
//     (cloudwatch.go); every other such call goes to moto.
//
// Every other request (Lambda GetFunctionConfiguration and Invoke with
// InvocationType=DryRun, which moto does implement; every other IAM, EC2,
// STS or Secrets Manager call) is forwarded to moto unchanged, so one
// endpoint can serve all of them; Requests counts what was asked. Errors
// (not found, access denied, throttling) are injected per resource.
package awsfake

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Fake is the running stand-in.
type Fake struct {
	srv      *httptest.Server
	moto     *httputil.ReverseProxy
	mu       sync.Mutex
	clusters map[string]Cluster
	mappings map[string]Mapping
	vpcConns map[string]VpcConnection
	order    []string // mapping UUIDs in creation order
	failures map[string]Failure
	delay    time.Duration
	done     chan struct{}       // closed by Close
	signers  map[string][]string // operation -> access key ids, in order
	fn       functionsState
	pageSize int // 0: Lambda's default page sizes
	// simulations are the scripted SimulatePrincipalPolicy decisions.
	simulations map[string]Decisions
	// requests counts the requests seen, by query Action or REST path kind.
	requests map[string]int
	motoURL  *url.URL
	wif      wifState         // GetWebIdentityToken (wif.go)
	global   *httptest.Server // the global STS endpoint stand-in, made on demand
}

// Failure is an AWS error response.
type Failure struct {
	Status  int
	Code    string // X-Amzn-ErrorType
	Message string
	// Times, when positive, limits the failure to the first Times calls;
	// then the resource answers normally, or never (Hang).
	Times int
	Hang  bool
}

// Errors the tests inject.
var (
	AccessDenied = Failure{Status: http.StatusForbidden, Code: "AccessDeniedException", Message: "User is not authorized to perform this action"}
	Throttled    = Failure{Status: http.StatusTooManyRequests, Code: "TooManyRequestsException", Message: "Rate exceeded"}
	Forbidden    = Failure{Status: http.StatusForbidden, Code: "ForbiddenException", Message: "Access denied to the cluster"}
	// KMSDenied is Secrets Manager's answer to GetSecretValue when the
	// caller may read the secret but not decrypt it (no kms:Decrypt).
	KMSDenied = Failure{Status: http.StatusBadRequest, Code: "AccessDeniedException", Message: "Access to KMS is not allowed"}
)

// New starts the fake; motoURL ("" for none) receives every request the
// fake does not serve itself.
func New(motoURL string) (*Fake, error) {
	f := &Fake{clusters: map[string]Cluster{}, mappings: map[string]Mapping{}, vpcConns: map[string]VpcConnection{}, failures: map[string]Failure{}, done: make(chan struct{})}
	if motoURL != "" {
		u, err := url.Parse(motoURL)
		if err != nil {
			return nil, err
		}
		f.moto, f.motoURL = httputil.NewSingleHostReverseProxy(u), u
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	return f, nil
}

// URL is the endpoint to give AWS_ENDPOINT_URL_KAFKA and AWS_ENDPOINT_URL_LAMBDA.
func (f *Fake) URL() string { return f.srv.URL }

// Close stops the fake; calls it holds (delayed or hanging) end first, so a
// client that never gives up (the SDK's credential cache goes on with an
// AssumeRole after its caller's context ends) cannot block it.
func (f *Fake) Close() {
	close(f.done)
	f.srv.Close()
	f.mu.Lock()
	global := f.global
	f.mu.Unlock()
	if global != nil {
		global.Close()
	}
	f.closeFunctions()
}

// hang holds a call until its client gives up or the fake closes.
func (f *Fake) hang(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-f.done:
	}
}

// Fail makes every call on resource (a cluster ARN, a mapping UUID, a
// function name, or "CreateFunction" for every CreateFunction) answer
// with fl.
func (f *Fake) Fail(resource string, fl Failure) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures[resource] = fl
}

func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	f.record(r)
	// Read the body first: net/http notices a client that gives up (and
	// cancels r.Context()) only once the request body is consumed.
	// maxRequest: CreateFunction carries a deployment package (a 50 MB zip
	// as base64 in JSON).
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequest))
	if err != nil {
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	f.mu.Lock()
	d := f.delay
	f.mu.Unlock()
	if d > 0 {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return
		case <-f.done:
			return
		}
	}
	p := r.URL.Path
	action, form := queryAction(r, body)
	if action != "" {
		f.count(action)
	} else {
		f.count(r.Method + " " + strings.SplitN(strings.TrimPrefix(p, "/"), "/", 3)[0])
	}
	if f.functionRoute(w, r) {
		return
	}
	switch {
	case action == "SimulatePrincipalPolicy":
		f.simulate(w, form)
	case action == "GetWebIdentityToken":
		f.getWebIdentityToken(w, r, form)
	case r.Method == http.MethodGet && p == "/.well-known/jwks.json":
		f.serveJWKS(w)
	case action == "GetMetricData" && f.rejectQuery(w, r, "GetMetricData"):
	case r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("X-Amz-Target"), logsTarget) && f.cloudWatchLogs(w, r):
	case r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("X-Amz-Target"), "secretsmanager."):
		f.secretsManager(w, r)
	case r.Method == http.MethodPost && formValue(r, "Action") == "AssumeRole" && f.rejectQuery(w, r, formValue(r, "RoleArn")):
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/api/v2/clusters/"):
		f.describeClusterV2(w, r, strings.TrimPrefix(p, "/api/v2/clusters/"))
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/v1/clusters/") && strings.HasSuffix(p, "/nodes"):
		f.listNodes(w, r, strings.TrimSuffix(strings.TrimPrefix(p, "/v1/clusters/"), "/nodes"))
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/v1/clusters/") && strings.HasSuffix(p, "/bootstrap-brokers"):
		f.bootstrapBrokers(w, r, strings.TrimSuffix(strings.TrimPrefix(p, "/v1/clusters/"), "/bootstrap-brokers"))
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.EscapedPath(), "/v1/vpc-connection/"):
		f.describeVpcConnection(w, strings.TrimPrefix(r.URL.EscapedPath(), "/v1/vpc-connection/"))
	case r.Method == http.MethodGet && strings.TrimSuffix(p, "/") == "/2015-03-31/event-source-mappings":
		f.listMappings(w, r)
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/2015-03-31/event-source-mappings/"):
		f.getMapping(w, r, strings.TrimSuffix(strings.TrimPrefix(p, "/2015-03-31/event-source-mappings/"), "/"))
	case f.moto != nil:
		f.moto.ServeHTTP(w, r)
	default:
		writeError(w, Failure{Status: http.StatusNotFound, Code: "UnknownOperationException", Message: "awsfake does not serve " + r.Method + " " + p})
	}
}

// failure returns the injected failure for resource, if any, and counts
// the call against Failure.Times.
func (f *Fake) failure(resource string) (Failure, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fl, ok := f.failures[resource]
	if !ok || fl.Times == 0 {
		return fl, ok
	}
	if fl.Times < 0 {
		return fl, fl.Hang // spent: hang, or answer normally
	}
	fl.Times--
	if fl.Times == 0 {
		fl.Times = -1
	}
	f.failures[resource] = fl
	return Failure{Status: fl.Status, Code: fl.Code, Message: fl.Message}, true
}

// secretsManager answers GetSecretValue for a secret with an injected
// failure and forwards every other Secrets Manager request to moto.
func (f *Fake) secretsManager(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeError(w, Failure{Status: http.StatusBadRequest, Code: "InvalidRequestException", Message: err.Error()})
		return
	}
	var in struct{ SecretId string }
	_ = json.Unmarshal(body, &in)
	if strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".GetSecretValue") && f.reject(w, r, in.SecretId) {
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if f.moto == nil {
		writeError(w, Failure{Status: http.StatusNotFound, Code: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret."})
		return
	}
	f.moto.ServeHTTP(w, r)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// reject answers a call on resource with its injected failure, or hangs
// until the caller gives up (a spent failure with Hang); false when the
// call is to be served normally.
func (f *Fake) reject(w http.ResponseWriter, r *http.Request, resource string) bool {
	fl, ok := f.failure(resource)
	switch {
	case !ok:
		return false
	case fl.Times < 0: // spent, with Hang
		f.hang(r)
	default:
		writeError(w, fl)
	}
	return true
}

// writeError answers as AWS REST-JSON services do: the code in
// X-Amzn-ErrorType, the message in the body.
func writeError(w http.ResponseWriter, fl Failure) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", fl.Code)
	w.WriteHeader(fl.Status)
	_ = json.NewEncoder(w).Encode(map[string]string{"message": fl.Message, "Message": fl.Message, "Type": "User"})
}
