package lab

import (
	"context"
	"testing"

	"github.com/esmdoctor/esmdoctor/checks"
)

// Time budgets are measured here, not asserted in tests:
//
//	go test -run '^$' -bench . -benchtime 20x ./lab

// BenchmarkStartHealthy measures bringing the healthy scenario up (CA,
// certificates, three kfake brokers, seeding) and down.
func BenchmarkStartHealthy(b *testing.B) {
	for b.Loop() {
		l, err := Start(context.Background(), "healthy")
		if err != nil {
			b.Fatal(err)
		}
		l.Close()
	}
}

// BenchmarkRun measures one whole run per scenario with --timeout 5s.
func BenchmarkRun(b *testing.B) {
	for _, name := range []string{"healthy", "blackhole"} {
		b.Run(name, func(b *testing.B) {
			l, err := Start(context.Background(), name)
			if err != nil {
				b.Fatal(err)
			}
			defer l.Close()
			cfg := l.Config
			cfg.Timeout = runTimeout
			for b.Loop() {
				checks.Run(context.Background(), cfg, nil)
			}
		})
	}
}
