package lab

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/checks"
)

// TestCloseLeavesNothingRunning: after every scenario has started, been
// checked and closed, no goroutine of the lab (brokers, blackhole, probes
// blocked on a lab peer) is left.
func TestCloseLeavesNothingRunning(t *testing.T) {
	cycle := func(name string) {
		l, err := Start(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		cfg := l.Config
		cfg.Timeout = checks.MinTimeout
		checks.Run(context.Background(), cfg, nil)
		l.Close()
		l.Close() // idempotent
	}
	// sarama's first broker starts go-metrics' process-wide meter
	// goroutine, which lives as long as the process: start it first.
	cycle("healthy")
	before := runtime.NumGoroutine()
	for _, sc := range Scenarios() {
		cycle(sc.Name)
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines before, %d after:\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}
