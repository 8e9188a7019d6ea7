package awsprobe

import (
	"context"
	"errors"
	"sync"
	"time"
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

// answers holds the shared answers, by call and input.
type answers struct {
	mu sync.Mutex
	m  map[string]*answer
}

// answer is one call's answer; done is closed once val is set.
type answer struct {
	done chan struct{}
	val  any
	keep bool
}

// ShareAnswers makes the Session share the answers of its read-only calls
// between the runs that use it (esmdoctor scan). Call it before any call.
func (s *Session) ShareAnswers() { s.shared = &answers{m: map[string]*answer{}} }

// Remember stores m as the answer to reading its mapping (the listing
// returned it whole, as GetEventSourceMapping would), when answers are
// shared.
func (s *Session) Remember(m Mapping) {
	if s.shared == nil {
		return
	}
	a := &answer{done: make(chan struct{}), val: mappingAnswer{m: m}, keep: true}
	close(a.done)
	s.shared.mu.Lock()
	defer s.shared.mu.Unlock()
	s.shared.m["lambda:GetEventSourceMapping "+m.UUID] = a
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
	s.shared.mu.Lock()
	a, asked := s.shared.m[key]
	if !asked {
		a = &answer{done: make(chan struct{})}
		s.shared.m[key] = a
	}
	s.shared.mu.Unlock()
	if asked {
		select {
		case <-a.done:
			if a.keep {
				return a.val.(T)
			}
		case <-ctx.Done():
		}
		return fn() // not shareable, or this run's context ended: its own call
	}
	start := time.Now()
	v := fn()
	a.val, a.keep = v, keep(v) && ctx.Err() == nil && time.Since(start) < budget
	if !a.keep {
		s.shared.mu.Lock()
		delete(s.shared.m, key)
		s.shared.mu.Unlock()
	}
	close(a.done)
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
