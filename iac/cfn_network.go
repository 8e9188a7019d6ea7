package iac

import (
	"net/netip"
	"strconv"

	"github.com/esmdoctor/esmdoctor/netaudit"
)

// The subnets and security groups a template creates together with the
// mapping (AWS::EC2::Subnet, AWS::EC2::SecurityGroup and its standalone
// AWS::EC2::SecurityGroupIngress / Egress rules, an
// AWS::EC2::SubnetRouteTableAssociation). While the cluster's or the
// mapping's network is resolved, a Ref (or Fn::GetAtt ...GroupId) to one
// of them yields its logical id as a placeholder id, when its VPC, CIDR and
// rules resolve; the network check reads the rest of the existing VPC from
// EC2 and evaluates these from the template.

type cfnPlanned struct {
	r   *cfnResolver
	out netaudit.Planned
}

// withPlanned resolves f's values with references to planned subnets and
// groups allowed, and returns what was planned (nil when nothing).
func (r *cfnResolver) withPlanned(f func()) *netaudit.Planned {
	r.pn = &cfnPlanned{r: r, out: netaudit.Planned{Subnets: map[string]netaudit.Subnet{}, Groups: map[string]netaudit.SecurityGroup{}, Tables: map[string]string{}}}
	defer func() { r.pn = nil }()
	f()
	if len(r.pn.out.Subnets)+len(r.pn.out.Groups) == 0 {
		return nil
	}
	return &r.pn.out
}

// resolveRef returns the placeholder id of a planned subnet or group.
func (p *cfnPlanned) resolveRef(name string) (string, bool) {
	if p.out.Has(name) {
		return name, true
	}
	def := mapOf(p.r.resources[name])
	props := mapOf(def["Properties"])
	switch def["Type"] {
	case "AWS::EC2::Subnet":
		s, ok := p.subnet(name, props)
		if ok {
			p.out.Subnets[name] = s
		}
		return name, ok
	case "AWS::EC2::SecurityGroup":
		p.out.Groups[name] = netaudit.SecurityGroup{ID: name} // a rule may name its own group
		g, ok := p.group(name, props)
		if !ok {
			delete(p.out.Groups, name)
			return "", false
		}
		p.out.Groups[name] = g
		return name, true
	}
	return "", false
}

func (p *cfnPlanned) subnet(name string, props map[string]any) (netaudit.Subnet, bool) {
	vpc, why1 := p.r.str(props["VpcId"])
	cidr, why2 := p.r.str(props["CidrBlock"])
	az, _ := p.r.str(props["AvailabilityZone"])
	c, err := netip.ParsePrefix(cidr)
	if why1+why2 != "" || vpc == "" || err != nil {
		return netaudit.Subnet{}, false
	}
	s := netaudit.Subnet{ID: name, VPC: vpc, AZ: az, CIDR: c, FreeIPs: netaudit.FreeIPs(c)}
	if six, _ := p.r.str(props["Ipv6CidrBlock"]); six != "" {
		if x, err := netip.ParsePrefix(six); err == nil {
			s.IPv6 = []netip.Prefix{x}
		}
	}
	for _, v := range p.r.resources {
		a := mapOf(mapOf(v)["Properties"])
		if mapOf(v)["Type"] != "AWS::EC2::SubnetRouteTableAssociation" || mapOf(a["SubnetId"])["Ref"] != name {
			continue
		}
		table, why := p.r.str(a["RouteTableId"])
		if why != "" {
			return netaudit.Subnet{}, false // a route table the template creates too
		}
		p.out.Tables[name] = table
	}
	return s, true
}

// group reads a new security group: its inline rules and the standalone
// rules naming it. Without SecurityGroupEgress, AWS's allow-all egress rule
// stays (CloudFormation removes it only when the property is given).
func (p *cfnPlanned) group(name string, props map[string]any) (netaudit.SecurityGroup, bool) {
	vpc, why := p.r.str(props["VpcId"])
	if why != "" || vpc == "" {
		return netaudit.SecurityGroup{}, false
	}
	g := netaudit.SecurityGroup{ID: name, VPC: vpc}
	if props["SecurityGroupEgress"] == nil {
		g.Egress = []netaudit.Rule{{Protocol: "-1", CIDRs: []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0")}}}
	}
	for _, x := range list(props["SecurityGroupIngress"]) {
		r, ok := p.rule(mapOf(x), false)
		if !ok {
			return g, false
		}
		g.Ingress = append(g.Ingress, r)
	}
	for _, x := range list(props["SecurityGroupEgress"]) {
		r, ok := p.rule(mapOf(x), true)
		if !ok {
			return g, false
		}
		g.Egress = append(g.Egress, r)
	}
	for _, v := range p.r.resources {
		typ, a := mapOf(v)["Type"], mapOf(mapOf(v)["Properties"])
		if (typ != "AWS::EC2::SecurityGroupIngress" && typ != "AWS::EC2::SecurityGroupEgress") || !names(a["GroupId"], name) {
			continue
		}
		r, ok := p.rule(a, typ == "AWS::EC2::SecurityGroupEgress")
		if !ok {
			return g, false
		}
		if typ == "AWS::EC2::SecurityGroupEgress" {
			g.Egress = append(g.Egress, r)
		} else {
			g.Ingress = append(g.Ingress, r)
		}
	}
	return g, true
}

// names says whether v is a Ref or Fn::GetAtt ...GroupId of name.
func names(v any, name string) bool {
	m := mapOf(v)
	if m["Ref"] == name {
		return true
	}
	att := list(m["Fn::GetAtt"])
	return len(att) == 2 && str(att[0]) == name && str(att[1]) == "GroupId"
}

// rule reads one ingress or egress rule; its peer group may be a planned
// one.
func (p *cfnPlanned) rule(x map[string]any, egress bool) (netaudit.Rule, bool) {
	peer, list := "SourceSecurityGroupId", "SourcePrefixListId"
	if egress {
		peer, list = "DestinationSecurityGroupId", "DestinationPrefixListId"
	}
	proto, why := p.r.str(x["IpProtocol"])
	from, why2 := p.r.str(x["FromPort"])
	to, why3 := p.r.str(x["ToPort"])
	if why+why2+why3 != "" {
		return netaudit.Rule{}, false
	}
	r := netaudit.Rule{Protocol: proto, FromPort: atoiOr(from, -1), ToPort: atoiOr(to, -1)}
	for _, k := range []string{"CidrIp", "CidrIpv6"} {
		if c, _ := p.r.str(x[k]); c != "" {
			if pr, err := netip.ParsePrefix(c); err == nil {
				r.CIDRs = append(r.CIDRs, pr)
			}
		}
	}
	if pl, why := p.r.str(x[list]); why != "" {
		return r, false
	} else if pl != "" {
		r.PrefixLists = []string{pl}
	}
	if x[peer] != nil {
		id, why := p.r.str(x[peer])
		if why != "" || id == "" {
			return r, false
		}
		r.Groups = []string{id}
	}
	return r, true
}

func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}
