package awsprobe

import (
	"context"
	"errors"
	"time"

	"github.com/esmdoctor/esmdoctor/share"
)

// A scan checks many mappings with one Session, and those mappings mostly
// share a function, its execution role, their secrets and the caller's
// identity. Asked once per mapping, the same reads made a scan of 100
// mappings send about a thousand requests for a few dozen answers (and
// wait on AWS's API rate limits for them). With ShareAnswers, each read is
// asked once per Session and every run that needs it gets the same answer:
// the runs of one scan see the account at the same moment, as one check
// run sees it.
//
// An answer cut short by the asker's context (its step budget, the run's
// deadline, an interruption) is not shared: the next run asks again.

// ShareAnswers makes the Session share the answers of its read-only calls
// between the runs that use it (esmdoctor scan). Call it before any call.
func (s *Session) ShareAnswers() { s.shared = &share.Answers{} }

// Remember stores m as the answer to reading its mapping (the listing
// returned it whole, as GetEventSourceMapping would), when answers are
// shared.
func (s *Session) Remember(m Mapping) {
	if s.shared != nil {
		s.shared.Put("lambda:GetEventSourceMapping "+m.UUID, mappingAnswer{m: m})
	}
}

// shared returns the answer to key: the one an earlier (or concurrent)
// run got, or fn's. An answer is shared only when keep says it is one,
// the asker's context did not end while fn ran, and fn returned within
// budget (every step budget inside fn starts after fn does, so none of
// them ran out): a timeout or an interruption is never shared.
func shared[T any](ctx context.Context, s *Session, key string, budget time.Duration, fn func() T, keep func(T) bool) T {
	if s.shared == nil {
		return fn()
	}
	var start time.Time
	v, _ := share.Ask(ctx, s.shared, key, func() T { start = time.Now(); return fn() },
		func(v T) bool { return keep(v) && time.Since(start) < budget })
	return v
}

// settled says whether err is an answer (or no error) rather than the
// asker's context ending first.
func settled(err error) bool {
	var ce *CallError
	return !errors.As(err, &ce) && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled)
}

// mappingAnswer and functionAnswer carry a value and an error as one answer.
type mappingAnswer struct {
	m   Mapping
	err error
}

type functionAnswer struct {
	f   Function
	err error
}
