package netaudit

import (
	"fmt"
	"github.com/esmdoctor/esmdoctor/catalog"
	"net/netip"
	"strings"
)

// anywhere is the destination of a default route and of AWS's public endpoints.
var anywhere = netip.MustParsePrefix("0.0.0.0/0")

// checkAWS applies the rules to AWS (predicting P2/P2b): in on-demand mode
// every poller subnet needs a working NAT route or interface endpoints.
func checkAWS(n Network) []Finding {
	if n.Mode == Provisioned {
		return []Finding{passing("aws", "provisioned poller mode: the pollers reach Lambda, STS and Secrets Manager without the VPC, so neither a NAT gateway nor VPC endpoints are needed")}
	}
	var out []Finding
	for _, s := range n.Pollers.Subnets {
		out = append(out, subnetToAWS(n, s)...)
	}
	return dedupeFindings(out)
}

// subnetToAWS checks one poller subnet's way to AWS. An interface
// endpoint with private DNS captures its service's traffic even when a NAT
// gateway works, so its rules apply either way; a service without one
// needs the NAT path.
func subnetToAWS(n Network, subnet string) []Finding {
	nat, natFinding := natPath(n, subnet)
	var missing, gateways []string
	var out []Finding
	viaEndpoint := false
	for _, svc := range n.Services {
		ep, ok := endpointFor(n, svc)
		switch {
		case ok && (ep.PrivateDNS || nat == ""):
			out = append(out, endpointFindings(n, subnet, ep)...)
			viaEndpoint = true
		case nat == "":
			if fs, ok := gatewayPath(n, subnet, svc); ok {
				out, gateways = append(out, fs...), append(gateways, svc)
				continue
			}
			missing = append(missing, svc)
		}
	}
	if nat != "" {
		head := append([]Finding{passing("aws", fmt.Sprintf("%s: %s", subnet, nat), subnet)}, egress443(n, "0.0.0.0/0", peer{nets: []netip.Prefix{anywhere}})...)
		return append(head, out...)
	}
	if len(missing) == len(n.Services) {
		if natFinding != nil {
			return []Finding{*natFinding}
		}
		return []Finding{noPath(n, subnet, missing)}
	}
	for _, svc := range missing {
		out = append(out, missingEndpoint(n, subnet, svc))
	}
	if viaEndpoint {
		out = append(out, vpcDNS(n, subnet)...)
	}
	if len(out) == 0 {
		note := fmt.Sprintf("%s: interface endpoints for %s with private DNS", subnet, join(without(n.Services, gateways)))
		if len(gateways) > 0 {
			note += fmt.Sprintf("; a gateway endpoint for %s on its route table", join(gateways))
		}
		out = append(out, passing("aws", note, subnet))
	}
	return out
}

// natPath returns a description of a working NAT path, or a finding when
// the default route goes to a NAT gateway that cannot reach the internet.
func natPath(n Network, subnet string) (string, *Finding) {
	t, ok := tableFor(n, subnet)
	if !ok {
		return "", nil
	}
	r, found := defaultRoute(t)
	if !found || r.NAT == "" || r.State == "blackhole" {
		return "", nil
	}
	args := map[string]string{"subnet": subnet, "table": t.ID, "nat": r.NAT, "services": join(n.Services)}
	g, ok := n.NATs[r.NAT]
	switch {
	case !ok || g.State != "available":
		args["reason"] = fmt.Sprintf("NAT gateway %s is %s", r.NAT, stateOf(g, ok))
	case !g.Public:
		args["reason"] = fmt.Sprintf("NAT gateway %s is private (connectivity type private): it reaches no internet", r.NAT)
	default:
		nt, _ := tableFor(n, g.Subnet)
		if igw := igwRoute(n, nt); igw != "" {
			return fmt.Sprintf("0.0.0.0/0 goes to NAT gateway %s in %s, whose route table %s sends 0.0.0.0/0 to internet gateway %s", r.NAT, g.Subnet, nt.ID, igw), nil
		}
		args["reason"] = fmt.Sprintf("NAT gateway %s sits in %s, whose route table %s sends 0.0.0.0/0 to no internet gateway (a NAT gateway must sit in a public subnet)", r.NAT, g.Subnet, nt.ID)
		args["cli_fix"] = fmt.Sprintf("aws ec2 create-route --route-table-id %s --destination-cidr-block 0.0.0.0/0 --gateway-id <igw-id>  (or recreate the NAT gateway in a public subnet)", nt.ID)
		f := failing("aws.nat", catalog.NET013, "P2", args, r.NAT, g.Subnet, nt.ID)
		return "", &f
	}
	args["cli_fix"] = fmt.Sprintf("aws ec2 create-nat-gateway --subnet-id <public-subnet-id> --allocation-id <eipalloc-id>, then aws ec2 replace-route --route-table-id %s --destination-cidr-block 0.0.0.0/0 --nat-gateway-id <new-nat-id>", t.ID)
	f := failing("aws.nat", catalog.NET013, "P2", args, r.NAT, subnet)
	return "", &f
}

func stateOf(g NATGateway, ok bool) string {
	if !ok {
		return "not found"
	}
	return g.State
}

