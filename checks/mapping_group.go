package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/catalog"
)

// Lambda's poller group limits (reference section 8).
const (
	maxGroupMappings = 100
	maxGroupPollers  = 2000
	// defaultMaxPollers is MaximumPollers when ProvisionedPollerConfig
	// leaves it out.
	defaultMaxPollers = 200
	// maxMembersListed bounds the member list a finding prints.
	maxMembersListed = 5
)

// pollerGroupFindings weighs the poller group the mapping names
// (ProvisionedPollerConfig.PollerGroupName) against Lambda's limits: at
// most 100 mappings whose maximum pollers add up to at most 2000. The
// group's members are the account's mappings of the Region naming it
// (ListEventSourceMappings, every page); self is the mapping itself, whose
// effective MaximumPollers (the flag's, else its own) is counted once.
func pollerGroupFindings(ctx context.Context, s *State, sess *awsprobe.Session, self string) ([]Outcome, []string) {
	group := s.pollerGroup()
	if group == "" {
		return nil, nil
	}
	all, err := sess.AccountMappings(ctx, s.Step)
	if err != nil {
		return []Outcome{warn(catalog.MAPPING112, Args{"group": group, "detail": awsErrorText(err)})}, nil
	}
	own := max(s.maximumPollers(), 1)
	count, sum := 1, int(own)
	var members []string
	for _, m := range all {
		p := m.Settings.Provisioned
		if p == nil || p.Group != group || (self != "" && m.UUID == self) {
			continue
		}
		n := p.Maximum
		if n == 0 {
			n = defaultMaxPollers
		}
		count, sum = count+1, sum+int(n)
		members = append(members, fmt.Sprintf("%s (%d)", m.UUID, n))
	}
	note := fmt.Sprintf("poller group %s: %d mapping(s) with this one, MaximumPollers adding up to %d (limits: %d mappings, %d pollers)",
		group, count, sum, maxGroupMappings, maxGroupPollers)
	args := Args{"group": group, "count": fmt.Sprint(count), "sum": fmt.Sprint(sum), "own": fmt.Sprint(own), "members": memberList(members)}
	var found []Outcome
	if count > maxGroupMappings {
		found = append(found, warn(catalog.MAPPING110, args))
	}
	if sum > maxGroupPollers {
		found = append(found, warn(catalog.MAPPING111, args))
	}
	return found, []string{note}
}

// memberList names the first few members (UUID and MaximumPollers).
func memberList(members []string) string {
	if len(members) == 0 {
		return "no other"
	}
	if len(members) <= maxMembersListed {
		return "others: " + strings.Join(members, ", ")
	}
	return fmt.Sprintf("others: %s and %d more", strings.Join(members[:maxMembersListed], ", "), len(members)-maxMembersListed)
}
