//go:build linux

package main

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/fixtures"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// stallStep is one step of a run made to hang: a fixture that never
// answers at that step, the command line that reaches it, the check that
// is running when it hangs ("" when it hangs before any check), and a
// channel closed once the run is stuck there.
type stallStep struct {
	name    string
	check   string
	args    []string
	env     []string
	reached <-chan struct{}
}

// kafkaBed is a TLS + SCRAM-SHA-512 kfake cluster with the files a check
// against it needs.
type kafkaBed struct {
	c                *kfake.Cluster
	secret, ca, addr string
}

func newKafkaBed(t *testing.T, brokers int) *kafkaBed {
	t.Helper()
	ca, err := fixtures.NewCA("signals CA")
	if err != nil {
		t.Fatal(err)
	}
	cert, _, _, err := ca.Server("localhost", []string{"localhost"}, []net.IP{net.ParseIP("127.0.0.1")})
	if err != nil {
		t.Fatal(err)
	}
	c, err := kfake.NewCluster(kfake.NumBrokers(brokers), kfake.SeedTopics(4, "orders"), kfake.EnableSASL(),
		kfake.Superuser("SCRAM-SHA-512", "esm", "signals-password"), kfake.TLS(&tls.Config{Certificates: []tls.Certificate{cert}}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	dir := t.TempDir()
	b := &kafkaBed{c: c, addr: c.ListenAddrs()[0], secret: filepath.Join(dir, "secret.json"), ca: filepath.Join(dir, "ca.pem")}
	_ = os.WriteFile(b.secret, fixtures.SASLSecret("esm", "signals-password"), 0o600)
	_ = os.WriteFile(b.ca, ca.CertPEM, 0o600)
	return b
}

func (b *kafkaBed) args() []string {
	return []string{"check", "-b", b.addr, "-t", "orders", "--secret-file", b.secret, "--ca-file", b.ca, "--auth", "sasl-scram-512"}
}

// stallKey makes the cluster never answer requests of key (on node, or
// on every node when node < 0) and returns a channel closed when the
// first such request arrives.
func (b *kafkaBed) stallKey(key kmsg.Key, node int32) <-chan struct{} {
	ch := make(chan struct{})
	closed := false
	b.c.Control(func(r kmsg.Request) (kmsg.Response, error, bool) {
		b.c.KeepControl()
		if r.Key() != int16(key) && key >= 0 || node >= 0 && b.c.CurrentNode() != node {
			return nil, nil, false
		}
		if !closed {
			closed = true
			close(ch)
		}
		return nil, nil, true // no answer, ever
	})
	return ch
}

// stalledConnect is a TCP port whose accept queue is full: a connection
// attempt hangs in SYN-SENT, as to a firewalled host.
func stalledConnect(t *testing.T) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, _ := syscall.Getsockname(fd)
	addr := fmt.Sprintf("127.0.0.1:%d", sa.(*syscall.SockaddrInet4).Port)
	// Fill the queue (backlog 0 holds one): later SYNs are dropped.
	for i := 0; i < 2; i++ {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			t.Cleanup(func() { c.Close() })
		}
	}
	if c, err := net.DialTimeout("tcp", addr, 300*time.Millisecond); err == nil {
		c.Close()
		t.Skip("this kernel accepts past a full backlog: cannot stall a connect")
	}
	return addr
}

// blackhole returns a listener that accepts and never answers, and a
// channel closed once a connection is open.
func blackhole(t *testing.T) (*fixtures.Blackhole, <-chan struct{}) {
	t.Helper()
	bh, err := fixtures.NewBlackhole()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(bh.Close)
	ch := make(chan struct{})
	go func() {
		for bh.Conns() == 0 {
			time.Sleep(5 * time.Millisecond)
		}
		close(ch)
	}()
	return bh, ch
}

