package netaudit

import (
	"fmt"
	"github.com/esmdoctor/esmdoctor/catalog"
	"strconv"
)

// LambdaPrincipal is the service principal the mapping's AWS calls come from.
const LambdaPrincipal = "lambda.amazonaws.com"

// endpointFindings checks one interface endpoint for one poller subnet:
// private DNS, its security groups admitting 443 from the pollers, the
// pollers' egress to it, and its Availability Zones.
func endpointFindings(n Network, subnet string, e Endpoint) []Finding {
	var out []Finding
	args := map[string]string{"endpoint": e.ID, "service": e.Service, "subnet": subnet, "poller_groups": join(n.Pollers.SecurityGroups),
		"endpoint_groups": join(e.SecurityGroups)}
	if !e.PrivateDNS {
		a := copyArgs(args)
		a["cli_fix"] = fmt.Sprintf("aws ec2 modify-vpc-endpoint --vpc-endpoint-id %s --private-dns-enabled", e.ID)
		out = append(out, failing("aws.endpoint.dns", catalog.NET007, "P2", a, e.ID))
	}
	switch groupsVerdict(n, e.SecurityGroups, false, 443, peer{groups: n.Pollers.SecurityGroups, nets: subnetNets(n, n.Pollers.Subnets)}) {
	case denied:
		a := copyArgs(args)
		a["cli_fix"] = fmt.Sprintf("aws ec2 authorize-security-group-ingress --group-id %s --protocol tcp --port 443 --source-group %s", first(e.SecurityGroups), first(n.Pollers.SecurityGroups))
		out = append(out, failing("aws.endpoint.ingress", catalog.NET009, "P2", a, append([]string{e.ID}, e.SecurityGroups...)...))
	case undecided:
		out = append(out, undecidable("aws.endpoint.ingress", fmt.Sprintf("endpoint %s admits 443 only through a prefix list esmdoctor could not read or a partial CIDR: check it covers %s", e.ID, join(n.Pollers.Subnets)), e.ID))
	}
	out = append(out, egress443(n, e.ID, peer{groups: e.SecurityGroups, nets: subnetNets(n, e.Subnets)})...)
	if az := n.Subnets[subnet].AZ; az != "" && !endpointInAZ(n, e, az) {
		out = append(out, warning("aws.endpoint.az", catalog.NET104, map[string]string{"endpoint": e.ID, "subnet": subnet, "az": az,
			"cli_fix": fmt.Sprintf("aws ec2 modify-vpc-endpoint --vpc-endpoint-id %s --add-subnet-ids %s", e.ID, subnet)}, e.ID, subnet))
	}
	return out
}

func endpointInAZ(n Network, e Endpoint, az string) bool {
	for _, s := range e.Subnets {
		if n.Subnets[s].AZ == az {
			return true
		}
	}
	return len(e.Subnets) == 0
}

// egress443 checks that the pollers' security groups allow HTTPS out to to.
func egress443(n Network, to string, p peer) []Finding {
	switch groupsVerdict(n, n.Pollers.SecurityGroups, true, 443, p) {
	case denied:
		dest := "IpRanges=[{CidrIp=0.0.0.0/0}]"
		if len(p.groups) > 0 {
			dest = "UserIdGroupPairs=[{GroupId=" + p.groups[0] + "}]"
		} else if len(p.prefixLists) > 0 {
			dest = "PrefixListIds=[{PrefixListId=" + p.prefixLists[0] + "}]"
		}
		args := map[string]string{"poller_groups": join(n.Pollers.SecurityGroups), "to": to,
			"cli_fix": fmt.Sprintf("aws ec2 authorize-security-group-egress --group-id %s --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,%s'", first(n.Pollers.SecurityGroups), dest)}
		return []Finding{failing("aws.egress", catalog.NET010, "P2", args, n.Pollers.SecurityGroups...)}
	case undecided:
		return []Finding{undecidable("aws.egress", fmt.Sprintf("the pollers' security groups %s allow 443 to %s only through a prefix list esmdoctor could not read or a partial CIDR: check it", join(n.Pollers.SecurityGroups), to), n.Pollers.SecurityGroups...)}
	}
	return nil
}

// vpcDNS checks the VPC attributes private DNS needs.
func vpcDNS(n Network, subnet string) []Finding {
	v, ok := n.VPCs[n.Subnets[subnet].VPC]
	if !ok || (v.DNSSupport && v.DNSHostnames) {
		return nil
	}
	var off []string
	var fix []string
	for _, a := range []struct {
		on   bool
		name string
		flag string
	}{{v.DNSSupport, "enableDnsSupport", "--enable-dns-support"}, {v.DNSHostnames, "enableDnsHostnames", "--enable-dns-hostnames"}} {
		if !a.on {
			off = append(off, a.name)
			fix = append(fix, fmt.Sprintf("aws ec2 modify-vpc-attribute --vpc-id %s %s '{\"Value\":true}'", v.ID, a.flag))
		}
	}
	return []Finding{failing("aws.vpc.dns", catalog.NET008, "P2", map[string]string{"vpc": v.ID, "off": join(off), "cli_fix": joinCmds(fix)}, v.ID)}
}

