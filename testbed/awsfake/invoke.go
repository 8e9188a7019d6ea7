package awsfake

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/esmdoctor/esmdoctor/testbed/rie"
)

// Lambda's limits the fake enforces on CreateFunction.
const (
	maxRequest  = 70 << 20  // a 50 MB zip, base64 in JSON
	maxUnzipped = 250 << 20 // the unzipped deployment package
	maxInvoke   = 6 << 20   // a synchronous request or response
)

var functionName = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

// createInput is CreateFunction's request body (the members the fake uses).
type createInput struct {
	FunctionName, Runtime, Role, Handler string
	Timeout, MemorySize                  int
	Architectures                        []string
	Code                                 struct{ ZipFile []byte }
	VpcConfig                            *struct{ SubnetIds, SecurityGroupIds []string }
	Tags                                 map[string]string
	Environment                          *struct{ Variables map[string]string }
}

func (f *Fake) createFunction(w http.ResponseWriter, r *http.Request) {
	if fl, ok := f.failure("CreateFunction"); ok {
		writeError(w, fl)
		return
	}
	var in createInput
	if err := json.NewDecoder(io.LimitReader(r.Body, maxRequest)).Decode(&in); err != nil {
		writeError(w, Failure{Status: http.StatusBadRequest, Code: "InvalidParameterValueException", Message: "cannot read the request: " + err.Error()})
		return
	}
	fn, fl := f.newFunction(in)
	if fl != nil {
		writeError(w, *fl)
		return
	}
	f.fn.mu.Lock()
	_, exists := f.fn.funcs[fn.Name]
	if !exists {
		f.fn.funcs[fn.Name] = fn
		f.fn.created++
	}
	delay := f.fn.opts.CreateDelay
	f.fn.mu.Unlock()
	if exists {
		_ = os.RemoveAll(fn.dir)
		writeError(w, Failure{Status: http.StatusConflict, Code: "ResourceConflictException", Message: "Function already exist: " + in.FunctionName})
		return
	}
	// The function exists from here on, answered or not: a caller that
	// gives up waiting must still delete it.
	time.Sleep(delay)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(f.configuration(fn))
}

// newFunction validates the request as Lambda does and unpacks the code.
func (f *Fake) newFunction(in createInput) (*function, *Failure) {
	bad := func(msg string) *Failure {
		return &Failure{Status: http.StatusBadRequest, Code: "InvalidParameterValueException", Message: msg}
	}
	switch {
	case !functionName.MatchString(in.FunctionName):
		return nil, bad("1 validation error detected: Value '" + in.FunctionName + "' at 'functionName' failed to satisfy constraint")
	case !strings.HasPrefix(in.Role, "arn:aws:iam::") || !strings.Contains(in.Role, ":role/"):
		return nil, bad("The role defined for the function cannot be assumed by Lambda.")
	case in.Runtime != "provided.al2023" && in.Runtime != "provided.al2":
		return nil, bad("awsfake runs only OS-only runtimes (provided.al2023, provided.al2), not " + in.Runtime)
	case len(in.Code.ZipFile) == 0:
		return nil, bad("Please provide a source for function code.")
	}
	fn := &function{Name: in.FunctionName, Runtime: in.Runtime, Role: in.Role, Handler: in.Handler, Timeout: in.Timeout,
		Memory: in.MemorySize, Arch: "x86_64", Tags: map[string]string{}, Env: map[string]string{}, Created: time.Now(),
		CodeSize: int64(len(in.Code.ZipFile))}
	fn.ARN = fmt.Sprintf("arn:aws:lambda:us-east-1:123456789012:function:%s", fn.Name)
	if fn.Timeout == 0 {
		fn.Timeout = 3
	}
	if fn.Memory == 0 {
		fn.Memory = 128
	}
	if len(in.Architectures) == 1 {
		fn.Arch = in.Architectures[0]
	}
	if v := in.VpcConfig; v != nil {
		fn.Subnets, fn.SGs = v.SubnetIds, v.SecurityGroupIds
	}
	for k, v := range in.Tags {
		fn.Tags[k] = v
	}
	if in.Environment != nil {
		fn.Env = in.Environment.Variables
	}
	dir, err := os.MkdirTemp(f.fn.root, fn.Name+"-")
	if err != nil {
		return nil, &Failure{Status: http.StatusInternalServerError, Code: "ServiceException", Message: err.Error()}
	}
	fn.dir = dir
	if err := unzip(in.Code.ZipFile, dir); err != nil {
		_ = os.RemoveAll(dir)
		return nil, bad("Could not unzip uploaded file. Please check your file, then try to upload again: " + err.Error())
	}
	return fn, nil
}

// unzip unpacks a deployment package, bounded, refusing paths that leave dir.
func unzip(data []byte, dir string) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	var total int64
	for _, zf := range zr.File {
		p := filepath.Join(dir, zf.Name)
		if !strings.HasPrefix(p, dir+string(filepath.Separator)) || zf.FileInfo().IsDir() {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return err
		}
		out, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, zf.Mode().Perm()|0o400)
		if err != nil {
			rc.Close()
			return err
		}
		n, err := io.Copy(out, io.LimitReader(rc, maxUnzipped-total+1))
		rc.Close()
		out.Close()
		if total += n; err != nil || total > maxUnzipped {
			return fmt.Errorf("unzipped size over %d bytes or unreadable: %v", maxUnzipped, err)
		}
	}
	return nil
}

