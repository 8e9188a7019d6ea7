//go:build linux

package main

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestHostileInputs is the second bad-input table (the first is
// TestBadInputTable): inputs a hurried or hostile user really passes, each
// run as the built binary. Each must exit with its documented code (2 for
// input esmdoctor refuses, 1 for a setting Lambda's API would refuse),
// print one stderr line naming the input and what is wrong, no stack
// trace, within 0.5 s, and with a peak RSS under 60 MB (the special and
// large files included).
func TestHostileInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := binary(t)
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	secret := file("secret.json", `{"username":"alice","password":"pw-canary-2"}`)
	bom := file("bom.json", "\xef\xbb\xbf"+`{"username":"alice","password":"pw-canary-2"}`)
	trailing := file("trailing.json", `{"username":"alice","password":"pw-canary-2"} trailing`)
	empty := file("empty.json", "")
	array := file("array.json", `["alice","pw-canary-2"]`)
	justOver := file("over.json", strings.Repeat(" ", 65537))
	big := filepath.Join(dir, "big.json")
	if f, err := os.Create(big); err == nil {
		_ = f.Truncate(50 << 20) // 50 MB, sparse
		f.Close()
	}
	fifo := filepath.Join(dir, "fifo")
	_ = syscall.Mkfifo(fifo, 0o600)
	loop := filepath.Join(dir, "loop")
	_ = os.Symlink(filepath.Join(dir, "loop2"), loop)
	_ = os.Symlink(loop, filepath.Join(dir, "loop2"))
	dangling := filepath.Join(dir, "dangling")
	_ = os.Symlink(filepath.Join(dir, "nowhere"), dangling)
	toZero := filepath.Join(dir, "to-zero")
	_ = os.Symlink("/dev/zero", toZero)
	toSecret := filepath.Join(dir, "to-secret")
	_ = os.Symlink(secret, toSecret)
	sock := filepath.Join(dir, "sock")
	if ln, err := net.Listen("unix", sock); err == nil {
		defer ln.Close()
	}
	var thousand []string
	for i := 0; i < 1000; i++ {
		thousand = append(thousand, "b-"+strconv.Itoa(i)+".example.com:9092")
	}
	var subnets []string
	for i := 0; i < 23; i++ {
		subnets = append(subnets, "--source-access-configuration", "Type=VPC_SUBNET,URI=subnet:subnet-"+strconv.Itoa(i))
	}
	b := []string{"check", "-b", "127.0.0.1:1", "-t", "orders", "--timeout", "2s"}
	with := func(extra ...string) []string { return append(append([]string{}, b...), extra...) }
	aws := []string{"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY=x", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null"}
	const esmID = "0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b"
	cases := []struct {
		args       []string
		env        []string
		code       int
		name, want string // the input named, and what is wrong
	}{
		// Special and large files.
		{with("--secret-file", "/dev/zero"), nil, 2, "--secret-file", "is a character device"},
		{with("--ca-file", "/dev/urandom"), nil, 2, "--ca-file", "is a character device"},
		{with("--secret-file", fifo), nil, 2, "--secret-file", "is a named pipe (FIFO)"},
		{with("--ca-file", fifo), nil, 2, "--ca-file", "is a named pipe (FIFO)"},
		{with("--secret-file", big), nil, 2, "--secret-file", "is 52,428,800 bytes; a secret holds at most 65,536 bytes"},
		{with("--ca-file", big), nil, 2, "--ca-file", "is 52,428,800 bytes"},
		{with("--secret-file", justOver), nil, 2, "--secret-file", "is 65,537 bytes"},
		{with("--secret-file", loop), nil, 2, "--secret-file", "is a symbolic link loop"},
		{with("--ca-file", loop), nil, 2, "--ca-file", "is a symbolic link loop"},
		{with("--secret-file", dangling), nil, 2, "--secret-file", "no such file"},
		{with("--ca-file", toZero), nil, 2, "--ca-file", "is a character device"},
		{with("--secret-file", sock), nil, 2, "--secret-file", "is a socket"},
		{with("--ca-file", dir), nil, 2, "--ca-file", "is a directory"},
		{with("--secret-file", filepath.Join(secret, "x")), nil, 2, "--secret-file", "a part of the path is a file"},
		{with("--secret-file", filepath.Join(dir, strings.Repeat("n", 5000))), nil, 2, "--secret-file", "too long"},
		// Secrets that are not JSON objects, with and without --auth.
		{with("--secret-file", bom), nil, 2, "--secret-file", "starts with a UTF-8 byte order mark"},
		{with("--secret-file", bom, "--auth", "sasl-scram-512"), nil, 2, bom, "starts with a UTF-8 byte order mark"},
		{with("--secret-file", trailing), nil, 2, "--secret-file", "invalid JSON at byte offset"},
		{with("--secret-file", trailing, "--auth", "sasl-plain"), nil, 2, trailing, "invalid JSON at byte offset"},
		{with("--secret-file", empty), nil, 2, "--secret-file", "the document is empty"},
		{with("--secret-file", array), nil, 2, "--secret-file", "is a JSON array, not an object"},
		// --output-file.
		{with("--secret-file", secret, "--output-file", secret), nil, 2, "--output-file", "is the same file as --secret-file"},
		{with("--secret-file", secret, "--output-file", toSecret), nil, 2, "--output-file", "is the same file as --secret-file"},
		{with("--output-file", "/tmp"), nil, 2, "--output-file", "is a directory"},
		{with("--output-file", "/dev/null"), nil, 2, "--output-file", "is not a regular file"},
		{with("--output-file", "/proc/esmdoctor.json"), nil, 2, "--output-file", "is not writable"},
		{with("--output-file", loop), nil, 2, "--output-file", "is a symbolic link loop"},
		// Bootstrap servers.
		{[]string{"check", "-b", "a:1;b:2", "-t", "orders"}, nil, 2, "--bootstrap-servers", "separate servers with commas"},
		{[]string{"check", "-b", "a:1 b:2", "-t", "orders"}, nil, 2, "--bootstrap-servers", "separate servers with commas"},
		{[]string{"check", "-b", "a:0009092", "-t", "orders"}, nil, 2, "--bootstrap-servers", "no sign, no leading zeros"},
		{[]string{"check", "-b", "a:+9092", "-t", "orders"}, nil, 2, "--bootstrap-servers", "no sign, no leading zeros"},
		{[]string{"check", "-b", "a:1", "-b", "a:1", "-t", "orders"}, nil, 2, "--bootstrap-servers", "listed twice"},
		{[]string{"check", "-b", ":9092", "-t", "orders"}, nil, 2, "--bootstrap-servers", "missing host"},
		{[]string{"check", "-b", "bröker:9092", "-t", "orders"}, nil, 2, "--bootstrap-servers", "not a hostname"},
		// What Lambda's API refuses (exit 1: a failing api check).
		{[]string{"check", "-b", strings.Join(thousand, ","), "-t", "orders"}, nil, 1, "KAFKA_BOOTSTRAP_SERVERS", "1000 servers: a mapping lists 1 to 10"},
		{[]string{"check", "-b", "[2001:db8::1]:9092", "-t", "orders"}, nil, 1, "KAFKA_BOOTSTRAP_SERVERS", "no IPv6 literal"},
		{[]string{"check", "-b", "my_broker.internal:9092", "-t", "orders"}, nil, 1, "KAFKA_BOOTSTRAP_SERVERS", "no '_'"},
		{with("--consumer-group", "my group id"), nil, 1, "ConsumerGroupId", "no spaces"},
		{with("--consumer-group", strings.Repeat("g", 201)), nil, 1, "ConsumerGroupId", "1 to 200 characters"},
		{[]string{"check", "-b", "127.0.0.1:1", "-t", ".orders"}, nil, 1, "Topics", "it may not start with '.'"},
		{append([]string{"check", "-b", "127.0.0.1:1", "-t", "orders", "--region", "us-east-1"}, subnets...), aws, 1, "SourceAccessConfigurations", "23 entries"},
		{[]string{"check", "--self-managed-event-source", `{"Endpoints":{"KAFKA_BOOTSTRAP_SERVERS":["` + strings.Join(thousand[:11], `","`) + `"]}}`, "-t", "orders"}, nil, 1, "KAFKA_BOOTSTRAP_SERVERS", "11 servers"},
		// Topics.
		{[]string{"check", "-b", "127.0.0.1:1", "-t", "a,b"}, nil, 2, "--topic", "not a valid Kafka topic name"},
		{[]string{"check", "-b", "127.0.0.1:1", "-t", ".."}, nil, 2, "--topic", "not a valid Kafka topic name"},
		// Flags given twice.
		{[]string{"check", "-b", "127.0.0.1:1", "-t", "orders", "-t", "payments"}, nil, 2, "--topic", `given 2 times ("orders", "payments")`},
		{with("--auth", "none", "--auth", "tls"), nil, 2, "--auth", "given 2 times"},
		{with("--timeout", "5s"), nil, 2, "--timeout", "given 2 times"},
		{with("--output-file", filepath.Join(dir, "a.json"), "--output-file", filepath.Join(dir, "b.json")), nil, 2, "--output-file", "given 2 times"},
		{with("--timeout=0s"), nil, 2, "--timeout", "given 2 times"},
		// Environment variables.
		{with(), []string{"ESMDOCTOR_NO_COLOR=maybe"}, 2, "ESMDOCTOR_NO_COLOR", "want 1 or 0, true or false, yes or no, on or off"},
		{with(), []string{"ESMDOCTOR_VERBOSE=2"}, 2, "ESMDOCTOR_VERBOSE", "want 1 or 0"},
		{with(), []string{"ESMDOCTOR_JOIN_GROUP=sure"}, 2, "ESMDOCTOR_JOIN_GROUP", "want 1 or 0"},
		{[]string{"check", "--esm", esmID}, append([]string{"AWS_REGION=Mars"}, aws...), 2, "AWS_REGION", "not a Region name"},
		{[]string{"check", "--esm", esmID}, append([]string{"AWS_REGION=", "AWS_DEFAULT_REGION=us east"}, aws...), 2, "AWS_DEFAULT_REGION", "not a Region name"},
		{[]string{"check", "-b", "127.0.0.1:1", "-t", "orders"}, []string{"ESMDOCTOR_TIMEOUT=forever"}, 2, "timeout", "forever"},
	}
	if len(cases) < 40 {
		t.Fatalf("the table needs at least 40 hostile inputs, has %d", len(cases))
	}
	for _, c := range cases {
		label := strings.Join(c.args, " ")
		if len(label) > 120 {
			label = label[:120] + "..."
		}
		var cmd *exec.Cmd
		var stdout, stderr bytes.Buffer
		var took time.Duration
		var peak func() int64
		// A second try only when the first was slow: a loaded CI machine
		// can stall any process start; a slow refusal is slow twice.
		for try := 0; try < 2 && (try == 0 || took > 500*time.Millisecond); try++ {
			cmd = exec.Command(bin, c.args...)
			cmd.Env = append(append(os.Environ(), "GITHUB_ACTIONS=", "ESMDOCTOR_NO_COLOR=", "ESMDOCTOR_VERBOSE=", "ESMDOCTOR_JOIN_GROUP="), c.env...)
			peak = measured(t, cmd)
			stdout.Reset()
			stderr.Reset()
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			start := time.Now()
			_ = cmd.Run()
			took = time.Since(start)
		}
		code := cmd.ProcessState.ExitCode()
		line := strings.TrimSpace(stderr.String())
		if code != c.code || strings.Contains(line, "\n") || !strings.HasPrefix(line, "esmdoctor: ") ||
			!strings.Contains(line, c.name) || !strings.Contains(line, c.want) {
			t.Errorf("%s %v: exit %d, stderr %q; want exit %d and one line naming %q with %q", label, c.env, code, stderr.String(), c.code, c.name, c.want)
		}
		if strings.Contains(stderr.String(), "goroutine ") || strings.Contains(stderr.String(), "panic") {
			t.Errorf("%s: a stack trace:\n%s", label, stderr.String())
		}
		if strings.Contains(stdout.String()+stderr.String(), "pw-canary-2") {
			t.Errorf("%s: a secret reached the output", label)
		}
		if took > 500*time.Millisecond {
			t.Errorf("%s: took %s, want under 0.5 s", label, took.Round(time.Millisecond))
		}
		if rss := peak(); rss > 60*1024 {
			t.Errorf("%s: peak RSS %d KiB, want under 60 MB", label, rss)
		}
	}
}
