package probe

import (
	"context"
	"sync"
	"time"
)

// TCPObservation is the outcome of one TCP connection attempt.
type TCPObservation struct {
	Addr    string // ip:port dialled
	Err     error
	Elapsed time.Duration
}

// DialAll opens (and closes) a TCP connection to every address at once,
// each bounded by budget, results in input order.
func DialAll(ctx context.Context, addrs []string, budget time.Duration) []TCPObservation {
	out := make([]TCPObservation, len(addrs))
	var wg sync.WaitGroup
	for i, a := range addrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = dial(ctx, a, budget)
		}()
	}
	wg.Wait()
	return out
}

func dial(ctx context.Context, addr string, budget time.Duration) TCPObservation {
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	start := time.Now()
	d := dialer(ctx)
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err == nil {
		conn.Close()
	}
	return TCPObservation{Addr: addr, Err: err, Elapsed: since(start)}
}
