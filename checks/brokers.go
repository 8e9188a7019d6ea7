package checks

import (
	"context"
	"fmt"
	"github.com/esmdoctor/esmdoctor/catalog"
	"net"
	"sort"
	"strconv"

	"github.com/esmdoctor/esmdoctor/probe"
)

var brokersCheck = Check{
	ID:    "brokers",
	Title: "every partition leader is reachable at its advertised address",
	Needs: []string{"topic"},
	Run:   runBrokers,
}

// leaderAddrs returns the advertised address of every partition leader,
// sorted by node id.
func leaderAddrs(m *TopicMeta) []int32 {
	seen := map[int32]bool{}
	var ids []int32
	for _, p := range m.Partitions {
		if p.Leader >= 0 && !seen[p.Leader] {
			seen[p.Leader] = true
			ids = append(ids, p.Leader)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

func runBrokers(ctx context.Context, s *State) Outcome {
	ids := leaderAddrs(s.Meta)
	results := make([]Outcome, len(ids))
	fanOut(len(ids), func(i int) { results[i] = checkAdvertised(ctx, s, ids[i]) })
	var detail []string
	var first *Outcome
	for i, r := range results {
		addr := s.Meta.Brokers[ids[i]]
		if r.Status == "" {
			detail = append(detail, fmt.Sprintf("broker %d at %s: connected and authenticated", ids[i], addr))
			continue
		}
		detail = append(detail, fmt.Sprintf("broker %d at %s: %s", ids[i], addr, catalogTitle(r.Code)))
		if first == nil {
			first = &results[i]
		}
	}
	if first != nil {
		return first.withDetail(detail...)
	}
	return pass(detail...)
}

// checkAdvertised replays dns, tcp, tls and login against one advertised
// broker; a zero Outcome means it passed.
func checkAdvertised(ctx context.Context, s *State, node int32) Outcome {
	addr := s.Meta.Brokers[node]
	host, portStr, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(portStr)
	args := Args{"node": fmt.Sprint(node), "addr": addr, "host": host, "port": portStr, "bootstrap": s.Meta.Via}
	if s.conn(addr) != nil || s.borrow(addr, false) != nil {
		return Outcome{} // this run's connection, or the scan's (Sessions)
	}
	dns := probe.ResolveAll(ctx, s.Cfg.Resolver, []string{host}, s.Step)[0]
	if code, _ := classifyDNS(dns, s.Step); code != "" {
		args["detail"] = "does not resolve: " + catalogTitle(code)
		return fail(catalog.BROKERS001, args)
	}
	var targets []string
	for _, ip := range dns.Addrs {
		targets = append(targets, net.JoinHostPort(ip.String(), portStr))
	}
	for _, t := range probe.DialAll(ctx, targets, s.Step) {
		if t.Err != nil {
			f := classifyDial(t.Err, t.Addr, port, s.auth(), s.Step)
			args["detail"] = fmt.Sprintf("%s from %s", catalogTitle(f.Code), t.Addr)
			return fail(catalog.BROKERS002, args)
		}
	}
	if s.TLS != nil {
		o := probe.HandshakeKeep(ctx, addr, s.TLS, s.Step)
		s.keepVerified(addr, o.Kept) // for the login below
		if f, failed := classifyTLS(o, s); failed {
			args["detail"] = catalogTitle(f.Code) + ": " + f.Args["detail"]
			return fail(catalog.BROKERS003, args)
		}
	}
	if _, err := s.connect(ctx, addr); err != nil {
		return advertisedLoginFailure(err, args)
	}
	return Outcome{}
}

func advertisedLoginFailure(err error, args Args) Outcome {
	if kerr, ok := kafkaError(err); ok {
		args["detail"] = fmt.Sprintf("Kafka error %d %s", int16(kerr), kafkaErrorName(kerr))
		return fail(catalog.BROKERS004, args)
	}
	if isTimeout(err) {
		args["detail"] = "no answer within the step budget"
		return fail(catalog.BROKERS002, args)
	}
	args["detail"] = shortErr(err, "")
	return fail(catalog.BROKERS004, args)
}
