// Package share shares the answers of read-only questions between the runs
// of one esmdoctor scan: each question is asked once, and every run that
// asks it while or after the first asker asks gets the same answer. The
// runs of a scan then see the account and the cluster at one moment, as one
// check run sees them. awsprobe shares its AWS reads this way and checks its
// Kafka reads.
package share

import (
	"context"
	"sync"
)

// Answers holds the answers of one scan. The zero value is ready to use.
type Answers struct {
	mu sync.Mutex
	m  map[string]*answer
}

// answer is one question's answer; done is closed once v and keep are set.
type answer struct {
	done chan struct{}
	v    any
	keep bool
}

// Put stores v as the answer to key, for an answer known without asking.
func (as *Answers) Put(key string, v any) {
	a := &answer{done: make(chan struct{}), v: v, keep: true}
	close(a.done)
	as.mu.Lock()
	defer as.mu.Unlock()
	if as.m == nil {
		as.m = map[string]*answer{}
	}
	as.m[key] = a
}

// Ask returns the answer to key: the one an earlier or concurrent asker
// got (shared is then true), or fn's. fn's answer is shared only when keep
// accepts it and ctx did not end while fn ran, so an answer cut short is
// never shared; an asker whose ctx ends while it waits, or that waited for
// an answer not kept, calls fn itself.
func Ask[T any](ctx context.Context, as *Answers, key string, fn func() T, keep func(T) bool) (v T, shared bool) {
	as.mu.Lock()
	a, asked := as.m[key]
	if !asked {
		if as.m == nil {
			as.m = map[string]*answer{}
		}
		a = &answer{done: make(chan struct{})}
		as.m[key] = a
	}
	as.mu.Unlock()
	if asked {
		select {
		case <-a.done:
			if a.keep {
				return a.v.(T), true
			}
		case <-ctx.Done():
		}
		return fn(), false
	}
	v = fn()
	a.v, a.keep = v, keep(v) && ctx.Err() == nil
	if !a.keep {
		as.mu.Lock()
		if as.m[key] == a {
			delete(as.m, key)
		}
		as.mu.Unlock()
	}
	close(a.done)
	return v, false
}
