//go:build linux

package main

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/fixtures"
)

// TestHostileBroker: a peer that announces a 2 GiB response, sends
// garbage, trickles a byte a second or answers metadata with 100,000
// brokers costs bounded memory (peak RSS under 80 MB) and bounded time
// (within --timeout), and ends in a classified failure, never a panic.
func TestHostileBroker(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := binary(t)
	const timeout = 4 * time.Second
	for _, c := range []struct {
		name string
		mode fixtures.HostileMode
		want string // in the failing check's cause
	}{
		{"2 GiB response", fixtures.HugeResponse, "announced a metadata response of 2.0 GiB"},
		{"garbage", fixtures.Garbage, "kafka: insufficient data to decode packet"},
		{"garbage before any request", fixtures.GarbageFirst, "no answer"},
		{"a byte a second", fixtures.Trickle, "no answer to a metadata request"},
		{"100,000 brokers", fixtures.ManyBrokers, "announced a metadata response of 3.4 MiB"},
	} {
		h, err := fixtures.NewHostileBroker(c.mode)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "check", "-b", h.Addr(), "-t", "orders", "--auth", "none", "--timeout", timeout.String(), "--output", "json")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		peak := measured(t, cmd)
		start := time.Now()
		_ = cmd.Run()
		took := time.Since(start)
		h.Close()
		if code := cmd.ProcessState.ExitCode(); code != exitFail {
			t.Errorf("%s: exit %d, want 1\n%s", c.name, code, stderr.String())
		}
		if strings.Contains(stderr.String(), "panic") || strings.Contains(stderr.String(), "goroutine ") {
			t.Errorf("%s: a panic:\n%s", c.name, stderr.String())
		}
		if took > timeout+time.Second {
			t.Errorf("%s: took %s, over --timeout %s", c.name, took, timeout)
		}
		rss := peak() // KiB on Linux
		if rss > 80*1024 {
			t.Errorf("%s: peak RSS %d KiB, want under 80 MB", c.name, rss)
		}
		r := parseJSON(t, stdout.String())
		failed := ""
		for _, ch := range r.Checks {
			if ch.Status == "fail" && failed == "" {
				failed = ch.ID + " " + ch.Code + " " + ch.Cause
			}
		}
		if !strings.Contains(failed, "ESM-") || !strings.Contains(failed, c.want) {
			t.Errorf("%s: first failure %q, want a code and %q", c.name, failed, c.want)
		}
		t.Logf("%s: %s, peak RSS %.1f MiB: %s", c.name, took.Round(time.Millisecond), float64(rss)/1024, failed)
	}
}
