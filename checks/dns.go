package checks

import (
	"context"
	"errors"
	"fmt"
	"github.com/esmdoctor/esmdoctor/catalog"
	"net"
	"strings"
	"time"

	"github.com/esmdoctor/esmdoctor/probe"
)

var dnsCheck = Check{
	ID:    "dns",
	Title: "can resolve the bootstrap brokers",
	Needs: []string{"mapping", "cluster"},
	Run:   runDNS,
}

func runDNS(ctx context.Context, s *State) Outcome {
	hosts := make([]string, len(s.bootstrap()))
	for i, hp := range s.bootstrap() {
		hosts[i] = hp.Host
	}
	obs := probe.ResolveAll(ctx, s.Cfg.Resolver, hosts, s.Step)
	s.Resolved = make([][]netipAddr, len(obs))
	var detail []string
	var failures []Outcome
	for i, o := range obs {
		code, args := classifyDNS(o, s.Step)
		if code != "" {
			failures = append(failures, fail(code, args))
			detail = append(detail, fmt.Sprintf("%s: %s (%s)", o.Host, shortErr(o.Err, "no addresses"), o.Elapsed))
			continue
		}
		s.Resolved[i] = o.Addrs
		detail = append(detail, dnsLine(o))
	}
	switch {
	case len(failures) == 0:
		return pass(detail...)
	case len(failures) == len(obs):
		return failures[0].withDetail(detail...)
	}
	f := failures[0]
	return warn(catalog.DNS101, Args{"detail": f.Args["host"] + ": " + catalogTitle(f.Code), "count": fmt.Sprint(len(failures)), "total": fmt.Sprint(len(obs))}, detail...)
}

func dnsLine(o probe.DNSObservation) string {
	var ips []string
	for _, a := range o.Addrs {
		ips = append(ips, a.String())
	}
	if o.Literal {
		return fmt.Sprintf("%s: IP address, nothing to resolve", o.Host)
	}
	return fmt.Sprintf("%s -> %s (%s)", o.Host, strings.Join(ips, ", "), o.Elapsed)
}

// classifyDNS maps a lookup outcome to a code; "" means it resolved.
func classifyDNS(o probe.DNSObservation, budget time.Duration) (string, Args) {
	args := Args{"host": o.Host, "budget": budget.String(), "server": "the system resolver"}
	if o.Err == nil {
		if len(o.Addrs) == 0 {
			return catalog.DNS004, args
		}
		return "", nil
	}
	var de *net.DNSError
	if errors.As(o.Err, &de) {
		if de.Server != "" {
			args["server"] = de.Server
		}
		switch {
		case de.IsNotFound:
			return catalog.DNS001, args
		case de.IsTimeout:
			return catalog.DNS003, args
		}
		return catalog.DNS002, args
	}
	if isTimeout(o.Err) {
		return catalog.DNS003, args
	}
	return catalog.DNS002, args
}
