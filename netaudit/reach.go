package netaudit

import (
	"cmp"
	"net/netip"
	"slices"
	"strconv"
)

// verdict is a three-valued answer: a rule allows, denies, or esmdoctor
// cannot tell (an unread prefix list, a CIDR covering part of a subnet).
type verdict int

const (
	denied verdict = iota
	allowed
	undecided
)

// peer is the other end of a flow: security groups, addresses, and the
// prefix lists that name it (a gateway endpoint's service).
type peer struct {
	groups      []string
	nets        []netip.Prefix // every address the peer may use
	prefixLists []string
}

// protoMatches says whether a security group or ACL protocol covers TCP.
func protoMatches(p string) bool { return p == "-1" || p == "tcp" || p == "6" || p == "all" }

func portIn(from, to, port int) bool { return from <= port && port <= to }

// ruleVerdict decides whether one security group rule admits TCP port
// from (ingress) or to (egress) the peer. A prefix list counts by its
// entries; one whose entries were not read makes a denial undecided.
func ruleVerdict(n Network, r Rule, port int, p peer) verdict {
	if !protoMatches(r.Protocol) {
		return denied
	}
	if r.Protocol != "-1" && r.Protocol != "all" && !portIn(r.FromPort, r.ToPort, port) {
		return denied
	}
	for _, g := range r.Groups {
		if contains(p.groups, g) {
			return allowed
		}
	}
	cidrs, unread := slices.Clone(r.CIDRs), false
	for _, pl := range r.PrefixLists {
		if contains(p.prefixLists, pl) {
			return allowed
		}
		entries, ok := n.PrefixLists[pl]
		cidrs, unread = append(cidrs, entries...), unread || !ok
	}
	v := cidrVerdict(cidrs, p.nets)
	if v == denied && unread {
		return undecided
	}
	return v
}

// cidrVerdict: allowed when every peer network lies in some CIDR; undecided
// when some only overlap.
func cidrVerdict(cidrs, nets []netip.Prefix) verdict {
	if len(nets) == 0 || len(cidrs) == 0 {
		return denied
	}
	all, some := true, false
	for _, n := range nets {
		in := false
		for _, c := range cidrs {
			if c.Bits() <= n.Bits() && c.Contains(n.Addr()) {
				in = true
			} else if c.Overlaps(n) {
				some = true
			}
		}
		all = all && in
	}
	switch {
	case all:
		return allowed
	case some:
		return undecided
	}
	return denied
}

// groupsVerdict is the best verdict of any rule of any group.
func groupsVerdict(n Network, groups []string, egress bool, port int, p peer) verdict {
	best := denied
	for _, id := range groups {
		g := n.Groups[id]
		rules := g.Ingress
		if egress {
			rules = g.Egress
		}
		for _, r := range rules {
			if v := ruleVerdict(n, r, port, p); v == allowed {
				return allowed
			} else if v == undecided {
				best = undecided
			}
		}
	}
	return best
}

// aclFor returns the network ACL of a subnet: its explicit association, or
// the VPC's default.
func aclFor(n Network, subnet string) (NetworkACL, bool) {
	vpc := n.Subnets[subnet].VPC
	var def *NetworkACL
	for i, a := range n.ACLs {
		if contains(a.Subnets, subnet) {
			return a, true
		}
		if a.Default && a.VPC == vpc {
			def = &n.ACLs[i]
		}
	}
	if def != nil {
		return *def, true
	}
	return NetworkACL{}, false
}

