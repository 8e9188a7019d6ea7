package checks

import "sync"

// fanOut runs fn(0..n-1) at once and waits; callers store results by index
// so the report's order never depends on timing.
func fanOut(n int, fn func(i int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(i)
		}()
	}
	wg.Wait()
}
