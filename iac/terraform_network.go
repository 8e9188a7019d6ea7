package iac

import (
	"encoding/json"
	"net/netip"
	"strings"

	"github.com/esmdoctor/esmdoctor/netaudit"
)

// The subnets and security groups a plan creates together with the
// mapping. Their ids exist only after apply, but their VPC, CIDR and rules
// are in the plan: each is given its address as a placeholder id, so the
// network check reads the rest of the (existing) VPC from EC2 and
// evaluates these from the plan. A subnet or group whose VPC, CIDR or rule
// targets are themselves unknown stays unknown.

// plannedNet resolves references to new subnets and groups.
type plannedNet struct {
	r   *reader
	out netaudit.Planned
}

func (r *reader) newPlanned() *plannedNet {
	return &plannedNet{r: r, out: netaudit.Planned{Subnets: map[string]netaudit.Subnet{}, Groups: map[string]netaudit.SecurityGroup{}, Tables: map[string]string{}}}
}

// resolve turns the references of an attribute into planned ids of
// resource type typ; ok is false when one of them cannot be evaluated.
func (p *plannedNet) resolve(refs []string, typ string) (ids []string, ok bool) {
	for _, ref := range refs {
		addr := strings.TrimSuffix(strings.TrimSuffix(ref, ".id"), ".arn")
		res, found := p.r.byAddr[addr]
		if !found || res.Type != typ || containsStr(ids, addr) {
			continue
		}
		if !p.add(addr, typ) {
			return nil, false
		}
		ids = append(ids, addr)
	}
	return ids, true
}

func (p *plannedNet) add(addr, typ string) bool {
	if p.out.Has(addr) {
		return true
	}
	if typ == "aws_subnet" {
		s, ok := p.subnet(addr)
		if ok {
			p.out.Subnets[addr] = s
		}
		return ok
	}
	g, ok := p.group(addr)
	if ok {
		p.out.Groups[addr] = g
	}
	return ok
}

// subnet reads a new aws_subnet of an existing VPC, and the route table an
// aws_route_table_association gives it.
func (p *plannedNet) subnet(addr string) (netaudit.Subnet, bool) {
	v := p.r.byAddr[addr].Values
	cidr, err := netip.ParsePrefix(str(v["cidr_block"]))
	if str(v["vpc_id"]) == "" || err != nil {
		return netaudit.Subnet{}, false
	}
	s := netaudit.Subnet{ID: addr, VPC: str(v["vpc_id"]), AZ: str(v["availability_zone"]), CIDR: cidr, FreeIPs: netaudit.FreeIPs(cidr)}
	if six, err := netip.ParsePrefix(str(v["ipv6_cidr_block"])); err == nil {
		s.IPv6 = []netip.Prefix{six}
	}
	for a, res := range p.r.byAddr {
		if res.Type != "aws_route_table_association" || !containsStr(p.r.references(a, "subnet_id"), addr) {
			continue
		}
		table := str(res.Values["route_table_id"])
		if table == "" {
			return netaudit.Subnet{}, false // a route table the plan creates too
		}
		p.out.Tables[addr] = table
	}
	return s, true
}

// group reads a new aws_security_group: its inline rules and the rule
// resources that name it. Terraform removes the allow-all egress rule AWS
// gives a new group, so its egress is only what the plan declares.
func (p *plannedNet) group(addr string) (netaudit.SecurityGroup, bool) {
	v := p.r.byAddr[addr].Values
	// Inline rules are unknown only when they reference values of apply
	// (a group the plan creates); left out, they are computed, and the
	// group holds only the rule resources' rules.
	if str(v["vpc_id"]) == "" || len(p.r.references(addr, "ingress")) > 0 || len(p.r.references(addr, "egress")) > 0 {
		return netaudit.SecurityGroup{}, false
	}
	g := netaudit.SecurityGroup{ID: addr, VPC: str(v["vpc_id"])}
	p.out.Groups[addr] = g // a rule may reference its own group
	for dir, dst := range map[string]*[]netaudit.Rule{"ingress": &g.Ingress, "egress": &g.Egress} {
		for _, x := range list(v[dir]) {
			*dst = append(*dst, inlineRule(addr, mapOf(x)))
		}
	}
	for a, res := range p.r.byAddr {
		egress, rule, ok := p.ruleResource(a, res, addr)
		switch {
		case !ok:
			continue
		case rule == nil:
			delete(p.out.Groups, addr)
			return netaudit.SecurityGroup{}, false
		case egress:
			g.Egress = append(g.Egress, *rule)
		default:
			g.Ingress = append(g.Ingress, *rule)
		}
	}
	return g, true
}

