package share

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
)

// Concurrent askers of one question cause one call; all get its answer.
func TestOneCallForConcurrentAskers(t *testing.T) {
	var as Answers
	var calls atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	results := make([]int, 8)
	sharedCount := atomic.Int32{}
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, shared := Ask(context.Background(), &as, "q", func() int { calls.Add(1); <-release; return 42 }, func(int) bool { return true })
			results[i] = v
			if shared {
				sharedCount.Add(1)
			}
		}()
	}
	for as.pending("q") == nil {
	}
	close(release)
	wg.Wait()
	if calls.Load() != 1 || sharedCount.Load() != 7 {
		t.Fatalf("%d calls, %d shared answers; want 1 and 7", calls.Load(), sharedCount.Load())
	}
	for _, v := range results {
		if v != 42 {
			t.Fatalf("answers %v", results)
		}
	}
}

// An answer keep refuses, or one whose asker's context ended, is not
// shared: the next asker calls again.
func TestAnswersNotKept(t *testing.T) {
	var as Answers
	if v, _ := Ask(context.Background(), &as, "q", func() int { return 1 }, func(v int) bool { return v > 1 }); v != 1 {
		t.Fatal(v)
	}
	if v, shared := Ask(context.Background(), &as, "q", func() int { return 2 }, func(int) bool { return true }); v != 2 || shared {
		t.Fatalf("a refused answer was shared: %d %v", v, shared)
	}
	ctx, cancel := context.WithCancel(context.Background())
	Ask(ctx, &as, "r", func() int { cancel(); return 3 }, func(int) bool { return true })
	if v, shared := Ask(context.Background(), &as, "r", func() int { return 4 }, func(int) bool { return true }); v != 4 || shared {
		t.Fatalf("an answer cut short was shared: %d %v", v, shared)
	}
	as.Put("s", 5)
	if v, shared := Ask(context.Background(), &as, "s", func() int { return 6 }, func(int) bool { return true }); v != 5 || !shared {
		t.Fatalf("Put's answer: %d %v", v, shared)
	}
}

// pending is the answer being asked for key (nil: none), for the test.
func (as *Answers) pending(key string) *answer {
	as.mu.Lock()
	defer as.mu.Unlock()
	return as.m[key]
}
