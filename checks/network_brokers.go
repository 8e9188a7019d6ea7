package checks

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/netaudit"
)

// maxResolvedBrokers bounds the broker names resolved for the ENI lookup
// (an MSK cluster has at most a few dozen brokers).
const maxResolvedBrokers = 64

// brokerAddrs lists the brokers, each resolved from here when it is a
// name, so that EC2 can find the interface that owns its address: for MSK
// the broker ENIs, whose own subnet and security groups are audited; for
// self-managed Kafka the interface of a broker inside this account's VPCs.
// A planned cluster has no brokers yet: one entry stands for all of them,
// in the cluster's subnets and security groups.
func brokerAddrs(ctx context.Context, s *State, pollers netaudit.Placement, nodes []awsprobe.BrokerNode) ([]netaudit.Broker, []netip.Addr) {
	if p := s.Cfg.AWS.PlannedCluster; p != nil && s.eventSourceARN() == "" {
		return []netaudit.Broker{{Addr: fmt.Sprintf("the brokers of %s (port %d)", p.Address, p.Port), Port: p.Port, Located: true, Placement: pollers}}, nil
	}
	bs := s.bootstrap()
	if len(nodes) > 0 && len(bs) > 0 {
		return nodeBrokers(nodes, bs[0].Port)
	}
	if len(bs) > maxResolvedBrokers {
		bs = bs[:maxResolvedBrokers]
	}
	out := make([]netaudit.Broker, len(bs))
	var wg sync.WaitGroup
	ctx, cancel := context.WithTimeout(ctx, s.Step)
	defer cancel()
	for i, hp := range bs {
		out[i] = netaudit.Broker{Addr: hp.String(), Port: hp.Port}
		if ip, err := netip.ParseAddr(hp.Host); err == nil {
			out[i].IP = ip.Unmap()
			continue
		}
		wg.Add(1)
		go func(b *netaudit.Broker, host string) {
			defer wg.Done()
			if ip, ok := resolveOne(ctx, s, host); ok {
				b.IP = ip
			} else {
				b.Reason = "its name does not resolve from where esmdoctor runs, so its network interface cannot be looked up"
			}
		}(&out[i], hp.Host)
	}
	wg.Wait()
	var ips []netip.Addr
	for _, b := range out {
		// A loopback or unspecified address is no interface's.
		if b.IP.IsValid() && !b.IP.IsLoopback() && !b.IP.IsUnspecified() {
			ips = append(ips, b.IP)
		}
	}
	return out, ips
}

// brokerNodes lists an MSK cluster's brokers with kafka:ListNodes, whose
// private addresses need no name resolution; note says why they were not
// listed when the call failed (the broker names are resolved instead).
func brokerNodes(ctx context.Context, s *State, sess *awsprobe.Session) ([]awsprobe.BrokerNode, string) {
	arn := s.eventSourceARN()
	// A cross-account mapping's cluster (behind a VPC connection) lives in
	// another account: its nodes are not this account's to list.
	if s.AWS.clusterNet == nil || arn == "" || awsprobe.IsVpcConnectionARN(arn) {
		return nil, ""
	}
	nodes, err := sess.BrokerNodes(ctx, arn, s.region(), s.Step)
	if err != nil {
		why := shortErr(err, "")
		if code, _, ok := awsprobe.ErrorCode(err); ok {
			why = code
		}
		return nil, "kafka:ListNodes failed (" + why + "): the broker names were resolved from here instead"
	}
	return nodes, ""
}

// nodeBrokers are the brokers ListNodes gave, on the mapping's port.
func nodeBrokers(nodes []awsprobe.BrokerNode, port int) ([]netaudit.Broker, []netip.Addr) {
	var out []netaudit.Broker
	var ips []netip.Addr
	for _, n := range nodes {
		name := fmt.Sprintf("broker %d", n.ID)
		if len(n.Endpoints) > 0 {
			name = n.Endpoints[0]
		}
		b := netaudit.Broker{Addr: net.JoinHostPort(name, fmt.Sprint(port)), Port: port, IP: n.IP}
		if n.IP.IsValid() {
			ips = append(ips, n.IP)
		} else {
			b.Reason = "ListNodes gave no client address for it"
		}
		out = append(out, b)
	}
	return out, ips
}

// resolveOne resolves a broker name within the caller's deadline.
func resolveOne(ctx context.Context, s *State, host string) (netip.Addr, bool) {
	r := s.Cfg.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	addrs, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil || len(addrs) == 0 {
		return netip.Addr{}, false
	}
	// The pollers' Java client prefers an IPv4 address; an IPv6-only name
	// is reached over IPv6.
	for _, a := range addrs {
		if a.Unmap().Is4() {
			return a.Unmap(), true
		}
	}
	return addrs[0], true
}

// locate attaches each broker to the interface owning its address.
func locate(bs []netaudit.Broker, enis map[netip.Addr]awsprobe.ENI, region, v6Err string) []netaudit.Broker {
	for i, b := range bs {
		if b.Located || !b.IP.IsValid() {
			continue
		}
		if e, ok := enis[b.IP]; ok {
			bs[i].Located, bs[i].ENI = true, e.ID
			bs[i].Placement = netaudit.Placement{Subnets: []string{e.Subnet}, SecurityGroups: e.Groups}
			continue
		}
		if b.IP.Is6() && v6Err != "" {
			bs[i].Reason = fmt.Sprintf("its IPv6 address %s was not looked up (%s): not auditable", b.IP, v6Err)
			continue
		}
		bs[i].Reason = fmt.Sprintf("no network interface of this account's VPCs in %s has %s: outside this account's VPCs (on premises, another account, the internet), not auditable", region, b.IP)
	}
	return bs
}

// mskBrokers keeps each MSK broker whose ENI was found (audited with its
// own subnet and security groups) and folds the others into one entry
// audited with the cluster's subnets and security groups, as DescribeClusterV2
// gives them; note says which is which.
func mskBrokers(bs []netaudit.Broker, cluster netaudit.Placement) ([]netaudit.Broker, string) {
	var out []netaudit.Broker
	var found, rest []string
	port := 0
	for _, b := range bs {
		if b.Located && b.ENI != "" {
			out = append(out, b)
			found = append(found, fmt.Sprintf("%s: %s in %s (%s)", b.Addr, b.ENI, strings.Join(b.Placement.Subnets, ", "), strings.Join(b.Placement.SecurityGroups, ", ")))
			continue
		}
		rest, port = append(rest, b.Addr), b.Port
	}
	var notes []string
	if len(found) > 0 {
		notes = append(notes, "broker network interfaces: "+strings.Join(found, "; "))
	}
	if len(rest) > 0 {
		addr := rest[0]
		if len(rest) > 1 {
			addr = fmt.Sprintf("%s (and %d more brokers)", addr, len(rest)-1)
		}
		out = append(out, netaudit.Broker{Addr: addr, Port: port, Located: true, Placement: cluster})
		if len(found) > 0 {
			notes = append(notes, fmt.Sprintf("no interface found for %s (not resolvable here, or not in this account's VPCs): audited with the cluster's subnets and security groups", strings.Join(rest, ", ")))
		}
	}
	return out, strings.Join(notes, "; ")
}
