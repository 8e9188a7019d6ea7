// Package probe is the only part of esmdoctor that touches the network.
// Each probe performs one step of the mapping's setup sequence and returns
// an observation: what it saw, with the raw typed error. It never decides
// what an error means; the checks package classifies observations.
package probe

import (
	"context"
	"time"
)

// await runs fn in a goroutine and returns its error, or the context's
// cause as soon as ctx ends; onCancel (if not nil) is called to unblock fn
// (closing a socket), so a blackholed peer never outlives the budget.
func await(ctx context.Context, fn func() error, onCancel func()) error {
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		if onCancel != nil {
			onCancel()
		}
		return context.Cause(ctx)
	}
}

// since returns the elapsed time rounded for display.
func since(t time.Time) time.Duration { return time.Since(t).Round(time.Millisecond) }
