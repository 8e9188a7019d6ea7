package awsfake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Functions: the Lambda control plane for functions that actually run.
// moto 5.2.1 stores functions but runs them only in Docker, which these
// machines lack; so with RunFunctions the fake serves CreateFunction,
// GetFunction, GetFunctionConfiguration, Invoke, DeleteFunction,
// ListFunctions, ListTags and TagResource itself, with Lambda's REST paths,
// status codes and error shapes, and its Invoke runs the uploaded zip's
// bootstrap under the real Runtime Interface Emulator (invoke.go).
// Requests about functions the fake does not hold still go to moto.

// FunctionOptions turn on the function control plane.
type FunctionOptions struct {
	RIE string // the Runtime Interface Emulator binary
	// Env is the environment Lambda gives every function: the role's
	// credentials and the Region (here: test credentials and endpoints).
	Env []string
	// PendingFor is how long a new function stays Pending (the VPC's
	// hyperplane ENI being created) before it is Active.
	PendingFor time.Duration
	// CreateDelay holds CreateFunction's answer after the function exists
	// (a slow control plane; cleanup tests interrupt the caller in it).
	CreateDelay time.Duration
	Log         io.Writer // the emulator's and functions' output; nil discards
	// STS, when set, is an STS endpoint (moto) where each invocation
	// assumes the function's role, as Lambda does: the function then runs
	// with that role's temporary credentials instead of those in Env.
	STS string
}

// function is one created function.
type function struct {
	Name, ARN, Runtime, Role, Handler, Arch string
	Timeout, Memory                         int
	Subnets, SGs                            []string
	Tags                                    map[string]string
	Env                                     map[string]string
	Created                                 time.Time
	dir                                     string // the unpacked code
	CodeSize                                int64
}

// functionsState is the fake's function store.
type functionsState struct {
	mu      sync.Mutex
	opts    *FunctionOptions
	funcs   map[string]*function
	root    string
	live    sync.WaitGroup // invocations in flight
	created int            // functions created since RunFunctions
}

// Created is how many functions CreateFunction made since RunFunctions.
func (f *Fake) Created() int {
	f.fn.mu.Lock()
	defer f.fn.mu.Unlock()
	return f.fn.created
}

// RunFunctions turns on the function control plane.
func (f *Fake) RunFunctions(o FunctionOptions) error {
	dir, err := os.MkdirTemp("", "awsfake-functions-")
	if err != nil {
		return err
	}
	f.fn.mu.Lock()
	defer f.fn.mu.Unlock()
	f.fn.opts, f.fn.funcs, f.fn.root = &o, map[string]*function{}, dir
	return nil
}

