package netaudit

import (
	"net/netip"
	"testing"
)

// selfManaged6 is a self-managed broker at an IPv6 address in subnet-b,
// its group admitting 9094 from the given CIDRs; the poller subnets are
// dual-stack unless told otherwise.
func selfManaged(n *Network, addr string, cidrs ...string) {
	ip := netip.MustParseAddr(addr)
	var rule Rule
	rule.Protocol, rule.FromPort, rule.ToPort = "tcp", 9094, 9094
	for _, c := range cidrs {
		rule.CIDRs = append(rule.CIDRs, pfx(c))
	}
	n.Groups["sg-broker"] = SecurityGroup{ID: "sg-broker", VPC: "vpc-1", Ingress: []Rule{rule}}
	n.Brokers = []Broker{{Addr: netip.AddrPortFrom(ip, 9094).String(), Port: 9094, IP: ip, Located: true, ENI: "eni-b",
		Placement: Placement{Subnets: []string{"subnet-b"}, SecurityGroups: []string{"sg-broker"}}}}
}

// dualStack gives the VPC's subnets IPv6 blocks, a local IPv6 route and
// IPv6 entries in the default network ACL.
func dualStack(n *Network) {
	for id, six := range map[string]string{"subnet-a": "2600:1f18:0:1::/64", "subnet-b": "2600:1f18:0:2::/64"} {
		s := n.Subnets[id]
		s.IPv6 = []netip.Prefix{pfx(six)}
		n.Subnets[id] = s
	}
	n.Tables[0].Routes = append(n.Tables[0].Routes, Route{Dest: pfx("2600:1f18::/56"), Gateway: "local", State: "active"})
	n.ACLs[0].Entries = append(n.ACLs[0].Entries, ACLEntry{Number: 101, Protocol: "-1", CIDR: pfx("::/0"), Allow: true},
		ACLEntry{Number: 101, Egress: true, Protocol: "-1", CIDR: pfx("::/0"), Allow: true})
	g := n.Groups["sg-msk"]
	g.Egress = append(g.Egress, Rule{Protocol: "-1", CIDRs: []netip.Prefix{pfx("::/0")}})
	n.Groups["sg-msk"] = g
}

