package awsprobe

import (
	"context"
	"net/url"
	"strconv"

	"github.com/esmdoctor/esmdoctor/netaudit"
)

// paged runs a describe call page by page (NextToken), at most maxPages;
// decode returns the page's next token.
func (r *reader) paged(ctx context.Context, action string, params url.Values, size int32, decode func() (any, func() string)) bool {
	token := ""
	for n := 1; ; n++ {
		p := url.Values{}
		for k, v := range params {
			p[k] = v
		}
		p.Set("MaxResults", strconv.Itoa(int(size)))
		if token != "" {
			p.Set("NextToken", token)
		}
		out, next := decode()
		err := r.c.call(ctx, action, p, out)
		r.out.Calls++
		r.out.Pages++
		if err != nil {
			return r.fail(action, err)
		}
		if token = next(); token == "" {
			return true
		}
		if n >= maxPages {
			r.out.Truncated = true
			return true
		}
	}
}

func (r *reader) subnets(ctx context.Context, f filterSpec) bool {
	var page subnetsAnswer
	return r.paged(ctx, "DescribeSubnets", filters(nil, f), r.size, func() (any, func() string) {
		page = subnetsAnswer{}
		return &page, func() string {
			for _, s := range page.Items {
				r.out.Net.Subnets[s.ID] = netaudit.Subnet{ID: s.ID, VPC: s.VPC, AZ: s.AZ, CIDR: prefix(s.CIDR), IPv6: prefixes(s.IPv6), FreeIPs: s.Free}
			}
			return page.Next
		}
	})
}

// vpcs reads each VPC's CIDRs and its two DNS attributes.
func (r *reader) vpcs(ctx context.Context, ids []string) bool {
	p := url.Values{}
	for i, id := range ids {
		p.Set("VpcId."+strconv.Itoa(i+1), id)
	}
	var out vpcsAnswer
	r.out.Calls++
	if err := r.c.call(ctx, "DescribeVpcs", p, &out); err != nil {
		return r.fail("DescribeVpcs", err)
	}
	for _, v := range out.Items {
		vpc := netaudit.VPC{ID: v.ID}
		for _, c := range v.CIDRs {
			vpc.CIDRs = append(vpc.CIDRs, prefix(c))
		}
		for _, attr := range []string{"enableDnsSupport", "enableDnsHostnames"} {
			var a vpcAttributeAnswer
			r.out.Calls++
			if err := r.c.call(ctx, "DescribeVpcAttribute", url.Values{"VpcId": {v.ID}, "Attribute": {attr}}, &a); err != nil {
				return r.fail("DescribeVpcAttribute", err)
			}
			if a.DNSSupport != nil {
				vpc.DNSSupport = *a.DNSSupport
			}
			if a.DNSHostnames != nil {
				vpc.DNSHostnames = *a.DNSHostnames
			}
		}
		r.out.Net.VPCs[vpc.ID] = vpc
	}
	return true
}

func (r *reader) endpoints(ctx context.Context, vpcs []string) bool {
	var page endpointsAnswer
	return r.paged(ctx, "DescribeVpcEndpoints", filters(nil, filter("vpc-id", vpcs...)), r.size, func() (any, func() string) {
		page = endpointsAnswer{}
		return &page, func() string {
			for _, e := range page.Items {
				r.out.Net.Endpoints = append(r.out.Net.Endpoints, netaudit.Endpoint{ID: e.ID, VPC: e.VPC, Service: e.Service, Type: e.Type,
					State: e.State, PrivateDNS: e.PrivateDNS, Subnets: e.Subnets, SecurityGroups: e.Groups, RouteTables: e.Tables, Policy: e.Policy})
			}
			return page.Next
		}
	})
}

// groups reads every security group of the VPCs: the pollers', the
// brokers' and the endpoints' all live there.
func (r *reader) groups(ctx context.Context, vpcs []string) bool {
	return r.groupsBy(ctx, filter("vpc-id", vpcs...))
}

func (r *reader) groupsBy(ctx context.Context, f filterSpec) bool {
	var page groupsAnswer
	return r.paged(ctx, "DescribeSecurityGroups", filters(nil, f), r.size, func() (any, func() string) {
		page = groupsAnswer{}
		return &page, func() string {
			for _, g := range page.Items {
				r.out.Net.Groups[g.ID] = netaudit.SecurityGroup{ID: g.ID, VPC: g.VPC, Ingress: rules(g.Ingress), Egress: rules(g.Egress)}
			}
			return page.Next
		}
	})
}

func rules(perms []xmlPermission) []netaudit.Rule {
	var out []netaudit.Rule
	for _, p := range perms {
		r := netaudit.Rule{Protocol: p.Protocol, FromPort: intOr(p.From, -1), ToPort: intOr(p.To, -1), Groups: p.Groups, PrefixLists: p.PrefixLists,
			CIDRs: prefixes(append(p.CIDRs, p.IPv6...))}
		out = append(out, r)
	}
	return out
}

func intOr(p *int, def int) int {
	if p == nil {
		return def
	}
	return *p
}

func (r *reader) acls(ctx context.Context, vpcs []string) bool {
	var page aclsAnswer
	return r.paged(ctx, "DescribeNetworkAcls", filters(nil, filter("vpc-id", vpcs...)), r.size, func() (any, func() string) {
		page = aclsAnswer{}
		return &page, func() string {
			for _, a := range page.Items {
				acl := netaudit.NetworkACL{ID: a.ID, VPC: a.VPC, Default: a.Default, Subnets: a.Subnets}
				for _, e := range a.Entries {
					acl.Entries = append(acl.Entries, netaudit.ACLEntry{Number: e.Number, Egress: e.Egress, Protocol: e.Protocol,
						CIDR: prefix(firstOf(e.CIDR, e.IPv6)), Allow: e.Action == "allow", FromPort: intOr(e.From, 0), ToPort: intOr(e.To, 65535)})
				}
				r.out.Net.ACLs = append(r.out.Net.ACLs, acl)
			}
			return page.Next
		}
	})
}
