package awsfake

import "time"

// The fake's knobs and counters: page sizes, delays, request counts.

// SetPageSize makes list calls answer at most n items per page when the
// caller gives no MaxItems (tests cross page boundaries with few items).
func (f *Fake) SetPageSize(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pageSize = n
}

// page is the default page size: n unless SetPageSize overrode it.
func (f *Fake) page(n int) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.pageSize > 0 {
		return f.pageSize
	}
	return n
}

// Requests returns how many requests the fake saw, by operation (the query
// Action, or the REST path's first segment), forwarded ones included.
func (f *Fake) Requests() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]int{}
	for k, v := range f.requests {
		out[k] = v
	}
	return out
}

// count notes one request of operation op.
func (f *Fake) count(op string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.requests == nil {
		f.requests = map[string]int{}
	}
	f.requests[op]++
}

// SetDelay delays every answer by d (0: none); a caller that gives up
// first gets nothing.
func (f *Fake) SetDelay(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.delay = d
}
