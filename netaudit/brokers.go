package netaudit

import (
	"fmt"
	"github.com/esmdoctor/esmdoctor/catalog"
	"net/netip"
	"strconv"
)

// Ephemeral ports a broker's answers return to (the reference's 1024-65535).
const ephemeralLo, ephemeralHi = 1024, 65535

// checkBrokers applies the rules to the brokers (predicting P1): security
// group ingress and egress, network ACLs both ways, and routes.
func checkBrokers(n Network) []Finding {
	var out []Finding
	for _, b := range n.Brokers {
		fs := checkBroker(n, b)
		if len(fs) == 0 {
			fs = []Finding{passing("brokers", fmt.Sprintf("%s: admitted on TCP %d from the pollers' security groups, network ACLs and routes allow it both ways", b.Addr, b.Port), b.ENI)}
		}
		out = append(out, fs...)
	}
	return out
}

func checkBroker(n Network, b Broker) []Finding {
	dst := brokerNets(n, b)
	if f, ok := ipv6Gap(n, b); ok {
		return []Finding{f}
	}
	var out []Finding
	if !b.Located {
		out = append(out, warning("brokers.located", catalog.NET103, map[string]string{"broker": b.Addr, "reason": b.Reason}))
	} else {
		out = append(out, sgFindings(n, b, dst)...)
	}
	out = append(out, aclFindings(n, b, dst)...)
	return append(out, routeFindings(n, b, dst)...)
}

// isIPv6 says whether the pollers reach the broker over IPv6.
func isIPv6(b Broker) bool { return b.IP.IsValid() && b.IP.Is6() && !b.IP.Is4In6() }

// pollerNets are the poller subnets' addresses in the broker's family.
func pollerNets(n Network, b Broker) []netip.Prefix {
	return subnetNetsFor(n, n.Pollers.Subnets, isIPv6(b))
}

// ipv6Gap is the failure of an IPv6 broker address when no poller subnet
// has an IPv6 CIDR: the pollers' interfaces get no IPv6 address, so no
// IPv6 rule, ACL entry or route can carry the connection.
func ipv6Gap(n Network, b Broker) (Finding, bool) {
	if !isIPv6(b) || len(pollerNets(n, b)) > 0 {
		return Finding{}, false
	}
	s := first(n.Pollers.Subnets)
	args := map[string]string{"broker": b.Addr, "poller_subnets": join(n.Pollers.Subnets),
		"cli_fix": fmt.Sprintf("aws ec2 associate-subnet-cidr-block --subnet-id %s --ipv6-cidr-block <a /64 of the VPC's IPv6 block> (after aws ec2 associate-vpc-cidr-block --amazon-provided-ipv6-cidr-block), or advertise an IPv4 listener", s)}
	return failing("brokers.ipv6", catalog.NET018, "P1", args, n.Pollers.Subnets...), true
}

// brokerNets are the addresses a broker may have: its IP, else its subnets.
func brokerNets(n Network, b Broker) []netip.Prefix {
	if b.IP.IsValid() {
		return []netip.Prefix{netip.PrefixFrom(b.IP, b.IP.BitLen())}
	}
	return subnetNets(n, b.Placement.Subnets)
}

func sgFindings(n Network, b Broker, dst []netip.Prefix) []Finding {
	var out []Finding
	p, port := n.Pollers, b.Port
	args := map[string]string{"broker": b.Addr, "port": strconv.Itoa(port), "broker_groups": join(b.Placement.SecurityGroups),
		"poller_groups": join(p.SecurityGroups), "poller_subnets": join(p.Subnets)}
	in := groupsVerdict(n, b.Placement.SecurityGroups, false, port, peer{groups: p.SecurityGroups, nets: pollerNets(n, b)})
	switch in {
	case denied:
		args["cli_fix"] = fmt.Sprintf("aws ec2 authorize-security-group-ingress --group-id %s --protocol tcp --port %d --source-group %s",
			first(b.Placement.SecurityGroups), port, first(p.SecurityGroups))
		out = append(out, failing("brokers.ingress", catalog.NET001, "P1", args, append(b.Placement.SecurityGroups, p.SecurityGroups...)...))
	case undecided:
		out = append(out, undecidable("brokers.ingress", fmt.Sprintf("inbound TCP %d on %s is allowed only through a prefix list esmdoctor could not read or a CIDR covering part of the poller subnets %s: check that it covers them",
			port, join(b.Placement.SecurityGroups), join(p.Subnets)), b.Placement.SecurityGroups...))
	}
	eg := groupsVerdict(n, p.SecurityGroups, true, port, peer{groups: b.Placement.SecurityGroups, nets: dst})
	switch eg {
	case denied:
		a := copyArgs(args)
		a["cli_fix"] = fmt.Sprintf("aws ec2 authorize-security-group-egress --group-id %s --ip-permissions 'IpProtocol=tcp,FromPort=%d,ToPort=%d,UserIdGroupPairs=[{GroupId=%s}]'",
			first(p.SecurityGroups), port, port, first(b.Placement.SecurityGroups))
		out = append(out, failing("brokers.egress", catalog.NET002, "P1", a, p.SecurityGroups...))
	case undecided:
		out = append(out, undecidable("brokers.egress", fmt.Sprintf("outbound TCP %d from %s to the brokers is allowed only through a prefix list esmdoctor could not read or a partial CIDR: check it", port, join(p.SecurityGroups)), p.SecurityGroups...))
	}
	return out
}

