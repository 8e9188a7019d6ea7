package awsprobe

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
)

// ErrStepTimeout is the cause of an AWS call's context when its step
// budget ends (the run's own deadline, or an interruption, keeps the
// parent context's cause).
var ErrStepTimeout = errors.New("no answer within the step budget")

// CallError is a call whose context ended before it completed. Cause says
// why (ErrStepTimeout, or the parent's cause: the run's deadline, an
// interruption); Last is the last error response AWS gave before that (a
// throttling answer whose retry did not fit in the budget), so the answer
// AWS gave is never hidden under a timeout.
type CallError struct {
	Cause   error
	Last    error // nil when no attempt got an error response
	Answers int   // how many error responses the attempts got
	Err     error // what the SDK returned
}

func (e *CallError) Error() string {
	if e.Last != nil {
		return fmt.Sprintf("%v (%d error answer(s); the retry did not complete: %v)", e.Last, e.Answers, e.Cause)
	}
	return fmt.Sprintf("%v: %v", e.Cause, e.Err)
}

// Unwrap lets errors.As find the last API error first, then the cause.
func (e *CallError) Unwrap() []error {
	var out []error
	for _, err := range []error{e.Last, e.Cause, e.Err} {
		if err != nil {
			out = append(out, err)
		}
	}
	return out
}

// attempts records the error responses the attempts of one call got.
type attempts struct {
	mu   sync.Mutex
	n    int // error responses
	last error
}

func (a *attempts) record(err error) {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.n++
	a.last = err
}

// reset forgets earlier calls' answers (a client that outlives one call).
func (a *attempts) reset() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.n, a.last = 0, nil
}

func (a *attempts) result() (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.n, a.last
}

// middleware records each attempt's outcome; it sits inside the retry
// loop, so it sees every attempt and not only the last.
func (a *attempts) middleware(st *middleware.Stack) error {
	return st.Finalize.Insert(middleware.FinalizeMiddlewareFunc("esmdoctorAttempts",
		func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			out, md, err := next.HandleFinalize(ctx, in)
			a.record(err)
			return out, md, err
		}), "Retry", middleware.After)
}

// stepRetryer is the retryer of a call within budget: the SDK's standard
// one, with maxAttempts attempts and at most a quarter of the budget
// between them.
func stepRetryer(budget time.Duration) aws.Retryer {
	std := retry.NewStandard(func(o *retry.StandardOptions) { o.MaxAttempts = maxAttempts })
	return retry.AddWithMaxBackoffDelay(std, budget/4)
}

// call prepares one AWS call within budget: its context ends with
// ErrStepTimeout, the SDK waits at most a quarter of the budget before a
// retry, and done turns an error whose context ended into a *CallError
// that keeps the last answer AWS gave.
func call(ctx context.Context, cfg aws.Config, budget time.Duration) (context.Context, aws.Config, func(error) error, context.CancelFunc) {
	ctx, cancel := context.WithTimeoutCause(ctx, budget, ErrStepTimeout)
	rec := &attempts{}
	cfg.Retryer = func() aws.Retryer { return stepRetryer(budget) }
	cfg.APIOptions = append(append([]func(*middleware.Stack) error{}, cfg.APIOptions...), rec.middleware)
	done := func(err error) error {
		if err == nil || ctx.Err() == nil {
			return err
		}
		n, last := rec.result()
		return &CallError{Cause: context.Cause(ctx), Last: last, Answers: n, Err: err}
	}
	return ctx, cfg, done, cancel
}
