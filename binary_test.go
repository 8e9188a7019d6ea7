package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// The tests that send real signals or measure a child's memory run the
// built binary, as a user would.
var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

func TestMain(m *testing.M) {
	if out := os.Getenv(rssHelperEnv); out != "" {
		os.Exit(rssHelper(out, os.Args[1:]))
	}
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// binary builds esmdoctor once per test run.
func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "esmdoctor-bin-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "esmdoctor")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = &buildError{string(out)}
		}
	})
	if binErr != nil {
		t.Fatalf("building esmdoctor: %v", binErr)
	}
	return binPath
}

type buildError struct{ out string }

func (e *buildError) Error() string { return e.out }

// rssHelperEnv makes the test binary a small helper that runs a command and
// records its peak RSS (see measured).
const rssHelperEnv = "ESMDOCTOR_TEST_RSS_OUT"

// measured makes cmd run under the RSS helper (a freshly started test
// binary) and returns a function reading the child's peak RSS in KiB.
// Why not cmd's own rusage: Go starts children with vfork (CLONE_VM), and
// Linux carries the parent's peak RSS into the child's maxrss at exec, so
// a child of this test process, which by then holds tens of MB, reports
// at least that much whatever the child itself used.
func measured(t *testing.T, cmd *exec.Cmd) func() int64 {
	t.Helper()
	out := filepath.Join(t.TempDir(), "rss")
	env := cmd.Env
	if env == nil {
		env = os.Environ()
	}
	cmd.Env = append(env, rssHelperEnv+"="+out)
	cmd.Args = append([]string{os.Args[0]}, append([]string{cmd.Path}, cmd.Args[1:]...)...)
	cmd.Path = os.Args[0]
	return func() int64 {
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatalf("the RSS helper wrote nothing: %v", err)
		}
		n, _ := strconv.ParseInt(string(b), 10, 64)
		return n
	}
}

// rssHelper runs args with this process's standard streams, writes the
// child's peak RSS (KiB) to out and returns its exit code.
func rssHelper(out string, args []string) int {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, rssHelperEnv+"=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	_ = cmd.Run()
	if cmd.ProcessState == nil {
		return 127
	}
	rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss
	_ = os.WriteFile(out, []byte(strconv.FormatInt(rss, 10)), 0o600)
	return cmd.ProcessState.ExitCode()
}