// fakeSTS answers GetCallerIdentity, so the AWS steps after sts run.
func fakeSTS(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprint(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>`+
			`<Arn>arn:aws:iam::123456789012:user/signals</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account>`+
			`</GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// synSent returns a channel closed once a connection to addr waits in
// SYN-SENT (read from /proc/net/tcp): the connect is stalled.
func synSent(addr string) <-chan struct{} {
	_, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	want := fmt.Sprintf("0100007F:%04X", p)
	ch := make(chan struct{})
	go func() {
		for end := time.Now().Add(15 * time.Second); time.Now().Before(end); {
			data, _ := os.ReadFile("/proc/net/tcp")
			for _, line := range strings.Split(string(data), "\n") {
				f := strings.Fields(line)
				if len(f) > 3 && f[2] == want && f[3] == "02" {
					close(ch)
					return
				}
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	return ch
}

var awsEnv = []string{"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY=signals-secret-key", "AWS_REGION=us-east-1",
	"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true"}

const (
	smARN  = "arn:aws:secretsmanager:us-east-1:123456789012:secret:AmazonMSK_signals-AbCdEf"
	mskARN = "arn:aws:kafka:us-east-1:123456789012:cluster/orders/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-2"
)

// stallSteps builds every step of the run, each made to hang.
func stallSteps(t *testing.T) []stallStep {
	var steps []stallStep
	{
		dns, err := fixtures.NewSilentDNS()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(dns.Close)
		steps = append(steps, stallStep{name: "DNS", check: "dns", args: []string{"check", "-b", "kafka.signals.test:9092", "-t", "orders", "--auth", "none"},
			env: []string{"ESMDOCTOR_TEST_DNS_SERVER=" + dns.Addr()}, reached: dns.Queried()})
	}
	{
		addr := stalledConnect(t)
		steps = append(steps, stallStep{name: "TCP connect", check: "tcp", args: []string{"check", "-b", addr, "-t", "orders", "--auth", "none"}, reached: synSent(addr)})
	}
	{
		bh, ch := blackhole(t)
		steps = append(steps, stallStep{name: "TLS handshake", check: "tls", args: []string{"check", "-b", bh.Addr(), "-t", "orders", "--auth", "tls"}, reached: ch})
	}
	{
		bh, ch := blackhole(t)
		steps = append(steps, stallStep{name: "Kafka ApiVersions (--auth none: the topic check's connection)", check: "topic", args: []string{"check", "-b", bh.Addr(), "-t", "orders", "--auth", "none"}, reached: ch})
	}
	for _, k := range []struct {
		name, check string
		key         kmsg.Key
		node        int32
		brokers     int
	}{
		{"SASL (mid-exchange)", "sasl", kmsg.SASLAuthenticate, -1, 1},
		{"metadata", "topic", kmsg.Metadata, -1, 1},
		{"advertised brokers", "brokers", -1, 1, 2},
		{"group", "group", kmsg.FindCoordinator, -1, 1},
		{"poll", "poll", kmsg.Fetch, -1, 1},
	} {
		b := newKafkaBed(t, k.brokers)
		if k.brokers > 1 {
			// Node 1 must lead a partition, so the brokers check reaches it.
			if err := b.c.MoveTopicPartition("orders", 0, 1); err != nil {
				t.Fatal(err)
			}
		}
		// With 2 brokers only node 0 is given: node 1 is reached at its
		// advertised address by the brokers check, and never answers.
		steps = append(steps, stallStep{name: k.name, check: k.check, args: b.args(), reached: b.stallKey(k.key, k.node)})
	}
	{
		bh, ch := blackhole(t)
		steps = append(steps, stallStep{name: "AWS STS GetCallerIdentity", check: "sts",
			args: []string{"check", "-b", "127.0.0.1:9", "-t", "orders", "--auth", "none", "--region", "us-east-1"},
			env:  append([]string{"AWS_ENDPOINT_URL=http://" + bh.Addr()}, awsEnv...), reached: ch})
	}
	{
		bh, ch := blackhole(t)
		steps = append(steps, stallStep{name: "AWS Secrets Manager GetSecretValue", check: "secret",
			args: []string{"check", "-b", "127.0.0.1:9", "-t", "orders", "--source-access-configuration", "Type=SASL_SCRAM_512_AUTH,URI=" + smARN},
			env:  append([]string{"AWS_ENDPOINT_URL_STS=" + fakeSTS(t), "AWS_ENDPOINT_URL_SECRETS_MANAGER=http://" + bh.Addr()}, awsEnv...), reached: ch})
	}
	{
		bh, ch := blackhole(t)
		steps = append(steps, stallStep{name: "AWS MSK DescribeClusterV2", check: "cluster",
			args: []string{"check", "--event-source-arn", mskARN, "-t", "orders"},
			env:  append([]string{"AWS_ENDPOINT_URL_STS=" + fakeSTS(t), "AWS_ENDPOINT_URL_KAFKA=http://" + bh.Addr()}, awsEnv...), reached: ch})
	}
	{
		bh, ch := blackhole(t)
		steps = append(steps, stallStep{name: "AWS Lambda GetEventSourceMapping (--esm: the mapping check)", check: "mapping",
			args: []string{"check", "--esm", "0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b"},
			env:  append([]string{"AWS_ENDPOINT_URL_LAMBDA=http://" + bh.Addr()}, awsEnv...), reached: ch})
	}
	return steps
}

var signals = []struct {
	sig    syscall.Signal
	name   string
	format string
}{
	{syscall.SIGINT, "SIGINT", "json"},
	{syscall.SIGTERM, "SIGTERM", "junit"},
	{syscall.SIGHUP, "SIGHUP", "markdown"},
}

// TestSignalsEndEveryStep hangs the run at every step and sends each
// signal to the built binary: it must exit 3 within a second, with the
// partial report on the terminal and in --output-file (which held an
// earlier report: it is replaced whole, never truncated or emptied), the
// running check marked interrupted.
func TestSignalsEndEveryStep(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := binary(t)
	var times []string
	for _, sg := range signals {
		for _, st := range stallSteps(t) {
			name := sg.name + "/" + st.name
			dir := t.TempDir()
			outFile := filepath.Join(dir, "report."+sg.format)
			const earlier = "an earlier report\n"
			_ = os.WriteFile(outFile, []byte(earlier), 0o644)
			args := append(append([]string{}, st.args...), "--timeout", "60s", "--no-color", "--output", sg.format, "--output-file", outFile)
			cmd := exec.Command(bin, args...)
			cmd.Env = append(append(os.Environ(), "GITHUB_ACTIONS="), st.env...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan struct{})
			go func() { _ = cmd.Wait(); close(exited) }()
			select {
			case <-st.reached:
			case <-exited:
				t.Errorf("%s: exited before reaching the stall (exit %d)\n%s\n%s", name, cmd.ProcessState.ExitCode(), stdout.String(), stderr.String())
				continue
			case <-time.After(10 * time.Second):
				_ = cmd.Process.Kill()
				<-exited
				t.Errorf("%s: the stall was never reached\n%s", name, stdout.String())
				continue
			}
			time.Sleep(100 * time.Millisecond) // well inside the step
			sent := time.Now()
			_ = cmd.Process.Signal(sg.sig)
			select {
			case <-exited:
			case <-time.After(5 * time.Second):
				_ = cmd.Process.Kill()
				<-exited
			}
			took := time.Since(sent)
			times = append(times, fmt.Sprintf("%s\t%s\t%d", st.name, sg.name, took.Milliseconds()))
			if took > time.Second {
				t.Errorf("%s: exited %s after the signal, want within 1s", name, took.Round(time.Millisecond))
			}
			if code := cmd.ProcessState.ExitCode(); code != exitInternal {
				t.Errorf("%s: exit %d, want 3\n%s", name, code, stderr.String())
			}
			errLine := strings.TrimSpace(stderr.String())
			if strings.Contains(errLine, "\n") || !strings.Contains(errLine, "interrupted ("+sg.name+")") {
				t.Errorf("%s: stderr %q, want one line saying interrupted (%s)", name, errLine, sg.name)
			}
			got, _ := os.ReadFile(outFile)
			if st.check == "" {
				// Before any check: no report, and the earlier one stays.
				if string(got) != earlier {
					t.Errorf("%s: --output-file changed: %q", name, got)
				}
				continue
			}
			if !strings.Contains(stdout.String(), st.check) || !strings.Contains(stdout.String(), "interrupted while running") || !strings.Contains(stdout.String(), "INTERRUPTED") {
				t.Errorf("%s: the terminal report does not show %s interrupted:\n%s", name, st.check, stdout.String())
			}
			checkInterruptedFile(t, name, sg.format, string(got), st.check)
			if fi, err := os.Stat(outFile); err == nil && fi.Mode().Perm() != 0o600 {
				t.Errorf("%s: --output-file mode %o, want 0600", name, fi.Mode().Perm())
			}
			if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(left) > 0 {
				t.Errorf("%s: temporary files left: %v", name, left)
			}
		}
	}
	if p := os.Getenv("ESMDOCTOR_SIGNAL_TIMES"); p != "" {
		_ = os.WriteFile(p, []byte(strings.Join(times, "\n")+"\n"), 0o644)
	}
}

// checkInterruptedFile checks the partial report in each format.
func checkInterruptedFile(t *testing.T, name, format, got, check string) {
	t.Helper()
	switch format {
	case "json":
		var doc struct {
			Verdict string `json:"verdict"`
			Checks  []struct {
				ID          string `json:"id"`
				Interrupted bool   `json:"interrupted"`
			} `json:"checks"`
		}
		if err := json.Unmarshal([]byte(got), &doc); err != nil {
			t.Errorf("%s: --output-file is not JSON: %v\n%s", name, err, got)
			return
		}
		running := ""
		for _, c := range doc.Checks {
			if c.Interrupted {
				running = c.ID
			}
		}
		if doc.Verdict != "interrupted" || running != check {
			t.Errorf("%s: verdict %q, interrupted check %q; want interrupted, %s", name, doc.Verdict, running, check)
		}
	case "junit":
		re := regexp.MustCompile(`classname="esmdoctor\.` + regexp.QuoteMeta(check) + `" time="[0-9.]+">\s*<error message="interrupted while running" type="interrupted">`)
		if !re.MatchString(got) || !strings.Contains(got, `errors="1"`) {
			t.Errorf("%s: JUnit lacks the <error> for %s:\n%s", name, check, got)
		}
	case "markdown":
		if !strings.Contains(got, "## esmdoctor report: INTERRUPTED") || !strings.Contains(got, "| `"+check+"` | ⛔ interrupted |") {
			t.Errorf("%s: Markdown does not show %s interrupted:\n%s", name, check, got)
		}
	}
}

// TestSecondSignalExitsAtOnce: a second Ctrl-C right after the first ends
// the process at once, whatever the first one was doing.
func TestSecondSignalExitsAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := binary(t)
	bh, reached := blackhole(t)
	cmd := exec.Command(bin, "check", "-b", bh.Addr(), "-t", "orders", "--auth", "tls", "--timeout", "60s")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	<-reached
	start := time.Now()
	_ = cmd.Process.Signal(syscall.SIGINT)
	_ = cmd.Process.Signal(syscall.SIGINT)
	_ = cmd.Wait()
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("two SIGINTs: exited after %s", d)
	}
	if cmd.ProcessState.ExitCode() != exitInternal || !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("exit %d, stderr %q", cmd.ProcessState.ExitCode(), stderr.String())
	}
}