// aclBlock finds the first TCP port in [lo, hi] that the ACL denies for
// traffic to (egress) or from (ingress) net, applying entries in rule-number
// order; ok is false when every port is allowed. Entries whose CIDR only
// overlaps net make the answer undecided.
func aclBlock(a NetworkACL, egress bool, net netip.Prefix, lo, hi int) (port int, rule string, v verdict) {
	open := [][2]int{{lo, hi}}
	for _, e := range sortedEntries(a.Entries) {
		if e.Egress != egress || !protoMatches(e.Protocol) || len(open) == 0 {
			continue
		}
		if !(e.CIDR.Bits() <= net.Bits() && e.CIDR.Contains(net.Addr())) {
			if e.CIDR.Overlaps(net) {
				return open[0][0], entryName(e), undecided
			}
			continue
		}
		from, to := 0, 65535
		if e.Protocol != "-1" {
			from, to = e.FromPort, e.ToPort
		}
		hit, rest := cut(open, from, to)
		if hit != nil && !e.Allow {
			return hit[0], entryName(e), denied
		}
		open = rest
	}
	if len(open) > 0 {
		return open[0][0], "the final * rule (deny)", denied
	}
	return 0, "", allowed
}

func entryName(e ACLEntry) string {
	if e.Number >= 32767 {
		return "the final * rule (deny)"
	}
	return "rule " + strconv.Itoa(e.Number)
}

// cut removes [from, to] from the open intervals; hit is the first removed
// interval, nil when none.
func cut(open [][2]int, from, to int) (hit []int, rest [][2]int) {
	for _, iv := range open {
		lo, hi := max(iv[0], from), min(iv[1], to)
		if lo > hi {
			rest = append(rest, iv)
			continue
		}
		if hit == nil {
			hit = []int{lo, hi}
		}
		if iv[0] < lo {
			rest = append(rest, [2]int{iv[0], lo - 1})
		}
		if hi < iv[1] {
			rest = append(rest, [2]int{hi + 1, iv[1]})
		}
	}
	return hit, rest
}

func sortedEntries(es []ACLEntry) []ACLEntry {
	out := slices.Clone(es)
	slices.SortStableFunc(out, func(a, b ACLEntry) int { return cmp.Compare(a.Number, b.Number) })
	return out
}

// tableFor returns the route table of a subnet: its explicit association,
// or the VPC's main table.
func tableFor(n Network, subnet string) (RouteTable, bool) {
	vpc := n.Subnets[subnet].VPC
	var main *RouteTable
	for i, t := range n.Tables {
		if contains(t.Subnets, subnet) {
			return t, true
		}
		if t.Main && t.VPC == vpc {
			main = &n.Tables[i]
		}
	}
	if main != nil {
		return *main, true
	}
	return RouteTable{}, false
}

// lookup is the longest-prefix route to addr. A prefix-list route counts
// by the list's entries; lists whose entries were not read are returned
// separately.
func lookup(n Network, t RouteTable, addr netip.Addr) (best Route, found bool, prefixLists []string) {
	bits := -1
	for _, r := range t.Routes {
		dests := []netip.Prefix{r.Dest}
		if r.PrefixList != "" {
			entries, ok := n.PrefixLists[r.PrefixList]
			if !ok {
				prefixLists = append(prefixLists, r.PrefixList)
				continue
			}
			dests = entries
		}
		for _, d := range dests {
			if d.IsValid() && d.Contains(addr) && d.Bits() > bits {
				best, bits, found = r, d.Bits(), true
				best.Dest = d
			}
		}
	}
	return best, found, prefixLists
}

// target names a route's target.
func (r Route) target() string {
	for _, t := range []string{r.Gateway, r.NAT, r.Peering, r.TransitGW, r.Other} {
		if t != "" {
			return t
		}
	}
	return "nothing"
}

// subnetNets returns the IPv4 CIDRs of subnets.
func subnetNets(n Network, ids []string) []netip.Prefix {
	return subnetNetsFor(n, ids, false)
}

// subnetNetsFor returns the subnets' CIDRs of one address family: the
// addresses their interfaces use to reach an IPv4 or an IPv6 peer.
func subnetNetsFor(n Network, ids []string, ipv6 bool) []netip.Prefix {
	var out []netip.Prefix
	for _, id := range ids {
		s := n.Subnets[id]
		if ipv6 {
			out = append(out, s.IPv6...)
		} else if s.CIDR.IsValid() {
			out = append(out, s.CIDR)
		}
	}
	return out
}