// TestPrefixListsAndIPv6 pins the rules by prefix-list entries, IPv6
// rules against IPv4 and IPv6 brokers, S3 gateway endpoints, and the
// destination's service.
func TestPrefixListsAndIPv6(t *testing.T) {
	cases := []struct {
		name          string
		mod           func(n *Network)
		code, problem string
		cause, fix    string
	}{
		{name: "prefix-list rule covering the poller subnets passes", mod: func(n *Network) {
			n.PrefixLists = map[string][]netip.Prefix{"pl-corp": {pfx("10.0.0.0/20")}}
			n.Groups["sg-msk"] = SecurityGroup{ID: "sg-msk", Ingress: []Rule{{Protocol: "tcp", FromPort: 9098, ToPort: 9098, PrefixLists: []string{"pl-corp"}}}, Egress: n.Groups["sg-msk"].Egress}
		}},
		{name: "prefix-list rule missing the poller subnets fails", mod: func(n *Network) {
			n.PrefixLists = map[string][]netip.Prefix{"pl-corp": {pfx("192.168.0.0/16")}}
			n.Groups["sg-msk"] = SecurityGroup{ID: "sg-msk", Ingress: []Rule{{Protocol: "tcp", FromPort: 9098, ToPort: 9098, PrefixLists: []string{"pl-corp"}}}, Egress: n.Groups["sg-msk"].Egress}
		}, code: "ESM-NET-001", problem: "P1", cause: "admit no TCP 9098"},
		{name: "route through a prefix list whose entries cover the broker", mod: func(n *Network) {
			selfManaged(n, "172.16.5.10", "10.0.0.0/16")
			n.PrefixLists = map[string][]netip.Prefix{"pl-dc": {pfx("172.16.0.0/12")}}
			n.Tables[0].Routes = append(n.Tables[0].Routes, Route{PrefixList: "pl-dc", TransitGW: "tgw-1", State: "active"})
		}, code: "ESM-NET-101", cause: "through tgw-1"},
		{name: "route through a prefix list whose entries miss the broker", mod: func(n *Network) {
			selfManaged(n, "172.16.5.10", "10.0.0.0/16")
			n.PrefixLists = map[string][]netip.Prefix{"pl-dc": {pfx("192.168.0.0/16")}}
			n.Tables[0].Routes = append(n.Tables[0].Routes, Route{PrefixList: "pl-dc", TransitGW: "tgw-1", State: "active"})
		}, code: "ESM-NET-004", problem: "P1", cause: "no route covers it"},
		{name: "IPv4 broker, group admitting only ::/0", mod: func(n *Network) {
			dualStack(n)
			selfManaged(n, "10.0.2.50", "::/0")
		}, code: "ESM-NET-001", problem: "P1", cause: "admit no TCP 9094"},
		{name: "IPv6 broker, group admitting only 0.0.0.0/0", mod: func(n *Network) {
			dualStack(n)
			selfManaged(n, "2600:1f18:0:2::50", "0.0.0.0/0")
		}, code: "ESM-NET-001", problem: "P1", cause: "admit no TCP 9094"},
		{name: "IPv6 broker admitted over IPv6", mod: func(n *Network) {
			dualStack(n)
			selfManaged(n, "2600:1f18:0:2::50", "2600:1f18::/56")
		}},
		{name: "IPv6 broker, network ACL with IPv4 entries only", mod: func(n *Network) {
			dualStack(n)
			n.ACLs[0].Entries = n.ACLs[0].Entries[:4]
			selfManaged(n, "2600:1f18:0:2::50", "::/0")
		}, code: "ESM-NET-003", problem: "P1", cause: "the final * rule"},
		{name: "IPv6 broker, IPv4-only poller subnets", mod: func(n *Network) { selfManaged(n, "2600:1f18:0:2::50", "::/0") },
			code: "ESM-NET-018", problem: "P1", cause: "have no IPv6 CIDR block", fix: "associate-subnet-cidr-block"},
		{name: "::/0 to an egress-only gateway is no way to AWS for IPv4", mod: func(n *Network) {
			n.Endpoints = nil
			n.Tables[0].Routes = append(n.Tables[0].Routes, Route{Dest: pfx("::/0"), Other: "eigw-1", State: "active"})
		}, code: "ESM-NET-005", problem: "P2", cause: "no 0.0.0.0/0 route"},
		{name: "S3 destination through a gateway endpoint of the subnets' table", mod: func(n *Network) {
			s3Gateway(n, "rtb-main")
		}},
		{name: "S3 gateway endpoint on another route table", mod: func(n *Network) { s3Gateway(n, "rtb-pub") },
			code: "ESM-NET-019", problem: "P2", cause: "is not associated with its route table rtb-main", fix: "--add-route-table-ids rtb-main"},
		{name: "S3 gateway endpoint, pollers' egress only to the VPC", mod: func(n *Network) {
			s3Gateway(n, "rtb-main")
			g := n.Groups["sg-msk"]
			g.Egress = []Rule{{Protocol: "-1", CIDRs: []netip.Prefix{pfx("10.0.0.0/16")}}}
			n.Groups["sg-msk"] = g
		}, code: "ESM-NET-010", problem: "P2", cause: "vpce-s3", fix: "PrefixListIds=[{PrefixListId=pl-s3}]"},
		{name: "S3 gateway endpoint, egress allowed to its prefix list", mod: func(n *Network) {
			s3Gateway(n, "rtb-main")
			g := n.Groups["sg-msk"]
			g.Egress = []Rule{{Protocol: "-1", CIDRs: []netip.Prefix{pfx("10.0.0.0/16")}}, {Protocol: "tcp", FromPort: 443, ToPort: 443, PrefixLists: []string{"pl-s3"}}}
			n.Groups["sg-msk"] = g
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := healthy()
			c.mod(&n)
			assertFirst(t, Worst(Analyze(n)), c.code, c.problem, c.cause, c.fix)
		})
	}
}

// s3Gateway makes S3 the destination's service, served by a gateway
// endpoint on the given route table (its route to the S3 prefix list).
func s3Gateway(n *Network, table string) {
	n.Services, n.Destination = append(n.Services, "s3"), "s3"
	n.PrefixLists = map[string][]netip.Prefix{"pl-s3": {pfx("52.216.0.0/15"), pfx("3.5.0.0/19")}}
	n.Endpoints = append(n.Endpoints, Endpoint{ID: "vpce-s3", VPC: "vpc-1", Service: "com.amazonaws.us-east-1.s3", Type: "Gateway", State: "available", RouteTables: []string{table}})
	for i := range n.Tables {
		if n.Tables[i].ID == table {
			n.Tables[i].Routes = append(n.Tables[i].Routes, Route{PrefixList: "pl-s3", Gateway: "vpce-s3", State: "active"})
		}
	}
}
