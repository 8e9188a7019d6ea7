package checks

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/esmdoctor/esmdoctor/awsprobe"
)

// On an MSK IAM listener Kafka ACLs do not apply: the identity's IAM policy
// must allow kafka-cluster:* actions on the cluster, topic and group ARNs
// (esm-problems.md section 4). These helpers name the action each missing
// ACL corresponds to and the exact resource ARN a policy must allow.

// iamAction is the kafka-cluster action that replaces an ACL on IAM.
func iamAction(a acl) string {
	switch {
	case a.Resource == "Topic" && a.Operation == "Describe":
		return "kafka-cluster:DescribeTopic"
	case a.Resource == "Topic":
		return "kafka-cluster:ReadData"
	case a.Resource == "Group" && a.Operation == "Describe":
		return "kafka-cluster:DescribeGroup"
	case a.Resource == "Group":
		return "kafka-cluster:AlterGroup"
	}
	return "kafka-cluster:DescribeClusterDynamicConfiguration"
}

// iamGrant is one action on one resource ARN.
type iamGrant struct{ Action, Resource string }

func (g iamGrant) String() string { return g.Action + " on " + g.Resource }

// grantFor maps a missing ACL to its IAM grant.
func grantFor(s *State, a acl) iamGrant {
	switch a.Resource {
	case "Topic":
		return iamGrant{iamAction(a), clusterResource(s, "topic", a.Name)}
	case "Group":
		return iamGrant{iamAction(a), clusterResource(s, "group", a.Name)}
	}
	return iamGrant{iamAction(a), clusterResource(s, "cluster", "")}
}

// clusterResource renders an MSK IAM resource ARN of kind cluster, topic or
// group (name is the topic or group). Parts esmdoctor does not know (no
// cluster ARN given) are written as <placeholders>.
func clusterResource(s *State, kind, name string) string {
	partition, account, cname, cuuid := "aws", "<account>", "<cluster-name>", "<cluster-uuid>"
	if s.AWS.identity != nil && s.AWS.identity.Account != "" {
		account = s.AWS.identity.Account
	}
	if c := s.AWS.cluster; c != nil {
		partition, account = c.Partition, c.Account
		if p := strings.Split(c.Resource, "/"); len(p) == 3 {
			cname, cuuid = p[1], p[2]
		}
	}
	arn := fmt.Sprintf("arn:%s:kafka:%s:%s:%s/%s/%s", partition, clusterRegion(s), account, kind, cname, cuuid)
	if name != "" {
		arn += "/" + name
	}
	return arn
}

// policyHolder names what a policy must be attached to: the role of an
// assumed-role session, else the identity itself.
func policyHolder(identity string) string {
	a, ok := awsprobe.ParseARN(identity)
	if p := strings.Split(a.Resource, "/"); ok && a.Service == "sts" && len(p) == 3 && p[0] == "assumed-role" {
		return "role " + p[1]
	}
	return identity
}

// iamFix renders the policy statement that grants what is missing.
func iamFix(s *State, grants []iamGrant) string {
	actions, resources := map[string]bool{}, map[string]bool{}
	for _, g := range grants {
		actions[g.Action], resources[g.Resource] = true, true
	}
	stmt := struct {
		Effect   string
		Action   []string
		Resource []string
	}{"Allow", keys(actions), keys(resources)}
	doc, _ := json.Marshal(stmt)
	return fmt.Sprintf("add this statement to the IAM policy of %s (with kafka-cluster:Connect on %s; changes can take minutes to apply): %s",
		policyHolder(s.caller()), clusterResource(s, "cluster", ""), doc)
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func grantList(gs []iamGrant) string {
	var out []string
	for _, g := range gs {
		out = append(out, g.String())
	}
	return strings.Join(out, ", ")
}