// Functions lists the names of the functions that exist, sorted.
func (f *Fake) Functions() []string {
	f.fn.mu.Lock()
	defer f.fn.mu.Unlock()
	var out []string
	for n := range f.fn.funcs {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// closeFunctions waits for invocations in flight and removes the code.
func (f *Fake) closeFunctions() {
	f.fn.live.Wait()
	if f.fn.root != "" {
		_ = os.RemoveAll(f.fn.root)
	}
}

// functionRoute serves the function API when it is on and the request is
// about a function it holds (or creates or lists functions); ok is false
// for requests moto should answer.
func (f *Fake) functionRoute(w http.ResponseWriter, r *http.Request) (ok bool) {
	f.fn.mu.Lock()
	on := f.fn.opts != nil
	f.fn.mu.Unlock()
	if !on {
		return false
	}
	p := r.URL.Path
	switch {
	case strings.TrimSuffix(p, "/") == "/2015-03-31/functions" && r.Method == http.MethodPost:
		f.createFunction(w, r)
		return true
	case strings.TrimSuffix(p, "/") == "/2015-03-31/functions" && r.Method == http.MethodGet:
		f.listFunctions(w, r.URL.Query())
		return true
	case strings.HasPrefix(p, "/2017-03-31/tags/"):
		return f.tags(w, r, strings.TrimPrefix(p, "/2017-03-31/tags/"))
	case strings.HasPrefix(p, "/2015-03-31/functions/"):
		return f.functionCall(w, r, strings.TrimPrefix(p, "/2015-03-31/functions/"))
	}
	return false
}

// functionCall serves the calls on one function.
func (f *Fake) functionCall(w http.ResponseWriter, r *http.Request, rest string) bool {
	name, sub, _ := strings.Cut(rest, "/")
	name, _ = url.PathUnescape(name)
	fn := f.lookup(name)
	if fn == nil && f.moto == nil {
		writeError(w, Failure{Status: http.StatusNotFound, Code: "ResourceNotFoundException", Message: "Function not found: arn:aws:lambda:us-east-1:123456789012:function:" + name})
		return true
	}
	if fn == nil {
		return false // moto's function, or moto's 404
	}
	if fl, ok := f.failure(fn.Name); ok {
		writeError(w, fl)
		return true
	}
	switch {
	case sub == "" && r.Method == http.MethodGet:
		writeJSON(w, map[string]any{"Configuration": f.configuration(fn), "Tags": fn.Tags,
			"Code": map[string]string{"RepositoryType": "S3", "Location": "https://awslambda.example/snapshots/" + fn.Name}})
	case sub == "configuration" && r.Method == http.MethodGet:
		writeJSON(w, f.configuration(fn))
	case sub == "" && r.Method == http.MethodDelete:
		f.fn.mu.Lock()
		delete(f.fn.funcs, fn.Name)
		f.fn.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	case sub == "invocations" && r.Method == http.MethodPost:
		f.invoke(w, r, fn)
	default:
		writeError(w, Failure{Status: http.StatusNotFound, Code: "UnknownOperationException", Message: "awsfake does not serve " + r.Method + " " + r.URL.Path})
	}
	return true
}

// lookup finds a function by name or ARN.
func (f *Fake) lookup(name string) *function {
	if i := strings.LastIndex(name, ":function:"); i >= 0 {
		name = name[i+len(":function:"):]
	}
	f.fn.mu.Lock()
	defer f.fn.mu.Unlock()
	return f.fn.funcs[name]
}

// state is Pending until the hyperplane ENI "exists", then Active.
func (f *Fake) state(fn *function) (state, update string) {
	if time.Since(fn.Created) < f.fn.opts.PendingFor {
		return "Pending", "InProgress"
	}
	return "Active", "Successful"
}

// configuration renders a FunctionConfiguration.
func (f *Fake) configuration(fn *function) map[string]any {
	state, update := f.state(fn)
	c := map[string]any{"FunctionName": fn.Name, "FunctionArn": fn.ARN, "Runtime": fn.Runtime, "Role": fn.Role,
		"Handler": fn.Handler, "Timeout": fn.Timeout, "MemorySize": fn.Memory, "CodeSize": fn.CodeSize,
		"Architectures": []string{fn.Arch}, "State": state, "LastUpdateStatus": update, "PackageType": "Zip",
		"LastModified": fn.Created.UTC().Format("2006-01-02T15:04:05.000+0000"), "Version": "$LATEST"}
	if state == "Pending" {
		c["StateReason"], c["StateReasonCode"] = "The function is being created.", "Creating"
	}
	if len(fn.Subnets) > 0 {
		c["VpcConfig"] = map[string]any{"SubnetIds": fn.Subnets, "SecurityGroupIds": fn.SGs, "VpcId": "vpc-0awsfake"}
	}
	if len(fn.Env) > 0 {
		c["Environment"] = map[string]any{"Variables": fn.Env}
	}
	return c
}

// listFunctions serves ListFunctions, paginated with Marker and MaxItems.
func (f *Fake) listFunctions(w http.ResponseWriter, q url.Values) {
	f.fn.mu.Lock()
	var all []*function
	for _, fn := range f.fn.funcs {
		all = append(all, fn)
	}
	f.fn.mu.Unlock()
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	page, next, err := paginate(len(all), q, f.page(50))
	if err != nil {
		writeError(w, *err)
		return
	}
	list := []any{}
	for _, fn := range all[page[0]:page[1]] {
		list = append(list, f.configuration(fn))
	}
	out := map[string]any{"Functions": list}
	if next != "" {
		out["NextMarker"] = next
	}
	writeJSON(w, out)
}

// paginate reads Marker (an opaque index here) and MaxItems (1-10000;
// pageSize when absent: Lambda's default is 50 functions, 100 mappings)
// and returns the slice bounds and the next marker.
func paginate(n int, q url.Values, pageSize int) ([2]int, string, *Failure) {
	start, size := 0, pageSize
	if m := q.Get("Marker"); m != "" {
		i, err := strconv.Atoi(strings.TrimPrefix(m, "awsfake-"))
		if err != nil || i < 0 || i > n {
			return [2]int{}, "", &Failure{Status: http.StatusBadRequest, Code: "InvalidParameterValueException", Message: "Invalid marker: " + m}
		}
		start = i
	}
	if m := q.Get("MaxItems"); m != "" {
		i, err := strconv.Atoi(m)
		if err != nil || i < 1 || i > 10000 {
			return [2]int{}, "", &Failure{Status: http.StatusBadRequest, Code: "InvalidParameterValueException", Message: "1 validation error detected: Value '" + m + "' at 'maxItems' failed to satisfy constraint"}
		}
		size = i
	}
	end := min(n, start+size)
	next := ""
	if end < n {
		next = fmt.Sprintf("awsfake-%d", end)
	}
	return [2]int{start, end}, next, nil
}

// tags serves ListTags (GET) and TagResource (POST) on a function ARN.
func (f *Fake) tags(w http.ResponseWriter, r *http.Request, arn string) bool {
	arn, _ = url.PathUnescape(arn)
	fn := f.lookup(arn)
	if fn == nil {
		return false
	}
	switch r.Method {
	case http.MethodGet:
		f.fn.mu.Lock()
		tags := map[string]string{}
		for k, v := range fn.Tags {
			tags[k] = v
		}
		f.fn.mu.Unlock()
		writeJSON(w, map[string]any{"Tags": tags})
	case http.MethodPost:
		var in struct{ Tags map[string]string }
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&in); err != nil {
			writeError(w, Failure{Status: http.StatusBadRequest, Code: "InvalidParameterValueException", Message: "tags: " + err.Error()})
			return true
		}
		f.fn.mu.Lock()
		for k, v := range in.Tags {
			fn.Tags[k] = v
		}
		f.fn.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	default:
		return false
	}
	return true
}
