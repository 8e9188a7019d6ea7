// Package netaudit decides, from a typed snapshot of a mapping's network
// and execution role read through AWS APIs, whether the mapping will reach
// its brokers and AWS, and whether its role lets it: the rules of sections
// 5, 8 and 9 of the reference (shared/reference/esm-problems.md). It never
// touches the network; awsprobe fills the snapshots, checks turns the
// findings into results, and the tests are tables of snapshots.
package netaudit

import "net/netip"

// PollerMode is how the mapping's pollers are provisioned.
type PollerMode string

// Poller modes: on-demand pollers reach AWS through the mapping's VPC;
// provisioned pollers need neither NAT nor PrivateLink (reference section 8).
const (
	OnDemand    PollerMode = "on-demand"
	Provisioned PollerMode = "provisioned"
)

// Network is everything the network rules look at.
type Network struct {
	Region string
	Mode   PollerMode
	// Pollers is where the mapping's network interfaces sit: for MSK the
	// cluster's subnets and security groups, for self-managed Kafka its
	// VPC_SUBNET / VPC_SECURITY_GROUP.
	Pollers Placement
	// Brokers are the broker addresses and what owns them.
	Brokers []Broker
	// Services are the AWS services the pollers must reach in on-demand
	// mode: lambda, sts, secretsmanager when a secret is used, and the
	// on-failure destination's service.
	Services []string
	// Destination is the on-failure destination's service ("sqs", "sns",
	// "s3"), "" when none is configured.
	Destination string
	// RoleARN and FunctionARN are what endpoint policies must allow the
	// mapping to use ("" when unknown: the policy is then read for "*").
	RoleARN, FunctionARN string
	// Missing lists poller subnets and security groups EC2 does not know.
	Missing []string
	VPCs    map[string]VPC
	Subnets map[string]Subnet
	Groups  map[string]SecurityGroup
	ACLs    []NetworkACL
	Tables  []RouteTable
	NATs    map[string]NATGateway
	IGWs    map[string]InternetGateway
	// Endpoints are the VPC endpoints of the pollers' VPC.
	Endpoints []Endpoint
	// PrefixLists holds the entries of the managed prefix lists the rules
	// and routes reference (ec2:GetManagedPrefixListEntries); a list
	// missing here was not read, and a rule using it is undecided.
	PrefixLists map[string][]netip.Prefix
}

// Placement is a set of subnets with security groups.
type Placement struct {
	Subnets        []string
	SecurityGroups []string
}

// Broker is one broker address and, when found, the interface that owns it.
type Broker struct {
	Addr string // host:port as given or advertised
	Port int
	IP   netip.Addr // zero when the name was not resolved
	// Placement is the broker's subnet and security groups; empty when
	// the address belongs to no interface of this account's VPCs.
	Placement Placement
	ENI       string
	// Located is false when the broker is outside the VPCs esmdoctor can
	// read (the reason says why).
	Located bool
	Reason  string
}

// VPC is a VPC and its DNS attributes.
type VPC struct {
	ID           string
	CIDRs        []netip.Prefix
	DNSSupport   bool
	DNSHostnames bool
}

// Subnet is one subnet.
type Subnet struct {
	ID, VPC, AZ string
	CIDR        netip.Prefix
	// IPv6 are the subnet's IPv6 CIDR blocks (none in an IPv4-only subnet).
	IPv6    []netip.Prefix
	FreeIPs int
}

// SecurityGroup is a security group's rules.
type SecurityGroup struct {
	ID, VPC         string
	Ingress, Egress []Rule
}

// Rule is one security group permission.
type Rule struct {
	Protocol         string         // "-1" (all), "tcp", "udp", "6", ...
	FromPort, ToPort int            // -1 or 0..65535; ignored for protocol -1
	CIDRs            []netip.Prefix // IPv4 and IPv6 ranges alike
	Groups           []string       // referenced security groups
	PrefixLists      []string
}

// NetworkACL is a network ACL with its entries and associated subnets.
type NetworkACL struct {
	ID, VPC string
	Default bool
	Subnets []string
	Entries []ACLEntry
}

// ACLEntry is one numbered network ACL rule.
type ACLEntry struct {
	Number           int
	Egress           bool
	Protocol         string       // "-1", "6" (tcp), "17" (udp)
	CIDR             netip.Prefix // an IPv4 or an IPv6 block
	FromPort, ToPort int          // only for tcp/udp
	Allow            bool
}

// RouteTable is a route table with its subnet associations.
type RouteTable struct {
	ID, VPC string
	Main    bool
	Subnets []string
	Routes  []Route
}

// Route is one route. Exactly one target field is set.
type Route struct {
	Dest       netip.Prefix // IPv4 or IPv6; zero when the route targets a prefix list
	PrefixList string
	Gateway    string // "local", igw-..., vgw-... (VPN)
	NAT        string
	Peering    string
	TransitGW  string
	Other      string // an instance, an ENI, an egress-only internet gateway...
	State      string // active or blackhole
}

// NATGateway is a NAT gateway.
type NATGateway struct {
	ID, Subnet, State string
	Public            bool // connectivity type public (private NAT gateways reach no internet)
}

// InternetGateway is an internet gateway and the VPCs it is attached to.
type InternetGateway struct {
	ID   string
	VPCs []string
}

// Endpoint is a VPC endpoint.
type Endpoint struct {
	ID, VPC, Service, Type, State string
	PrivateDNS                    bool
	Subnets, SecurityGroups       []string
	// RouteTables are a gateway endpoint's route tables.
	RouteTables []string
	Policy      string // the policy document (JSON); "" means full access
}

// Planned is the part of the network that infrastructure code creates
// together with the mapping: subnets and security groups that do not exist
// yet, keyed by a placeholder id (the Terraform address or the
// CloudFormation logical id). The audit reads the rest of their VPC from
// EC2 and evaluates these from the code.
type Planned struct {
	Subnets map[string]Subnet
	Groups  map[string]SecurityGroup
	// Tables maps a planned subnet to the existing route table the code
	// associates it with; a subnet without one gets the VPC's main table.
	Tables map[string]string
}

// Merge adds the planned subnets and groups to a network read from EC2,
// associating each planned subnet with its route table.
func (p Planned) Merge(n *Network) {
	for id, s := range p.Subnets {
		n.Subnets[id] = s
	}
	for id, g := range p.Groups {
		n.Groups[id] = g
	}
	for subnet, table := range p.Tables {
		for i := range n.Tables {
			if n.Tables[i].ID == table {
				n.Tables[i].Subnets = append(n.Tables[i].Subnets, subnet)
			}
		}
	}
}

// Has says whether id is a planned subnet or security group.
func (p *Planned) Has(id string) bool {
	if p == nil {
		return false
	}
	_, s := p.Subnets[id]
	_, g := p.Groups[id]
	return s || g
}

// FreeIPs is the number of addresses a new subnet offers: AWS reserves
// five in every subnet.
func FreeIPs(cidr netip.Prefix) int {
	if !cidr.IsValid() || cidr.Bits() < 16 {
		return 65531
	}
	return 1<<(32-cidr.Bits()) - 5
}
