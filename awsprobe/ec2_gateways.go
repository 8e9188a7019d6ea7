package awsprobe

import (
	"context"
	"net/netip"

	"github.com/esmdoctor/esmdoctor/netaudit"
)

func (r *reader) tables(ctx context.Context, vpcs []string) bool {
	var page tablesAnswer
	return r.paged(ctx, "DescribeRouteTables", filters(nil, filter("vpc-id", vpcs...)), min(r.size, 100), func() (any, func() string) {
		page = tablesAnswer{}
		return &page, func() string {
			for _, t := range page.Items {
				rt := netaudit.RouteTable{ID: t.ID, VPC: t.VPC}
				for _, a := range t.Associations {
					rt.Main = rt.Main || a.Main
					if a.Subnet != "" {
						rt.Subnets = append(rt.Subnets, a.Subnet)
					}
				}
				for _, x := range t.Routes {
					rt.Routes = append(rt.Routes, netaudit.Route{Dest: prefix(firstOf(x.Dest, x.DestIPv6)), PrefixList: x.PrefixList, Gateway: x.Gateway, NAT: x.NAT,
						Peering: x.Peering, TransitGW: x.TransitGW, Other: firstOf(x.Instance, x.ENI, x.EgressOnly), State: x.State})
				}
				r.out.Net.Tables = append(r.out.Net.Tables, rt)
			}
			return page.Next
		}
	})
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

func (r *reader) nats(ctx context.Context, vpcs []string) bool {
	var page natsAnswer
	return r.paged(ctx, "DescribeNatGateways", filters(nil, filter("vpc-id", vpcs...)), r.size, func() (any, func() string) {
		page = natsAnswer{}
		return &page, func() string {
			for _, g := range page.Items {
				// A NAT gateway without a connectivity type predates
				// private NAT gateways: it is public.
				r.out.Net.NATs[g.ID] = netaudit.NATGateway{ID: g.ID, Subnet: g.Subnet, State: g.State, Public: g.Connectivity != "private"}
			}
			return page.Next
		}
	})
}

func (r *reader) igws(ctx context.Context, vpcs []string) bool {
	var page igwsAnswer
	return r.paged(ctx, "DescribeInternetGateways", filters(nil, filter("attachment.vpc-id", vpcs...)), r.size, func() (any, func() string) {
		page = igwsAnswer{}
		return &page, func() string {
			for _, g := range page.Items {
				r.out.Net.IGWs[g.ID] = netaudit.InternetGateway{ID: g.ID, VPCs: g.VPCs}
			}
			return page.Next
		}
	})
}

// brokerENIs finds the interfaces that own the broker addresses (IPv4
// and IPv6 addresses need filters of their own). A broker in another VPC
// of the account brings its subnet, security groups and network ACLs into
// the snapshot too.
func (r *reader) brokerENIs(ctx context.Context) {
	var v4, v6 []string
	for _, ip := range r.q.BrokerIPs {
		if ip.Is6() && !ip.Is4In6() {
			v6 = append(v6, ip.String())
		} else {
			v4 = append(v4, ip.Unmap().String())
		}
	}
	if len(v4) > 0 && !r.enis(ctx, filter("addresses.private-ip-address", v4...)) {
		return
	}
	if len(v6) > 0 && !r.enis(ctx, filter("ipv6-addresses.ipv6-address", v6...)) {
		// The IPv6 brokers stay unlocated (a warning that says why); the
		// rest of the audit stands.
		code, _, _ := ErrorCode(r.out.Err)
		r.out.ENIError = "DescribeNetworkInterfaces by IPv6 address returned " + code
		r.out.Operation, r.out.Err = "", nil
	}
	r.foreignPlacement(ctx)
}

// enis reads the interfaces a filter selects into the broker map.
func (r *reader) enis(ctx context.Context, f filterSpec) bool {
	var page enisAnswer
	return r.paged(ctx, "DescribeNetworkInterfaces", filters(nil, f), r.size, func() (any, func() string) {
		page = enisAnswer{}
		return &page, func() string {
			for _, e := range page.Items {
				eni := ENI{ID: e.ID, Subnet: e.Subnet, VPC: e.VPC, Groups: e.Groups}
				for _, a := range append(e.IPs, e.IPv6...) {
					if ip, err := netip.ParseAddr(a); err == nil {
						r.out.ENIs[ip] = eni
					}
				}
			}
			return page.Next
		}
	})
}

// foreignPlacement reads the subnets, security groups and ACLs of broker
// interfaces outside the pollers' VPCs.
func (r *reader) foreignPlacement(ctx context.Context) {
	var subnets, groups, vpcs []string
	for _, e := range r.out.ENIs {
		if _, ok := r.out.Net.Subnets[e.Subnet]; !ok && !contains(subnets, e.Subnet) {
			subnets, vpcs = append(subnets, e.Subnet), append(vpcs, e.VPC)
		}
		for _, g := range e.Groups {
			if _, ok := r.out.Net.Groups[g]; !ok && !contains(groups, g) {
				groups = append(groups, g)
			}
		}
	}
	if len(subnets) > 0 && (!r.subnets(ctx, filter("subnet-id", subnets...)) || !r.acls(ctx, vpcs)) {
		return
	}
	if len(groups) > 0 {
		r.groupsBy(ctx, filter("group-id", groups...))
	}
}
