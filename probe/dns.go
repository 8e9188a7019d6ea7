package probe

import (
	"context"
	"net"
	"net/netip"
	"sync"
	"time"
)

// Resolver is the part of *net.Resolver the DNS probe needs.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// DNSObservation is the outcome of resolving one host.
type DNSObservation struct {
	Host    string
	Addrs   []netip.Addr
	Literal bool // the host was an IP address: nothing to resolve
	Err     error
	Elapsed time.Duration
}

// ResolveAll resolves every host at once and returns the observations in
// input order, each bounded by budget.
func ResolveAll(ctx context.Context, r Resolver, hosts []string, budget time.Duration) []DNSObservation {
	if r == nil {
		r = net.DefaultResolver
	}
	out := make([]DNSObservation, len(hosts))
	var wg sync.WaitGroup
	for i, h := range hosts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = resolve(ctx, r, h, budget)
		}()
	}
	wg.Wait()
	return out
}

func resolve(ctx context.Context, r Resolver, host string, budget time.Duration) DNSObservation {
	if ip, err := netip.ParseAddr(host); err == nil {
		return DNSObservation{Host: host, Addrs: []netip.Addr{ip.Unmap()}, Literal: true}
	}
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	start := time.Now()
	addrs, err := awaitValue(ctx, func() ([]netip.Addr, error) { return r.LookupNetIP(ctx, "ip", host) }, nil)
	for i := range addrs {
		addrs[i] = addrs[i].Unmap()
	}
	return DNSObservation{Host: host, Addrs: addrs, Err: err, Elapsed: since(start)}
}
