package checks

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/fixtures"
	"github.com/esmdoctor/esmdoctor/model"
)

// blackholes starts n listeners that accept TCP and never answer.
func blackholes(tb testing.TB, n int) []HostPort {
	tb.Helper()
	var out []HostPort
	for range n {
		bh, err := fixtures.NewBlackhole()
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(bh.Close)
		out = append(out, HostPort{Host: "127.0.0.1", Port: bh.Port()})
	}
	return out
}

func blackholeConfig(bs []HostPort, auth Auth, timeout time.Duration) Config {
	return Config{Bootstrap: bs, Topic: "orders", Auth: auth, ConsumerGroup: "g", Timeout: timeout}
}

// TestBlackholedBrokersEndWithinTimeout: whatever the number of brokers,
// a run against brokers that never answer ends within --timeout + 1s (the
// promise the README makes) and names the step that hung.
func TestBlackholedBrokersEndWithinTimeout(t *testing.T) {
	const timeout = 3 * time.Second
	for _, n := range []int{1, 3, 9} {
		for _, tc := range []struct {
			auth        Auth
			check, code string
		}{{AuthTLS, "tls", "ESM-TLS-006"}, {AuthNone, "topic", "ESM-TOPIC-003"}} {
			t.Run(fmt.Sprintf("%d brokers %s", n, tc.auth), func(t *testing.T) {
				start := time.Now()
				rs := Run(context.Background(), blackholeConfig(blackholes(t, n), tc.auth, timeout), nil)
				if d := time.Since(start); d > timeout+time.Second {
					t.Errorf("run took %s, over --timeout %s + 1s", d, timeout)
				}
				var failed model.Result
				for _, r := range rs {
					if r.Status == model.Fail {
						failed = r
						break
					}
				}
				if failed.ID != tc.check || failed.Code != tc.code {
					t.Fatalf("first failure %s %s, want %s %s", failed.ID, failed.Code, tc.check, tc.code)
				}
			})
		}
	}
}

// BenchmarkBlackhole measures the time to a verdict with every broker
// blackholed, for the README's figures:
// go test -run '^$' -bench Blackhole -benchtime 3x ./checks
func BenchmarkBlackhole(b *testing.B) {
	for _, n := range []int{1, 3, 9} {
		for _, auth := range []Auth{AuthTLS, AuthNone} {
			b.Run(fmt.Sprintf("brokers=%d/auth=%s", n, auth), func(b *testing.B) {
				cfg := blackholeConfig(blackholes(b, n), auth, 5*time.Second)
				for b.Loop() {
					Run(context.Background(), cfg, nil)
				}
			})
		}
	}
}
