package integration

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/esmdoctor/esmdoctor/fixtures"
	"github.com/esmdoctor/esmdoctor/testbed/awsfake"
)

// --in-vpc deletes its function in every case: SIGTERM while the function
// is being created, while it is Pending, while it is invoked, and when the
// invocation times out; probe cleanup finds what a killed run left.

// running is an esmdoctor process whose stderr lines are watched.
type running struct {
	cmd   *exec.Cmd
	lines chan string
	out   bytes.Buffer
	seen  []string
}

func startCLI(t *testing.T, args ...string) *running {
	t.Helper()
	r := &running{cmd: exec.Command(esmdoctorCLI(t), args...), lines: make(chan string, 100)}
	r.cmd.Env = os.Environ()
	r.cmd.Stdout = &r.out
	pipe, err := r.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			r.lines <- sc.Text()
		}
		close(r.lines)
	}()
	t.Cleanup(func() { _ = r.cmd.Process.Kill() })
	return r
}

// waitLine waits (at most 60 s) for a stderr line containing s.
func (r *running) waitLine(t *testing.T, s string) {
	t.Helper()
	timeout := time.After(60 * time.Second)
	for {
		select {
		case l, ok := <-r.lines:
			if !ok {
				t.Fatalf("esmdoctor ended before printing %q:\n%s", s, strings.Join(r.seen, "\n"))
			}
			r.seen = append(r.seen, l)
			if strings.Contains(l, s) {
				return
			}
		case <-timeout:
			t.Fatalf("no %q within 60s:\n%s", s, strings.Join(r.seen, "\n"))
		}
	}
}

// finish waits for the process (at most 60 s) and returns its exit code
// and the rest of stderr.
func (r *running) finish(t *testing.T) (int, string) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- r.cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("esmdoctor did not end within 60s")
	}
	for l := range r.lines {
		r.seen = append(r.seen, l)
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	return code, strings.Join(r.seen, "\n")
}

// sigterm sends SIGTERM and checks esmdoctor ends with exit 3 (interrupted)
// and no function is left.
func (b inVPCBed) sigterm(t *testing.T, r *running) {
	t.Helper()
	b.signal(t, r, syscall.SIGTERM)
}

// signal sends sig and checks esmdoctor ends with exit 3 (interrupted) and
// no function is left.
func (b inVPCBed) signal(t *testing.T, r *running, sig syscall.Signal) {
	t.Helper()
	if err := r.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	code, errOut := r.finish(t)
	if code != 3 || !strings.Contains(errOut, "interrupted") || !strings.Contains(errOut, "delete") {
		t.Fatalf("exit %d, want 3 with the interruption and the delete phase:\n%s", code, errOut)
	}
	b.wantNoFunctions(t)
}

// waitFunction waits until the fake holds a function.
func (b inVPCBed) waitFunction(t *testing.T) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if len(b.fake.Functions()) > 0 {
			return
		}
	}
	t.Fatal("no function was created")
}

func TestInVPCCleanupSIGTERMDuringCreate(t *testing.T) {
	b := requireInVPC(t, func(o *awsfake.FunctionOptions) { o.CreateDelay = 5 * time.Second })
	r := startCLI(t, append(b.mappingArgs(t, b.Get("SASL_SSL"), b.Get("SCRAM_USER"), b.Get("SCRAM_PASSWORD")), "--in-vpc")...)
	r.waitLine(t, "creating the probe function")
	b.waitFunction(t) // created, its answer held back
	b.sigterm(t, r)
}

func TestInVPCCleanupSIGTERMWhilePending(t *testing.T) {
	b := requireInVPC(t, func(o *awsfake.FunctionOptions) { o.PendingFor = 5 * time.Minute })
	r := startCLI(t, append(b.mappingArgs(t, b.Get("SASL_SSL"), b.Get("SCRAM_USER"), b.Get("SCRAM_PASSWORD")), "--in-vpc")...)
	r.waitLine(t, "probe function Pending")
	b.sigterm(t, r)
}

// Ctrl-C (SIGINT) is handled as SIGTERM is.
func TestInVPCCleanupCtrlCWhilePending(t *testing.T) {
	b := requireInVPC(t, func(o *awsfake.FunctionOptions) { o.PendingFor = 5 * time.Minute })
	r := startCLI(t, append(b.mappingArgs(t, b.Get("SASL_SSL"), b.Get("SCRAM_USER"), b.Get("SCRAM_PASSWORD")), "--in-vpc")...)
	r.waitLine(t, "probe function Pending")
	b.signal(t, r, syscall.SIGINT)
}