// ruleResource reads an aws_vpc_security_group_{ingress,egress}_rule or
// aws_security_group_rule of group; ok is false when res is no rule of
// it, rule nil when the rule's peer is unknown.
func (p *plannedNet) ruleResource(addr string, res resource, group string) (egress bool, rule *netaudit.Rule, ok bool) {
	v := res.Values
	if !containsStr(p.r.references(addr, "security_group_id"), group) {
		return false, nil, false
	}
	var r netaudit.Rule
	var peerAttr string
	switch res.Type {
	case "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule":
		egress, peerAttr = res.Type == "aws_vpc_security_group_egress_rule", "referenced_security_group_id"
		r = netaudit.Rule{Protocol: str(v["ip_protocol"]), FromPort: num(v["from_port"], -1), ToPort: num(v["to_port"], -1), CIDRs: cidrs(v["cidr_ipv4"], v["cidr_ipv6"])}
		if pl := str(v["prefix_list_id"]); pl != "" {
			r.PrefixLists = []string{pl}
		}
	case "aws_security_group_rule":
		egress, peerAttr = str(v["type"]) == "egress", "source_security_group_id"
		r = netaudit.Rule{Protocol: str(v["protocol"]), FromPort: num(v["from_port"], -1), ToPort: num(v["to_port"], -1),
			CIDRs: cidrs(v["cidr_blocks"], v["ipv6_cidr_blocks"]), PrefixLists: strs(v["prefix_list_ids"])}
		if v["self"] == true {
			r.Groups = []string{group}
		}
	default:
		return false, nil, false
	}
	if id := str(v[peerAttr]); id != "" {
		r.Groups = append(r.Groups, id)
	} else if refs := p.r.references(addr, peerAttr); len(refs) > 0 {
		ids, ok := p.resolve(refs, "aws_security_group")
		if !ok || len(ids) == 0 {
			return egress, nil, true
		}
		r.Groups = append(r.Groups, ids...)
	}
	return egress, &r, true
}

// inlineRule reads an ingress or egress block of aws_security_group.
func inlineRule(group string, x map[string]any) netaudit.Rule {
	r := netaudit.Rule{Protocol: str(x["protocol"]), FromPort: num(x["from_port"], -1), ToPort: num(x["to_port"], -1),
		CIDRs: cidrs(x["cidr_blocks"], x["ipv6_cidr_blocks"]), PrefixLists: strs(x["prefix_list_ids"]), Groups: strs(x["security_groups"])}
	if x["self"] == true {
		r.Groups = append(r.Groups, group)
	}
	return r
}

// cidrs parses CIDR values: strings or lists of strings.
func cidrs(vs ...any) []netip.Prefix {
	var out []netip.Prefix
	for _, v := range vs {
		l := strs(v)
		if s := str(v); len(list(v)) == 0 && s != "" {
			l = []string{s}
		}
		for _, c := range l {
			if p, err := netip.ParsePrefix(c); err == nil {
				out = append(out, p)
			}
		}
	}
	return out
}

func num(v any, def int) int {
	if f, ok := v.(float64); ok {
		return int(f)
	}
	return def
}

func containsStr(l []string, v string) bool {
	for _, x := range l {
		if x == v {
			return true
		}
	}
	return false
}

// expr is one expression of a resource's configuration.
type expr struct {
	References []string `json:"references"`
	Constant   any      `json:"constant_value"`
}

// blockExprs are the expressions of every instance of a nested block of
// a resource's configuration.
func (r *reader) blockExprs(addr, block string) []map[string]expr {
	for _, c := range r.p.Configuration.Root.Resources {
		if c.Address == addr {
			var blocks []map[string]expr
			_ = json.Unmarshal(c.Expressions[block], &blocks)
			return blocks
		}
	}
	return nil
}

// plannedAccess resolves VPC_SUBNET and VPC_SECURITY_GROUP access
// configurations whose URIs reference subnets and groups the plan creates;
// when every unknown URI resolves, the access configurations are no longer
// unknown.
func (r *reader) plannedAccess(m *Mapping) {
	field := m.Address + ".source_access_configuration"
	if !hasUnknown(m.Unknown, field) {
		return
	}
	pn := r.newPlanned()
	var add [][2]string
	for _, b := range r.blockExprs(m.Address, "source_access_configuration") {
		typ, _ := b["type"].Constant.(string)
		if len(b["uri"].References) == 0 {
			continue
		}
		want := map[string][2]string{"VPC_SUBNET": {"aws_subnet", "subnet:"}, "VPC_SECURITY_GROUP": {"aws_security_group", "security_group:"}}[typ]
		if want[0] == "" {
			return // a secret or another value known only after apply
		}
		ids, ok := pn.resolve(b["uri"].References, want[0])
		if !ok || len(ids) != 1 {
			return
		}
		add = append(add, [2]string{typ, want[1] + ids[0]})
	}
	var keep [][2]string
	for _, ac := range m.AccessConfigs {
		if ac[1] != "" {
			keep = append(keep, ac)
		}
	}
	m.AccessConfigs, m.Planned = append(keep, add...), &pn.out
	var rest []Unknown
	for _, u := range m.Unknown {
		if u.Field != field {
			rest = append(rest, u)
		}
	}
	m.Unknown = rest
}

func hasUnknown(us []Unknown, field string) bool {
	for _, u := range us {
		if u.Field == field {
			return true
		}
	}
	return false
}
