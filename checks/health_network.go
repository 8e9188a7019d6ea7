package checks

import (
	"context"
	"fmt"
	"net/netip"
	"slices"

	"github.com/esmdoctor/esmdoctor/esmhealth"
	"github.com/esmdoctor/esmdoctor/netaudit"
)

// loggedNetwork is the pollers' network as their latest
// POLLER_STATUS_EVENT reports it; nil when the mapping's logs are off,
// could not be read (the health check reports why) or hold no such event.
func loggedNetwork(ctx context.Context, s *State) *esmhealth.NetworkConfig {
	lr := s.systemLogs(ctx)
	if lr == nil || lr.Err != nil {
		return nil
	}
	return esmhealth.LatestNetwork(lr.Events)
}

// withLoggedGroups makes the pollers' actual security groups, as they log
// them, the ones the network audit reads and judges.
func withLoggedGroups(p *netaudit.Placement, n *esmhealth.NetworkConfig) []string {
	if n == nil {
		return nil
	}
	lines := []string{pollerNetworkLine(n)}
	if len(n.SecurityGroups) == 0 {
		return lines
	}
	if !sameSet(p.SecurityGroups, n.SecurityGroups) {
		lines = append(lines, fmt.Sprintf("the audit uses the pollers' actual security groups %s (the mapping's configuration names %s)",
			listOrNone(n.SecurityGroups), listOrNone(p.SecurityGroups)))
	}
	p.SecurityGroups = slices.Clone(n.SecurityGroups)
	return lines
}

// withLoggedSubnet narrows the audit to the subnet whose CIDR block the
// pollers log, when it is one of the configured subnets.
func withLoggedSubnet(p *netaudit.Placement, n *esmhealth.NetworkConfig, subnets map[string]netaudit.Subnet) []string {
	if n == nil || n.SubnetCIDRBlock == "" {
		return nil
	}
	cidr, err := netip.ParsePrefix(n.SubnetCIDRBlock)
	if err != nil {
		return []string{fmt.Sprintf("the pollers' logged subnet CIDR %q is not a CIDR block: the configured subnets are audited", n.SubnetCIDRBlock)}
	}
	for _, id := range p.Subnets {
		if sn, ok := subnets[id]; ok && sn.CIDR == cidr.Masked() {
			line := fmt.Sprintf("the audit uses the pollers' actual subnet %s (%s)", id, cidr)
			if len(p.Subnets) > 1 {
				line += " of the configured " + listOrNone(p.Subnets)
			}
			p.Subnets = []string{id}
			return []string{line}
		}
	}
	return []string{fmt.Sprintf("the pollers' logged subnet CIDR %s matches none of the configured subnets %s: the configured subnets are audited", cidr, listOrNone(p.Subnets))}
}
