package checks

import (
	"context"
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/netaudit"
)

var networkCheck = Check{
	ID:    "network",
	Title: "the mapping's network lets its pollers reach the brokers and AWS",
	Needs: []string{"sts", "cluster"},
	Run:   runNetwork,
}

// runNetwork reads the pollers' VPC through EC2 describe calls and applies
// netaudit's rules: collect -> analyze -> result.
func runNetwork(ctx context.Context, s *State) Outcome {
	a := s.Cfg.AWS
	if a == nil {
		return notApplicable("no AWS input: give --region, --event-source-arn, --esm or the mapping's VPC access configurations")
	}
	pollers, where := pollerPlacement(s)
	if len(pollers.Subnets) == 0 {
		return notApplicable(where)
	}
	sess, err := s.session(ctx)
	if err != nil {
		return notAudited(s, "network", Args{"operation": "DescribeSubnets", "caller": s.caller(), "api_code": "no AWS configuration", "detail": shortErr(err, "")})
	}
	// The pollers' own POLLER_STATUS_EVENTs, when the mapping logs them,
	// say which security groups and subnet they really use.
	logged := loggedNetwork(ctx, s)
	seen := withLoggedGroups(&pollers, logged)
	nodes, nodeNote := brokerNodes(ctx, s, sess)
	brokers, ips := brokerAddrs(ctx, s, pollers, nodes)
	rd := sess.Network(ctx, networkQuery(s, pollers, ips), s.Step)
	if rd.Err != nil {
		return notAudited(s, "network", awsFailureArgs(s, rd.Operation, rd.Err))
	}
	n := rd.Net
	if p := a.Planned; p != nil {
		p.Merge(&n)
	}
	seen = append(seen, withLoggedSubnet(&pollers, logged, n.Subnets)...)
	n.Pollers, n.Brokers = pollers, locate(brokers, rd.ENIs, s.region(), rd.ENIError)
	var brokerNote string
	if s.AWS.clusterNet != nil {
		n.Brokers, brokerNote = mskBrokers(n.Brokers, pollers)
	}
	n.Mode, n.Services, n.Destination = pollerMode(s), services(s), netaudit.DestinationService(destinationOf(s))
	n.RoleARN, n.FunctionARN = auditRole(s), functionARN(s)
	detail := append([]string{where}, seen...)
	detail = append(detail, fmt.Sprintf("read with %d EC2 calls in %s (%s)%s", rd.Calls, rd.Elapsed, n.Mode, truncated(rd.Truncated)))
	if p := a.Planned; p != nil {
		detail = append(detail, plannedNote(p))
	}
	for _, note := range []string{nodeNote, brokerNote} {
		if note != "" {
			detail = append(detail, note)
		}
	}
	if len(rd.Unread) > 0 {
		detail = append(detail, "managed prefix lists not read (their rules are checked by hand): "+strings.Join(rd.Unread, ", "))
	}
	return findingsOutcome(netaudit.Analyze(n), detail)
}

// pollerPlacement is where the mapping's network interfaces sit.
func pollerPlacement(s *State) (netaudit.Placement, string) {
	if s.AWS.clusterNet != nil {
		p := *s.AWS.clusterNet
		return p, fmt.Sprintf("pollers: the MSK cluster's subnets %s with its security groups %s", listOrNone(p.Subnets), listOrNone(p.SecurityGroups))
	}
	var p netaudit.Placement
	for _, ac := range s.accessConfigs() {
		switch ac.Type {
		case typeSubnet:
			p.Subnets = append(p.Subnets, strings.TrimPrefix(ac.URI, "subnet:"))
		case typeSG:
			p.SecurityGroups = append(p.SecurityGroups, strings.TrimPrefix(ac.URI, "security_group:"))
		}
	}
	if len(p.Subnets) == 0 {
		return p, "self-managed Kafka without VPC_SUBNET: the pollers reach the brokers over the public internet, so there is no VPC to audit"
	}
	return p, fmt.Sprintf("pollers: the mapping's VPC_SUBNET %s with VPC_SECURITY_GROUP %s", listOrNone(p.Subnets), listOrNone(p.SecurityGroups))
}

func pollerMode(s *State) netaudit.PollerMode {
	if s.Cfg.AWS.Provisioned || s.Cfg.MaximumPollers > 0 || (s.Facts.Mapping != nil && s.Facts.Mapping.Mapping.Provisioned) {
		return netaudit.Provisioned
	}
	return netaudit.OnDemand
}

// services are the AWS services on-demand pollers reach from the VPC.
func services(s *State) []string {
	out := []string{"lambda", "sts"}
	if sec, ca := s.target().Secret, s.target().CA; (sec != nil && sec.ARN != "") || (ca != nil && ca.ARN != "") {
		out = append(out, "secretsmanager")
	}
	if d := netaudit.DestinationService(destinationOf(s)); d != "" {
		out = append(out, d)
	}
	return out
}

func truncated(t bool) string {
	if t {
		return "; some lists were cut at esmdoctor's page bound"
	}
	return ""
}

// networkQuery names what EC2 must describe: the pollers' subnets and
// groups that exist, and the VPCs of those the code creates.
func networkQuery(s *State, pollers netaudit.Placement, ips []netip.Addr) awsprobe.NetworkQuery {
	q := awsprobe.NetworkQuery{Region: s.region(), BrokerIPs: ips}
	p := s.Cfg.AWS.Planned
	for _, id := range pollers.Subnets {
		if p.Has(id) {
			q.VPCs = append(q.VPCs, p.Subnets[id].VPC)
		} else {
			q.Subnets = append(q.Subnets, id)
		}
	}
	for _, id := range pollers.SecurityGroups {
		if !p.Has(id) {
			q.SecurityGroups = append(q.SecurityGroups, id)
		}
	}
	return q
}

// plannedNote says what was evaluated from the code rather than read.
func plannedNote(p *netaudit.Planned) string {
	var ids []string
	for id := range p.Subnets {
		ids = append(ids, id)
	}
	for id := range p.Groups {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return "created by the infrastructure code, evaluated from it: " + strings.Join(ids, ", ") +
		" (a new subnet uses the route table the code associates, else the VPC's main table, and the VPC's default network ACL)"
}