// invoke runs one invocation. Like Lambda, it keeps running when the
// caller goes away (the invocation is not cancelled by a dropped
// connection), bounded by the function's Timeout.
func (f *Fake) invoke(w http.ResponseWriter, r *http.Request, fn *function) {
	if state, _ := f.state(fn); state != "Active" {
		writeError(w, Failure{Status: http.StatusConflict, Code: "ResourceConflictException",
			Message: "The operation cannot be performed at this time. The function is currently in the following state: " + state})
		return
	}
	switch r.Header.Get("X-Amz-Invocation-Type") {
	case "DryRun":
		w.WriteHeader(http.StatusNoContent)
		return
	case "", "RequestResponse":
	default:
		writeError(w, Failure{Status: http.StatusBadRequest, Code: "InvalidParameterValueException", Message: "awsfake serves RequestResponse and DryRun invocations only"})
		return
	}
	payload, err := io.ReadAll(io.LimitReader(r.Body, maxInvoke+1))
	if err != nil || len(payload) > maxInvoke {
		writeError(w, Failure{Status: http.StatusRequestEntityTooLarge, Code: "RequestTooLargeException", Message: "Request must be smaller than 6291456 bytes for the InvokeFunction operation"})
		return
	}
	f.fn.live.Add(1)
	defer f.fn.live.Done()
	body, fnErr, fl := f.run(fn, payload)
	if fl != nil {
		writeError(w, *fl)
		return
	}
	w.Header().Set("X-Amz-Executed-Version", "$LATEST")
	if fnErr {
		w.Header().Set("X-Amz-Function-Error", "Unhandled")
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}

// run starts the emulator with the function's bootstrap, invokes it once
// and stops it (every invocation is a cold start).
func (f *Fake) run(fn *function, payload []byte) (body []byte, fnErr bool, fl *Failure) {
	timeout := time.Duration(fn.Timeout) * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), timeout+15*time.Second)
	defer cancel()
	env := append([]string(nil), f.fn.opts.Env...)
	if f.fn.opts.STS != "" {
		creds, err := assumeRole(ctx, f.fn.opts.STS, fn)
		if err != nil {
			return nil, false, &Failure{Status: http.StatusBadGateway, Code: "ServiceException", Message: "awsfake: assuming the function's role: " + err.Error()}
		}
		env = append(env, creds...)
	}
	for k, v := range fn.Env {
		env = append(env, k+"="+v)
	}
	in, err := rie.Start(ctx, rie.Options{RIE: f.fn.opts.RIE, Bootstrap: filepath.Join(fn.dir, "bootstrap"), Timeout: timeout,
		Name: fn.Name, Env: env, Log: f.fn.opts.Log})
	if err != nil {
		return nil, false, &Failure{Status: http.StatusBadGateway, Code: "ServiceException", Message: "awsfake: " + err.Error()}
	}
	defer in.Stop()
	start := time.Now()
	status, out, err := in.Invoke(ctx, payload)
	switch {
	case err != nil:
		return nil, false, &Failure{Status: http.StatusBadGateway, Code: "ServiceException", Message: "awsfake: invoking under the emulator: " + err.Error()}
	case time.Since(start) >= timeout && bytes.HasPrefix(out, []byte("Task timed out")):
		// The emulator answers a timeout with this text; Lambda with an
		// Unhandled function error whose message says the same.
		msg, _ := json.Marshal(map[string]string{"errorType": "Sandbox.Timedout",
			"errorMessage": fmt.Sprintf("%s Task timed out after %d.00 seconds", time.Now().UTC().Format(time.RFC3339), fn.Timeout)})
		return msg, true, nil
	case status != http.StatusOK:
		return nil, false, &Failure{Status: http.StatusBadGateway, Code: "ServiceException", Message: fmt.Sprintf("awsfake: the emulator answered HTTP %d: %s", status, out)}
	}
	var e struct {
		ErrorType    *string `json:"errorType"`
		ErrorMessage *string `json:"errorMessage"`
	}
	isErr := json.Unmarshal(out, &e) == nil && e.ErrorMessage != nil && e.ErrorType != nil
	return out, isErr, nil
}

// assumeRole gets the role's temporary credentials (session name = the
// function's name, as Lambda does) and returns them as environment.
func assumeRole(ctx context.Context, endpoint string, fn *function) ([]string, error) {
	cfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(endpoint),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDAWSFAKELAMBDA", "awsfake-lambda-service", "")}
	out, err := sts.NewFromConfig(cfg).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(fn.Role), RoleSessionName: aws.String(fn.Name)})
	if err != nil {
		return nil, err
	}
	c := out.Credentials
	return []string{"AWS_ACCESS_KEY_ID=" + aws.ToString(c.AccessKeyId), "AWS_SECRET_ACCESS_KEY=" + aws.ToString(c.SecretAccessKey),
		"AWS_SESSION_TOKEN=" + aws.ToString(c.SessionToken)}, nil
}
