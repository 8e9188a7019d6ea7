// Package rie runs a function's bootstrap under the real AWS Lambda Runtime
// Interface Emulator (github.com/aws/aws-lambda-runtime-interface-emulator,
// built from the Go module proxy into testbed/.cache/bin by testbed.sh up,
// or on first use), on loopback, and invokes it over the emulator's HTTP
// API exactly as the Lambda service would hand it an event.
package rie

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Module and Version pin the emulator (the module has no tags: this is
// the pseudo-version @latest resolved to on 2026-11-30).
const (
	Module  = "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie"
	Version = "v0.0.0-20261030222936-bef5c4ba774d"
)

// binName is the emulator's file name under testbed/.cache/bin.
const binName = "aws-lambda-rie"

var buildOnce sync.Mutex

// Binary returns the emulator's path under root/testbed/.cache/bin,
// building it there (go install from the module proxy) when missing.
func Binary(root string) (string, error) {
	dir := filepath.Join(root, "testbed", ".cache", "bin")
	bin := filepath.Join(dir, binName)
	buildOnce.Lock()
	defer buildOnce.Unlock()
	if st, err := os.Stat(bin); err == nil && !st.IsDir() {
		return bin, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	cmd := exec.Command("go", "install", Module+"@"+Version)
	cmd.Env = append(os.Environ(), "GOBIN="+dir, "GOFLAGS=")
	cmd.Dir = os.TempDir() // outside any module: go install pkg@version
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go install %s@%s: %w: %s", Module, Version, err, out)
	}
	return bin, nil
}

// Options describe one emulated execution environment.
type Options struct {
	RIE       string        // the emulator binary
	Bootstrap string        // the function's bootstrap executable
	Timeout   time.Duration // the function's Timeout (whole seconds)
	Name      string        // AWS_LAMBDA_FUNCTION_NAME
	Env       []string      // the function's environment (KEY=VALUE)
	Log       io.Writer     // the emulator's and the function's output; nil discards
}

// Instance is a running emulator with its function.
type Instance struct {
	cmd  *exec.Cmd
	addr string
	done chan struct{}
}

// Start launches the emulator on two free loopback ports (its invoke API
// and the Runtime API it gives the bootstrap) and waits until it listens.
func Start(ctx context.Context, o Options) (*Instance, error) {
	ports, err := freePorts(2)
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(ports[0])
	cmd := exec.Command(o.RIE, "--log-level", "error", "--runtime-interface-emulator-address", addr,
		"--runtime-api-address", "127.0.0.1:"+strconv.Itoa(ports[1]), o.Bootstrap)
	cmd.Dir = filepath.Dir(o.Bootstrap)
	secs := max(1, int(o.Timeout/time.Second))
	cmd.Env = append(append(baseEnv(), o.Env...), "AWS_LAMBDA_FUNCTION_TIMEOUT="+strconv.Itoa(secs),
		"AWS_LAMBDA_FUNCTION_NAME="+o.Name, "_HANDLER=bootstrap")
	cmd.Stdout, cmd.Stderr = o.Log, o.Log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // the bootstrap dies with it
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the emulator: %w", err)
	}
	in := &Instance{cmd: cmd, addr: addr, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(in.done) }()
	if err := in.waitListening(ctx); err != nil {
		in.Stop()
		return nil, err
	}
	return in, nil
}

// baseEnv is the little of this process's environment a function needs.
func baseEnv() []string {
	var env []string
	for _, k := range []string{"PATH", "HOME", "TMPDIR"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

func (in *Instance) waitListening(ctx context.Context) error {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", in.addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-in.done:
			return errors.New("the emulator exited before listening")
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	return fmt.Errorf("the emulator did not listen on %s within 10s", in.addr)
}

// URL is the emulator's invoke endpoint.
func (in *Instance) URL() string {
	return "http://" + in.addr + "/2015-03-31/functions/function/invocations"
}

// Invoke posts payload as one synchronous invocation and returns the
// emulator's status and body (at most 6 MB, Lambda's response limit).
func (in *Instance) Invoke(ctx context.Context, payload []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, in.URL(), bytes.NewReader(payload))
	if err != nil {
		return 0, nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 6<<20))
	return resp.StatusCode, body, err
}

// Stop kills the emulator and its bootstrap (the whole process group).
func (in *Instance) Stop() {
	if in.cmd.Process != nil {
		_ = syscall.Kill(-in.cmd.Process.Pid, syscall.SIGKILL)
	}
	<-in.done
}

// freePorts reserves n loopback ports by listening on :0, then frees them
// for the emulator (a small race other processes could win; retried by the
// callers' error paths).
func freePorts(n int) ([]int, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}
