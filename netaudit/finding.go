package netaudit

import (
	"sort"
	"strings"
)

// Status is a finding's verdict.
type Status string

// Statuses. A rule esmdoctor cannot decide is a Warn, never a Pass.
const (
	Pass Status = "pass"
	Warn Status = "warn"
	Fail Status = "fail"
)

// Finding is the verdict of one rule on a set of resources.
type Finding struct {
	// Rule names the rule ("brokers.ingress", "aws.endpoint", ...).
	Rule   string
	Status Status
	// Code is the catalog code (catalog/codes.go, areas NET and PERM); ""
	// for a pass.
	Code string
	// Problem is the PROBLEM id the failure predicts (P1, P2, P2b, P3, P4,
	// P5), "" when Lambda shows none; the catalog entry of Code names the
	// same one (a test pins that).
	Problem string
	// Resources are the ids and ARNs involved.
	Resources []string
	// Args fill the code's cause and remediation templates; "cli_fix" is an
	// AWS CLI command.
	Args map[string]string
	// Note is what a pass observed.
	Note string
}

// Worst orders findings: failures first, then warnings, then passes,
// keeping the rules' order within each.
func Worst(fs []Finding) []Finding {
	rank := map[Status]int{Fail: 0, Warn: 1, Pass: 2}
	out := append([]Finding(nil), fs...)
	sort.SliceStable(out, func(i, j int) bool { return rank[out[i].Status] < rank[out[j].Status] })
	return out
}

func failing(rule, code, problem string, args map[string]string, resources ...string) Finding {
	return Finding{Rule: rule, Status: Fail, Code: code, Problem: problem, Args: args, Resources: dedupe(resources)}
}

func warning(rule, code string, args map[string]string, resources ...string) Finding {
	return Finding{Rule: rule, Status: Warn, Code: code, Args: args, Resources: dedupe(resources)}
}

func passing(rule, note string, resources ...string) Finding {
	return Finding{Rule: rule, Status: Pass, Note: note, Resources: dedupe(resources)}
}

func dedupe(l []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range l {
		if x != "" && !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func join(l []string) string {
	if len(l) == 0 {
		return "none"
	}
	return strings.Join(l, ", ")
}