func joinCmds(c []string) string {
	out := ""
	for i, x := range c {
		if i > 0 {
			out += " && "
		}
		out += x
	}
	return out
}

// checkPolicies reads the STS and Lambda endpoint policies (predicting P3
// and P2): they must let lambda.amazonaws.com call sts:AssumeRole and
// lambda:InvokeFunction.
func checkPolicies(n Network) []Finding {
	if n.Mode == Provisioned {
		return nil
	}
	var out []Finding
	for _, c := range []struct {
		svc, action, resource, code, problem string
	}{{"sts", "sts:AssumeRole", n.RoleARN, catalog.NET011, "P3"}, {"lambda", "lambda:InvokeFunction", n.FunctionARN, catalog.NET012, "P2"}} {
		// Without private DNS the endpoint carries none of the mapping's
		// calls, so its policy does not matter.
		e, ok := endpointFor(n, c.svc)
		if !ok || e.Policy == "" || !e.PrivateDNS {
			continue
		}
		out = append(out, policyFinding(e, c.action, orStar(c.resource), c.code, c.problem)...)
	}
	return out
}

func orStar(s string) string {
	if s == "" {
		return "*"
	}
	return s
}

func policyFinding(e Endpoint, action, resource, code, problem string) []Finding {
	d, why := endpointDecision(e.Policy, action, resource)
	args := map[string]string{"endpoint": e.ID, "action": action, "resource": resource, "reason": why,
		"cli_fix": fmt.Sprintf(`aws ec2 modify-vpc-endpoint --vpc-endpoint-id %s --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"%s"},"Action":"%s","Resource":"*"}]}' (merge into the existing statements)`, e.ID, LambdaPrincipal, action)}
	switch d {
	case Allowed:
		return []Finding{passing("aws.endpoint.policy", fmt.Sprintf("endpoint %s's policy allows %s by %s (%s)", e.ID, action, LambdaPrincipal, why), e.ID)}
	case Unknown:
		return []Finding{undecidable("aws.endpoint.policy", fmt.Sprintf("endpoint %s's policy decides %s by %s with a condition (%s): check it holds for the mapping's calls", e.ID, action, LambdaPrincipal, why), e.ID)}
	}
	return []Finding{failing("aws.endpoint.policy", code, problem, args, e.ID)}
}

// endpointDecision evaluates a resource policy for the Lambda principal.
func endpointDecision(doc, action, resource string) (Decision, string) {
	p, err := ParsePolicy(doc)
	if err != nil {
		return Unknown, err.Error()
	}
	var applicable Policy
	for _, s := range p.Statements {
		if s.Principal.Names(LambdaPrincipal) {
			applicable.Statements = append(applicable.Statements, s)
		}
	}
	d, why := Evaluate([]NamedPolicy{{Name: "the endpoint policy", Policy: applicable}}, action, resource)
	if d == ImplicitDeny {
		why = "no statement allows it for " + LambdaPrincipal
	}
	return d, why
}

// checkCapacity checks the free addresses of the poller subnets: each
// needs room for the mapping's network interfaces.
func checkCapacity(n Network) []Finding {
	var out []Finding
	for _, id := range n.Pollers.Subnets {
		s, ok := n.Subnets[id]
		if !ok {
			continue
		}
		args := map[string]string{"subnet": id, "free": strconv.Itoa(s.FreeIPs), "cidr": s.CIDR.String()}
		switch {
		case s.FreeIPs == 0:
			args["cli_fix"] = fmt.Sprintf("aws ec2 describe-network-interfaces --filters Name=subnet-id,Values=%s Name=status,Values=available (unused interfaces: delete them)", id)
			out = append(out, failing("capacity", catalog.NET014, "", args, id))
		case s.FreeIPs < lowFreeIPs:
			out = append(out, warning("capacity", catalog.NET102, args, id))
		}
	}
	return out
}

// lowFreeIPs is the free-address count below which a subnet is warned about.
const lowFreeIPs = 8

// Analyze applies every network rule.
func Analyze(n Network) []Finding {
	var out []Finding
	if len(n.Missing) > 0 {
		return []Finding{failing("inputs", catalog.NET015, "", map[string]string{"missing": join(n.Missing)}, n.Missing...)}
	}
	out = append(out, checkCapacity(n)...)
	out = append(out, checkBrokers(n)...)
	out = append(out, checkAWS(n)...)
	return append(out, checkPolicies(n)...)
}