func defaultRoute(t RouteTable) (Route, bool) {
	for _, r := range t.Routes {
		if r.Dest.IsValid() && r.Dest.Bits() == 0 && r.Dest.Addr().Is4() {
			return r, true
		}
	}
	return Route{}, false
}

// igwRoute returns the internet gateway a table's default route uses, when
// that gateway is attached to the table's VPC.
func igwRoute(n Network, t RouteTable) string {
	r, ok := defaultRoute(t)
	if !ok || !isIGW(r.Gateway) || r.State == "blackhole" {
		return ""
	}
	if g, ok := n.IGWs[r.Gateway]; ok && contains(g.VPCs, t.VPC) {
		return r.Gateway
	}
	return ""
}

// endpointFor finds the VPC's interface endpoint for a service.
func endpointFor(n Network, svc string) (Endpoint, bool) {
	vpc := n.pollerVPC()
	for _, e := range n.Endpoints {
		if e.VPC == vpc && strings.EqualFold(e.Type, "Interface") && serviceOf(e.Service) == svc && e.State != "deleted" && e.State != "failed" && e.State != "rejected" {
			return e, true
		}
	}
	return Endpoint{}, false
}

// serviceOf is the short name of com.amazonaws.<region>.<service>.
func serviceOf(name string) string {
	p := strings.Split(name, ".")
	return p[len(p)-1]
}

// pollerVPC is the VPC of the first poller subnet.
func (n Network) pollerVPC() string {
	for _, s := range n.Pollers.Subnets {
		if v := n.Subnets[s].VPC; v != "" {
			return v
		}
	}
	return ""
}

// noPath explains why a subnet has neither NAT nor endpoints.
func noPath(n Network, subnet string, services []string) Finding {
	t, _ := tableFor(n, subnet)
	why := "its route table has no 0.0.0.0/0 route"
	if r, ok := defaultRoute(t); ok {
		why = fmt.Sprintf("0.0.0.0/0 goes to %s", r.target())
		if isIGW(r.Gateway) {
			why += ", an internet gateway: the mapping's network interfaces have no public IP address, so a public subnet does not help"
		}
	}
	args := map[string]string{"subnet": subnet, "table": t.ID, "reason": why, "services": join(services), "cli_fix": endpointFix(n, services)}
	return failing("aws.path", catalog.NET005, "P2", args, subnet, t.ID)
}

// endpointFix creates the missing interface endpoints.
func endpointFix(n Network, services []string) string {
	var cmds []string
	for _, svc := range services {
		cmds = append(cmds, fmt.Sprintf("aws ec2 create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id %s --service-name com.amazonaws.%s.%s --subnet-ids %s --security-group-ids %s --private-dns-enabled",
			n.pollerVPC(), n.Region, svc, strings.Join(n.Pollers.Subnets, " "), first(n.Pollers.SecurityGroups)))
	}
	return strings.Join(cmds, " && ")
}

func missingEndpoint(n Network, subnet, svc string) Finding {
	args := map[string]string{"subnet": subnet, "service": fmt.Sprintf("com.amazonaws.%s.%s", n.Region, svc), "vpc": n.pollerVPC(), "cli_fix": endpointFix(n, []string{svc})}
	if svc == n.Destination {
		return failing("aws.endpoint", catalog.NET017, "P2", args, subnet)
	}
	return failing("aws.endpoint", catalog.NET006, "P2", args, subnet)
}

// gatewayPath checks a gateway endpoint (S3, DynamoDB) for a service
// without an interface endpoint: it serves the subnet when its route table
// is one of the endpoint's, and the pollers' security groups must then let
// HTTPS out to the service's prefix list. ok is false when the VPC has no
// gateway endpoint for the service.
func gatewayPath(n Network, subnet, svc string) ([]Finding, bool) {
	vpc := n.pollerVPC()
	t, _ := tableFor(n, subnet)
	for _, e := range n.Endpoints {
		if e.VPC != vpc || !strings.EqualFold(e.Type, "Gateway") || serviceOf(e.Service) != svc || e.State == "deleted" || e.State == "failed" {
			continue
		}
		if !contains(e.RouteTables, t.ID) {
			args := map[string]string{"subnet": subnet, "endpoint": e.ID, "service": e.Service, "table": t.ID,
				"cli_fix": fmt.Sprintf("aws ec2 modify-vpc-endpoint --vpc-endpoint-id %s --add-route-table-ids %s", e.ID, t.ID)}
			return []Finding{failing("aws.gateway", catalog.NET019, "P2", args, e.ID, t.ID, subnet)}, true
		}
		p := peer{}
		for _, r := range t.Routes {
			if r.Gateway == e.ID && r.PrefixList != "" {
				p.prefixLists = append(p.prefixLists, r.PrefixList)
				p.nets = append(p.nets, n.PrefixLists[r.PrefixList]...)
			}
		}
		if len(p.nets) == 0 {
			p.nets = []netip.Prefix{anywhere} // the list's entries were not read
		}
		return egress443(n, e.ID+" ("+e.Service+")", p), true
	}
	return nil, false
}

// without returns l minus the values of drop.
func without(l, drop []string) []string {
	var out []string
	for _, x := range l {
		if !contains(drop, x) {
			out = append(out, x)
		}
	}
	return out
}
