// Package probe is the only part of esmdoctor that touches the network.
// Each probe performs one step of the mapping's setup sequence and returns
// an observation: what it saw, with the raw typed error. It never decides
// what an error means; the checks package classifies observations.
package probe

import (
	"context"
	"net"
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

// awaitValue is await for a function with a result: the result travels
// with the error, so a call abandoned when ctx ends never writes to
// anything its caller reads (the zero value is returned then).
func awaitValue[T any](ctx context.Context, fn func() (T, error), onCancel func()) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := fn()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		if onCancel != nil {
			onCancel()
		}
		var zero T
		return zero, context.Cause(ctx)
	}
}

// since returns the elapsed time rounded for display.
func since(t time.Time) time.Duration { return time.Since(t).Round(time.Millisecond) }

type resolverKey struct{}

// WithResolver makes the probes' connections resolve host names with r:
// the run's Config.Resolver (tests replace DNS) then applies to every
// dial, not only to the dns check.
func WithResolver(ctx context.Context, r *net.Resolver) context.Context {
	return context.WithValue(ctx, resolverKey{}, r)
}

// dialer is a dialer using the run's resolver, if any.
func dialer(ctx context.Context) *net.Dialer {
	d := &net.Dialer{}
	if r, ok := ctx.Value(resolverKey{}).(*net.Resolver); ok {
		d.Resolver = r
	}
	return d
}

// Sleep waits d, or until ctx ends; it reports whether d elapsed.
func Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