// aclFindings checks, for every poller subnet and broker network, the four
// stateless ACL directions: request out and in, answer out and back.
func aclFindings(n Network, b Broker, dst []netip.Prefix) []Finding {
	var out []Finding
	for _, s := range n.Pollers.Subnets {
		for _, src := range subnetNetsFor(n, []string{s}, isIPv6(b)) {
			out = append(out, aclSubnet(n, b, s, src, dst)...)
		}
	}
	return out
}

// aclSubnet checks one poller subnet's network (one CIDR) against every
// broker network.
func aclSubnet(n Network, b Broker, s string, src netip.Prefix, dst []netip.Prefix) []Finding {
	var out []Finding
	for i, d := range dst {
		brokerSubnet := ""
		if !b.IP.IsValid() && i < len(b.Placement.Subnets) {
			brokerSubnet = b.Placement.Subnets[i]
		} else if b.Located && len(b.Placement.Subnets) > 0 {
			brokerSubnet = b.Placement.Subnets[0]
		}
		if brokerSubnet == s {
			continue // traffic inside one subnet crosses no network ACL
		}
		out = append(out, aclPair(n, b, s, src, brokerSubnet, d)...)
	}
	return out
}

// aclPair checks one poller subnet against one broker network.
func aclPair(n Network, b Broker, from string, src netip.Prefix, to string, dst netip.Prefix) []Finding {
	type leg struct {
		subnet         string
		egress         bool
		peer           netip.Prefix
		lo, hi         int
		what, peerName string
	}
	legs := []leg{
		{from, true, dst, b.Port, b.Port, "outbound requests", b.Addr},
		{from, false, dst, ephemeralLo, ephemeralHi, "inbound answers (ephemeral ports)", b.Addr},
	}
	if to != "" {
		legs = append(legs, leg{to, false, src, b.Port, b.Port, "inbound requests", from}, leg{to, true, src, ephemeralLo, ephemeralHi, "outbound answers (ephemeral ports)", from})
	}
	var out []Finding
	for _, l := range legs {
		acl, ok := aclFor(n, l.subnet)
		if !ok {
			continue
		}
		port, rule, v := aclBlock(acl, l.egress, l.peer, l.lo, l.hi)
		if v == allowed {
			continue
		}
		args := map[string]string{"acl": acl.ID, "subnet": l.subnet, "direction": l.what, "peer": l.peerName + " (" + l.peer.String() + ")",
			"ports": portRange(l.lo, l.hi), "port": strconv.Itoa(port), "acl_rule": rule, "cli_fix": aclFix(acl, l.egress, l.peer, l.lo, l.hi)}
		if v == undecided {
			out = append(out, undecidable("brokers.acl", fmt.Sprintf("network ACL %s of %s: %s matches %s only in part: check %s for %s", acl.ID, l.subnet, rule, l.peer, l.what, l.peerName), acl.ID))
			continue
		}
		out = append(out, failing("brokers.acl", catalog.NET003, "P1", args, acl.ID, l.subnet))
	}
	return out
}

func portRange(lo, hi int) string {
	if lo == hi {
		return strconv.Itoa(lo)
	}
	return fmt.Sprintf("%d-%d", lo, hi)
}

// aclFix is the entry that allows the traffic, numbered before the others.
func aclFix(a NetworkACL, egress bool, peer netip.Prefix, lo, hi int) string {
	dir := "--ingress"
	if egress {
		dir = "--egress"
	}
	return fmt.Sprintf("aws ec2 create-network-acl-entry --network-acl-id %s %s --rule-number %d --protocol tcp --port-range From=%d,To=%d --cidr-block %s --rule-action allow",
		a.ID, dir, freeRuleNumber(a, egress), lo, hi, peer)
}

// freeRuleNumber is an unused rule number below every existing entry of
// that direction, so the new entry is evaluated first.
func freeRuleNumber(a NetworkACL, egress bool) int {
	low := 32767
	used := map[int]bool{}
	for _, e := range a.Entries {
		if e.Egress == egress {
			used[e.Number] = true
			low = min(low, e.Number)
		}
	}
	for n := low - 1; n >= 1; n-- {
		if !used[n] {
			return n
		}
	}
	return 1
}

func first(l []string) string {
	if len(l) == 0 {
		return "<security-group-id>"
	}
	return l[0]
}

func copyArgs(m map[string]string) map[string]string {
	out := make(map[string]string, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

// undecidable is a rule esmdoctor cannot decide: a warning that says what
// to check by hand, never a pass.
func undecidable(rule, what string, resources ...string) Finding {
	return warning(rule, catalog.NET101, map[string]string{"what": what}, resources...)
}
