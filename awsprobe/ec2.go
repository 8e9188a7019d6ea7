package awsprobe

import (
	"context"
	"net/netip"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/esmdoctor/esmdoctor/netaudit"
)

// EC2 is the service name of AWS_ENDPOINT_URL_EC2.
const EC2 Service = "ec2"

// Bounds on the EC2 reads: pages per call and results per page. Ten pages
// of 1,000 is far beyond one VPC's security groups, route tables or ACLs;
// a VPC that large is reported as truncated rather than read forever.
const (
	maxPages = 10
	pageSize = 1000
)

// NetworkQuery names what to read: the pollers' subnets and security
// groups, and the broker addresses to find interfaces for.
type NetworkQuery struct {
	Region         string
	Subnets        []string
	SecurityGroups []string
	// VPCs are VPCs to read beyond the subnets' (those of subnets that
	// infrastructure code has yet to create).
	VPCs      []string
	BrokerIPs []netip.Addr
	// PageSize overrides pageSize (tests force several pages).
	PageSize int32
}

// NetworkRead is what the EC2 describe calls returned.
type NetworkRead struct {
	Net netaudit.Network
	// ENIs maps each broker IP found to its interface.
	ENIs map[netip.Addr]ENI
	// Calls and Pages count the API requests made.
	Calls, Pages int
	Truncated    bool
	// Unread lists the prefix lists esmdoctor could not read, with why.
	Unread []string
	// ENIError says why the IPv6 broker addresses were not looked up.
	ENIError  string
	Operation string // the call that failed
	Err       error
	Elapsed   time.Duration
}

// ENI is a network interface owning a broker address.
type ENI struct {
	ID, Subnet, VPC string
	Groups          []string
}

// reader carries one network read.
type reader struct {
	c    *ec2Client
	q    NetworkQuery
	out  *NetworkRead
	size int32
}

// Network reads the pollers' VPC: subnets, VPC DNS attributes, VPC
// endpoints, security groups, network ACLs, route tables, NAT and internet
// gateways, and the interfaces owning the broker addresses. Every list is
// paginated and bounded; it stops at the first failed call. The calls use
// esmdoctor's own identity.
func (s *Session) Network(ctx context.Context, q NetworkQuery, budget time.Duration) NetworkRead {
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	start := time.Now()
	out := NetworkRead{Net: emptyNetwork(q.Region), ENIs: map[netip.Addr]ENI{}}
	r := &reader{c: newEC2Client(s.auditConfig(q.Region)), q: q, out: &out, size: pageSize}
	if q.PageSize > 0 {
		r.size = q.PageSize
	}
	r.run(ctx)
	out.Elapsed = since(start)
	return out
}

// auditConfig is the configuration of the audit's read-only calls: the
// base identity's (esmdoctor's own), not --role-arn's, since an execution
// role rarely may describe route tables or read IAM.
func (s *Session) auditConfig(region string) aws.Config {
	c := s.base.Copy()
	if region != "" {
		c.Region = region
	}
	return c
}

func emptyNetwork(region string) netaudit.Network {
	return netaudit.Network{Region: region, VPCs: map[string]netaudit.VPC{}, Subnets: map[string]netaudit.Subnet{},
		Groups: map[string]netaudit.SecurityGroup{}, PrefixLists: map[string][]netip.Prefix{}, NATs: map[string]netaudit.NATGateway{}, IGWs: map[string]netaudit.InternetGateway{}}
}

// run performs the reads in dependency order: the subnets name the VPC
// every other read filters on.
func (r *reader) run(ctx context.Context) {
	if len(r.q.Subnets) > 0 && !r.subnets(ctx, filter("subnet-id", r.q.Subnets...)) {
		return
	}
	vpcs := r.vpcIDs()
	steps := []func(context.Context, []string) bool{r.vpcs, r.endpoints, r.endpointSubnets, r.groups, r.acls, r.tables, r.nats, r.igws}
	for _, step := range steps {
		if len(vpcs) == 0 || !step(ctx, vpcs) {
			break
		}
	}
	if r.out.Err != nil {
		return
	}
	r.missing()
	if len(r.q.BrokerIPs) > 0 {
		r.brokerENIs(ctx)
	}
	if r.out.Err == nil {
		r.prefixLists(ctx)
	}
}

// endpointSubnets reads the subnets of the VPC endpoints that are not
// poller subnets: their Availability Zones decide whether an endpoint
// serves every poller zone.
func (r *reader) endpointSubnets(ctx context.Context, _ []string) bool {
	var ids []string
	for _, e := range r.out.Net.Endpoints {
		for _, s := range e.Subnets {
			if _, ok := r.out.Net.Subnets[s]; !ok && !contains(ids, s) {
				ids = append(ids, s)
			}
		}
	}
	return len(ids) == 0 || r.subnets(ctx, filter("subnet-id", ids...))
}

// fail records the first failed call.
func (r *reader) fail(op string, err error) bool {
	r.out.Operation, r.out.Err = op, err
	return false
}

func (r *reader) vpcIDs() []string {
	var out []string
	for _, v := range r.q.VPCs {
		if !contains(out, v) {
			out = append(out, v)
		}
	}
	for _, id := range r.q.Subnets {
		if s, ok := r.out.Net.Subnets[id]; ok && !contains(out, s.VPC) {
			out = append(out, s.VPC)
		}
	}
	return out
}

// missing lists poller subnets and security groups EC2 did not return.
func (r *reader) missing() {
	for _, id := range r.q.Subnets {
		if _, ok := r.out.Net.Subnets[id]; !ok {
			r.out.Net.Missing = append(r.out.Net.Missing, id)
		}
	}
	if len(r.out.Net.VPCs) == 0 {
		return // the groups were not read
	}
	for _, id := range r.q.SecurityGroups {
		if _, ok := r.out.Net.Groups[id]; !ok {
			r.out.Net.Missing = append(r.out.Net.Missing, id)
		}
	}
}

func contains(l []string, v string) bool {
	for _, x := range l {
		if x == v {
			return true
		}
	}
	return false
}

// prefixes parses CIDRs, dropping those EC2 should never return.
func prefixes(l []string) []netip.Prefix {
	var out []netip.Prefix
	for _, c := range l {
		if p := prefix(c); p.IsValid() {
			out = append(out, p)
		}
	}
	return out
}

func prefix(s string) netip.Prefix {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}
	}
	return p
}
