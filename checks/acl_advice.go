package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/IBM/sarama"
)

// PlaceholderGroup is the group esmdoctor checks when no --consumer-group
// is given. It is not the mapping's group: that is the mapping's UUID, or
// its ConsumerGroupId.
const PlaceholderGroup = "esmdoctor-probe"

// denyBinding is a DENY ACL binding that matches an operation the
// principal needs.
type denyBinding struct {
	need     acl
	resource sarama.Resource
	binding  sarama.Acl
}

// String renders the binding as kafka-acls --list shows it.
func (d denyBinding) String() string {
	rt, pt := d.resource.ResourceType, d.resource.ResourcePatternType
	op := d.binding.Operation
	return fmt.Sprintf("(principal=%s, host=%s, operation=%s, permissionType=DENY) on %s:%s:%s",
		d.binding.Principal, d.binding.Host, op.String(), rt.String(), strings.ToUpper(pt.String()), d.resource.ResourceName)
}

// removeCommand is the kafka-acls command that deletes the binding.
func (d denyBinding) removeCommand(bootstrap string) string {
	rt, pt := d.resource.ResourceType, d.resource.ResourcePatternType
	op := d.binding.Operation
	target := "--cluster"
	switch rt {
	case sarama.AclResourceTopic:
		target = "--topic " + d.resource.ResourceName
	case sarama.AclResourceGroup:
		target = "--group " + d.resource.ResourceName
	}
	return fmt.Sprintf("kafka-acls --bootstrap-server %s --command-config admin.properties --remove --deny-principal %s --deny-host %s --operation %s %s --resource-pattern-type %s",
		bootstrap, d.binding.Principal, d.binding.Host, op.String(), target, strings.ToLower(pt.String()))
}

// aclOutcomeArgs fills the principal, missing and acl_fix arguments of an
// ACL failure. Kafka's authorizer answers "denied" the same for a missing
// ALLOW and for a DENY (DENY wins over every ALLOW), so when the principal
// may describe ACLs the DENY bindings that apply are named, and otherwise
// the fix says how to look for them. A missing ACL on the placeholder group
// says it is not the mapping's own group.
func aclOutcomeArgs(ctx context.Context, s *State, via string, missing []acl) Args {
	denies, visible := findDenies(ctx, s, via, missing)
	var parts, fixes []string
	var grant []acl
	for _, a := range missing {
		d, denied := denies[a]
		if !denied {
			parts = append(parts, a.String())
			grant = append(grant, fixGroupName(a))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s (denied by the DENY binding %s: DENY wins over any ALLOW)", a, d))
		fixes = append(fixes, d.removeCommand(via))
	}
	text := strings.Join(parts, ", ")
	if note := placeholderNote(s, missing); note != "" {
		text += "; " + note
	}
	var fix []string
	if len(fixes) > 0 {
		fix = append(fix, "remove the DENY binding (a DENY overrides every ALLOW): "+strings.Join(fixes, " ; "))
	}
	if len(grant) > 0 {
		fix = append(fix, aclFix(s.Principal, via, grant))
		if !visible {
			fix = append(fix, denyHint(s, via))
		}
	}
	return Args{"principal": principalName(s), "missing": text, "acl_fix": strings.Join(fix, "; "), "group": s.Cfg.ConsumerGroup}
}

// denyHint tells how to find a DENY the principal cannot see itself.
func denyHint(s *State, via string) string {
	p := principalName(s)
	return fmt.Sprintf("if these ALLOW ACLs already exist, a DENY ACL is overriding them (DENY wins over every ALLOW, also a DENY on a prefixed or '*' resource or for User:*): "+
		"list the principal's ACLs with kafka-acls --bootstrap-server %s --command-config admin.properties --list --principal %s (and --principal 'User:*'), and remove the DENY",
		via, p)
}

// placeholderNote explains that a missing group ACL concerns esmdoctor's
// placeholder group, not the mapping's own.
func placeholderNote(s *State, missing []acl) string {
	if s.Cfg.ConsumerGroup != PlaceholderGroup {
		return ""
	}
	for _, a := range missing {
		if a.Resource == "Group" {
			return fmt.Sprintf("group %q is esmdoctor's placeholder, checked because no --consumer-group was given: the mapping's own group is its UUID (or its ConsumerGroupId), which may have different ACLs; rerun with --consumer-group <the mapping's UUID or ConsumerGroupId>, or with --esm to read it from the mapping", PlaceholderGroup)
		}
	}
	return ""
}

// placeholderDetail is the group check's first observation when it runs
// against the placeholder group: which group, and why.
func placeholderDetail(s *State) []string {
	if s.Cfg.ConsumerGroup != PlaceholderGroup {
		return nil
	}
	return []string{fmt.Sprintf("group checked: %s, esmdoctor's placeholder (no --consumer-group given); the mapping's own group is its UUID or its ConsumerGroupId: give it with --consumer-group, or read it with --esm", PlaceholderGroup)}
}

// fixGroupName replaces the placeholder group in a fix by what the user
// must put there.
func fixGroupName(a acl) acl {
	if a.Resource == "Group" && a.Name == PlaceholderGroup {
		a.Name = "<the mapping's UUID or ConsumerGroupId>"
	}
	return a
}

// findDenies asks the broker (DescribeAcls, read-only) for DENY bindings
// that match each missing ACL: same resource (literal, prefixed or '*',
// Kafka's MATCH filter), the principal or User:*, the operation or All.
// visible is false when the principal may not describe ACLs (it needs
// Describe on the cluster) or the broker has no authorizer.
func findDenies(ctx context.Context, s *State, via string, missing []acl) (map[acl]denyBinding, bool) {
	out := map[acl]denyBinding{}
	if via == "" || s.Principal == "" {
		return out, false
	}
	for _, a := range missing {
		name := a.Name
		res, err := request(ctx, s, via, func(b *sarama.Broker) (*sarama.DescribeAclsResponse, error) {
			return b.DescribeAcls(&sarama.DescribeAclsRequest{Version: 1, AclFilter: sarama.AclFilter{Version: 1,
				ResourceType: resourceType(a.Resource), ResourceName: &name, ResourcePatternTypeFilter: sarama.AclPatternMatch,
				Operation: sarama.AclOperationAny, PermissionType: sarama.AclPermissionDeny}})
		})
		if err != nil || res.Err != sarama.ErrNoError {
			return out, false
		}
		if d, ok := matchDeny(a, s.Principal, res.ResourceAcls); ok {
			out[a] = d
		}
	}
	return out, true
}

// matchDeny picks the first DENY binding for principal (or User:*) on the
// operation a needs (or All).
func matchDeny(a acl, principal string, rs []*sarama.ResourceAcls) (denyBinding, bool) {
	for _, r := range rs {
		for _, b := range r.Acls {
			if b == nil || b.PermissionType != sarama.AclPermissionDeny {
				continue
			}
			if b.Principal != principal && b.Principal != "User:*" {
				continue
			}
			if op := b.Operation; op != sarama.AclOperationAll && !strings.EqualFold(op.String(), a.Operation) {
				continue
			}
			return denyBinding{need: a, resource: r.Resource, binding: *b}, true
		}
	}
	return denyBinding{}, false
}

func resourceType(r string) sarama.AclResourceType {
	switch r {
	case "Topic":
		return sarama.AclResourceTopic
	case "Group":
		return sarama.AclResourceGroup
	}
	return sarama.AclResourceCluster
}
