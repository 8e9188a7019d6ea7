package netaudit

import (
	"fmt"
	"github.com/esmdoctor/esmdoctor/catalog"
	"net/netip"
)

// routeFindings checks that every poller subnet routes to the broker:
// local, or through peering, a transit gateway or a VPN (whose other side
// esmdoctor cannot read: a warning saying what to check).
func routeFindings(n Network, b Broker, dst []netip.Prefix) []Finding {
	var out []Finding
	for _, s := range n.Pollers.Subnets {
		t, ok := tableFor(n, s)
		if !ok {
			continue
		}
		for _, d := range dst {
			if f, bad := routeTo(n, t, s, b, d); bad {
				out = append(out, f)
			}
		}
	}
	return dedupeFindings(out)
}

func routeTo(n Network, t RouteTable, subnet string, b Broker, d netip.Prefix) (Finding, bool) {
	r, found, lists := lookup(n, t, d.Addr())
	args := map[string]string{"subnet": subnet, "table": t.ID, "broker": b.Addr, "dest": d.String()}
	switch {
	case !found && len(lists) > 0:
		return undecidable("brokers.route", fmt.Sprintf("route table %s of %s has no route to %s except through prefix lists %s, which esmdoctor could not read: check that one covers it", t.ID, subnet, d, join(lists)), t.ID), true
	case !found:
		args["reason"] = "no route covers it"
		args["cli_fix"] = fmt.Sprintf("aws ec2 create-route --route-table-id %s --destination-cidr-block %s --transit-gateway-id <tgw-id> (or --vpc-peering-connection-id <pcx-id>, --gateway-id <vgw-id>)", t.ID, d)
		return failing("brokers.route", catalog.NET004, "P1", args, t.ID, subnet), true
	case r.State == "blackhole":
		args["reason"] = fmt.Sprintf("its route %s goes to %s, which no longer exists (blackhole)", r.Dest, r.target())
		args["cli_fix"] = fmt.Sprintf("aws ec2 replace-route --route-table-id %s --destination-cidr-block %s --transit-gateway-id <tgw-id> (or --vpc-peering-connection-id <pcx-id>)", t.ID, r.Dest)
		return failing("brokers.route", catalog.NET004, "P1", args, t.ID, subnet), true
	case r.Gateway == "local":
		return Finding{}, false
	case r.Peering != "" || r.TransitGW != "" || isVPN(r.Gateway):
		return undecidable("brokers.route", fmt.Sprintf("%s routes %s through %s: check by hand that the other side (its route tables, security groups and network ACLs, possibly in another account) routes back to the poller subnets and admits TCP %d",
			subnet, d, r.target(), b.Port), t.ID, r.target()), true
	case isIGW(r.Gateway) && d.Addr().IsPrivate():
		args["reason"] = fmt.Sprintf("the best route (%s) goes to internet gateway %s, which cannot reach a private address", r.Dest, r.Gateway)
		args["cli_fix"] = fmt.Sprintf("aws ec2 create-route --route-table-id %s --destination-cidr-block %s --transit-gateway-id <tgw-id> (or --vpc-peering-connection-id <pcx-id>)", t.ID, d)
		return failing("brokers.route", catalog.NET004, "P1", args, t.ID, subnet), true
	case isIGW(r.Gateway):
		args["reason"] = fmt.Sprintf("the best route (%s) goes to internet gateway %s, but the mapping's network interfaces have no public IP address", r.Dest, r.Gateway)
		args["cli_fix"] = fmt.Sprintf("route 0.0.0.0/0 through a NAT gateway in a public subnet: aws ec2 replace-route --route-table-id %s --destination-cidr-block %s --nat-gateway-id <nat-id>", t.ID, r.Dest)
		return failing("brokers.route", catalog.NET004, "P1", args, t.ID, subnet), true
	}
	return Finding{}, false
}

func isIGW(g string) bool { return len(g) > 4 && g[:4] == "igw-" }
func isVPN(g string) bool { return len(g) > 4 && g[:4] == "vgw-" }

// dedupeFindings drops repeated findings (same code and resources).
func dedupeFindings(fs []Finding) []Finding {
	seen := map[string]bool{}
	var out []Finding
	for _, f := range fs {
		k := f.Code + fmt.Sprint(f.Resources) + f.Args["what"] + f.Args["dest"]
		if !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}
	return out
}