func TestInVPCCleanupSIGTERMDuringInvoke(t *testing.T) {
	b := requireInVPC(t)
	bh, err := fixtures.NewBlackhole() // the function's checks hang on it for seconds
	if err != nil {
		t.Fatal(err)
	}
	defer bh.Close()
	r := startCLI(t, append(b.mappingArgs(t, bh.Addr(), b.Get("SCRAM_USER"), b.Get("SCRAM_PASSWORD")), "--in-vpc")...)
	r.waitLine(t, "running the checks inside the VPC")
	b.sigterm(t, r)
}

// A bootstrap that never serves the Runtime API: the invocation times out
// after the function's Timeout; Lambda (the fake) answers with a function
// error, esmdoctor says so and still deletes the function.
func TestInVPCCleanupInvokeTimeout(t *testing.T) {
	b := requireInVPC(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte("package main\n\nimport \"time\"\n\nfunc main() { time.Sleep(time.Hour) }\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sleeper := filepath.Join(dir, "sleeper")
	if out, err := exec.Command("go", "build", "-o", sleeper, src).CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	args := append(b.mappingArgs(t, b.Get("SASL_SSL"), b.Get("SCRAM_USER"), b.Get("SCRAM_PASSWORD")), "--in-vpc", "--probe-binary", sleeper, "--probe-timeout", "2s")
	code, out, errOut := cliRun(t, nil, args...)
	if code != 3 || !strings.Contains(errOut, "Task timed out after 2.00 seconds") || !strings.Contains(errOut, "invoke") {
		t.Fatalf("exit %d, want 3 and the timeout:\n%s\n%s", code, errOut, out)
	}
	b.wantNoFunctions(t)
}

// probe cleanup lists a planted leftover without deleting it, keeps a
// young probe and other functions, and deletes the leftover with --yes.
func TestProbeCleanup(t *testing.T) {
	b := requireInVPC(t)
	old := time.Now().Add(-2 * time.Hour).UTC().Format(time.RFC3339)
	b.plant(t, "esmdoctor-probe-planted"+b.tag, map[string]string{"created-by": "esmdoctor", "created-at": old, "creator": "arn:aws:iam::123456789012:user/ci"})
	b.plant(t, "esmdoctor-probe-young"+b.tag, map[string]string{"created-by": "esmdoctor", "created-at": time.Now().UTC().Format(time.RFC3339)})
	b.plant(t, "esmdoctor-probe-notours"+b.tag, map[string]string{"created-by": "someone-else"})
	b.plant(t, "orders-consumer"+b.tag, nil)
	code, out, errOut := cliRun(t, nil, "probe", "cleanup", "--region", awsRegion)
	if code != 0 || !strings.Contains(out, "would delete esmdoctor-probe-planted"+b.tag) || !strings.Contains(out, "keep    esmdoctor-probe-young"+b.tag) ||
		strings.Contains(out, "notours") || strings.Contains(out, "orders-consumer") || !strings.Contains(out, "1 leftover probe function(s); nothing deleted") {
		t.Fatalf("dry run: exit %d\n%s\n%s", code, out, errOut)
	}
	if len(b.fake.Functions()) != 4 {
		t.Fatalf("the dry run deleted: %v", b.fake.Functions())
	}
	code, out, errOut = cliRun(t, nil, "probe", "cleanup", "--region", awsRegion, "--yes")
	if code != 0 || !strings.Contains(out, "deleted esmdoctor-probe-planted"+b.tag) {
		t.Fatalf("--yes: exit %d\n%s\n%s", code, out, errOut)
	}
	want := []string{"esmdoctor-probe-notours" + b.tag, "esmdoctor-probe-young" + b.tag, "orders-consumer" + b.tag}
	if got := b.fake.Functions(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("left %v, want %v", got, want)
	}
}

// plant creates a function in the fake through the Lambda API.
func (b inVPCBed) plant(t *testing.T, name string, tags map[string]string) {
	t.Helper()
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	w, _ := zw.Create("bootstrap")
	_, _ = w.Write([]byte("#!/bin/sh\n"))
	_ = zw.Close()
	cfg := b.motoConfig(awsRegion)
	cfg.BaseEndpoint = aws.String(b.fake.URL())
	_, err := lambda.NewFromConfig(cfg).CreateFunction(context.Background(), &lambda.CreateFunctionInput{FunctionName: aws.String(name),
		Runtime: lambdatypes.RuntimeProvidedal2023, Handler: aws.String("bootstrap"), Role: aws.String(b.role),
		Code: &lambdatypes.FunctionCode{ZipFile: zipped.Bytes()}, Tags: tags})
	if err != nil {
		t.Fatalf("CreateFunction %s: %v", name, err)
	}
}
