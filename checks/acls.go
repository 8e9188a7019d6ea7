package checks

import (
	"fmt"
	"strings"
)

// acl is one ACL the mapping's principal needs.
type acl struct {
	Resource  string // Topic, Group, Cluster
	Name      string
	Operation string // Read, Describe, DescribeConfigs
}

func (a acl) String() string {
	if a.Resource == "Cluster" {
		return fmt.Sprintf("%s on Cluster", a.Operation)
	}
	return fmt.Sprintf("%s on %s %q", a.Operation, a.Resource, a.Name)
}

// requiredACLs are the ACLs a mapping needs (esm-problems.md section 4).
func requiredACLs(topic, group string) []acl {
	return []acl{
		{"Cluster", "kafka-cluster", "DescribeConfigs"},
		{"Group", group, "Describe"},
		{"Group", group, "Read"},
		{"Topic", topic, "Describe"},
		{"Topic", topic, "Read"},
	}
}

// aclFix renders the kafka-acls commands that grant the missing ACLs.
func aclFix(principal, bootstrap string, missing []acl) string {
	if principal == "" {
		principal = "User:<principal>"
	}
	var cmds []string
	for _, a := range missing {
		target := "--cluster"
		switch a.Resource {
		case "Topic":
			target = "--topic " + a.Name
		case "Group":
			target = "--group " + a.Name
		}
		cmds = append(cmds, fmt.Sprintf("kafka-acls --bootstrap-server %s --command-config admin.properties --add --allow-principal %s --operation %s %s",
			bootstrap, principal, a.Operation, target))
	}
	return "grant the missing ACLs (changes can take minutes to apply): " + strings.Join(cmds, " ; ")
}
