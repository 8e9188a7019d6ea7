package netaudit

import (
	"encoding/json"
	"fmt"
	"github.com/esmdoctor/esmdoctor/catalog"
	"strings"
)

// Role is the execution role as IAM describes it.
type Role struct {
	ARN, Name string
	// Trust is the trust (assume-role) policy document.
	Trust string
	// Policies are the attached and inline policies, read when
	// SimulatePrincipalPolicy could not be used.
	Policies []PolicyDoc
	// Unread names policies that could not be read, with why.
	Unread []string
}

// PolicyDoc is one of the role's policies.
type PolicyDoc struct {
	Name     string // "inline policy X" or the managed policy's ARN
	Document string
}

// Permissions is what the permission rules look at.
type Permissions struct {
	Role     Role
	Required []Requirement
	// Simulated holds SimulatePrincipalPolicy's decisions by Key; nil when
	// the simulation was not available (SimulateErr says why).
	Simulated   map[string]Decision
	SimulateErr string
}

// Key identifies a requirement in Simulated.
func Key(action, resource string) string { return action + " " + resource }

// AnalyzeRole applies the trust and permission rules.
func AnalyzeRole(p Permissions) []Finding {
	out := trustFindings(p.Role)
	return append(out, permissionFindings(p)...)
}

// trustFindings checks that lambda.amazonaws.com may assume the role
// without setting a source identity (predicting P3).
func trustFindings(r Role) []Finding {
	args := map[string]string{"role": r.ARN, "cli_fix": trustFix(r)}
	pol, err := ParsePolicy(r.Trust)
	if err != nil {
		args["reason"] = err.Error()
		return []Finding{failing("trust", catalog.PERM001, "P3", args, r.ARN)}
	}
	trusted := false
	for _, s := range pol.Statements {
		if !s.Principal.Names(LambdaPrincipal) || !s.matchesAction("sts:AssumeRole") {
			continue
		}
		if s.Effect == "Deny" {
			args["reason"] = "a Deny statement denies it to " + LambdaPrincipal
			return []Finding{failing("trust", catalog.PERM001, "P3", args, r.ARN)}
		}
		if key := sourceIdentityKey(s); key != "" {
			args["condition"] = key
			return []Finding{failing("trust", catalog.PERM002, "P3", args, r.ARN)}
		}
		trusted = true
	}
	if !trusted {
		args["reason"] = "no statement lets " + LambdaPrincipal + " call sts:AssumeRole (principals named: " + principals(pol) + ")"
		return []Finding{failing("trust", catalog.PERM001, "P3", args, r.ARN)}
	}
	return []Finding{passing("trust", fmt.Sprintf("%s trusts %s for sts:AssumeRole, without requiring a source identity", r.ARN, LambdaPrincipal), r.ARN)}
}

// sourceIdentityKey returns the condition that requires a source
// identity, which Lambda never sets.
func sourceIdentityKey(s Statement) string {
	for op, m := range s.Condition {
		for k := range m {
			if strings.EqualFold(k, "sts:SourceIdentity") && !strings.HasPrefix(op, "Null") {
				return op + " " + k
			}
		}
	}
	return ""
}

func principals(p Policy) string {
	var out []string
	for _, s := range p.Statements {
		for k, v := range s.Principal.Kinds {
			out = append(out, k+":"+strings.Join(v, ","))
		}
	}
	return join(out)
}

func trustFix(r Role) string {
	return fmt.Sprintf(`aws iam update-assume-role-policy --role-name %s --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"%s"},"Action":"sts:AssumeRole"}]}'`, r.Name, LambdaPrincipal)
}

// permissionFindings decides every requirement, from the simulation or from
// the role's policies, and reports the missing ones by class.
func permissionFindings(p Permissions) []Finding {
	missing := map[Class][]Requirement{}
	var unknown []string
	for _, q := range p.Required {
		d, why := decide(p, q)
		switch d {
		case Allowed:
		case Unknown:
			unknown = append(unknown, fmt.Sprintf("%s on %s (%s)", q.Action, q.Resource, why))
		default:
			missing[q.Class] = append(missing[q.Class], q)
		}
	}
	var out []Finding
	for _, c := range []struct {
		class         Class
		code, problem string
		warn          bool
	}{{ClassConnect, catalog.PERM003, "P4", false}, {ClassData, catalog.PERM004, "P5", false}, {ClassControl, catalog.PERM005, "", false},
		{ClassSecret, catalog.PERM006, "", false}, {ClassDest, catalog.PERM007, "", false},
		{ClassRegistry, catalog.REGISTRY013, "", false}, {ClassOptional, catalog.PERM102, "", true},
		{ClassLogs, catalog.PERM104, "", true}, {ClassWebIdentity, catalog.TOKEN056, "", false}} {
		if qs := missing[c.class]; len(qs) > 0 {
			args := map[string]string{"role": p.Role.ARN, "missing": describeReqs(qs), "cli_fix": grantFix(p.Role.Name, c.class, qs)}
			if c.warn {
				out = append(out, warning("permissions."+string(c.class), c.code, args, p.Role.ARN))
			} else {
				out = append(out, failing("permissions."+string(c.class), c.code, c.problem, args, p.Role.ARN))
			}
		}
	}
	if w, ok := unverified(p, unknown); ok {
		out = append(out, w)
	}
	if len(out) == 0 {
		out = append(out, passing("permissions", fmt.Sprintf("%s may perform all %d required actions (%s)", p.Role.ARN, len(p.Required), source(p)), p.Role.ARN))
	}
	return out
}

func decide(p Permissions, q Requirement) (Decision, string) {
	if p.Simulated != nil {
		d, ok := p.Simulated[Key(q.Action, q.Resource)]
		if !ok {
			return Unknown, "the simulation returned no decision"
		}
		if d == Unknown {
			return d, "the simulation could not decide"
		}
		return d, "simulated"
	}
	var named []NamedPolicy
	for _, d := range p.Role.Policies {
		pol, err := ParsePolicy(d.Document)
		if err != nil {
			return Unknown, d.Name + ": " + err.Error()
		}
		named = append(named, NamedPolicy{Name: d.Name, Policy: pol})
	}
	return Evaluate(named, q.Action, q.Resource)
}

func source(p Permissions) string {
	if p.Simulated != nil {
		return "iam:SimulatePrincipalPolicy"
	}
	return fmt.Sprintf("read from the role's %d policies", len(p.Role.Policies))
}

// unverified is the warning that says what could not be verified.
func unverified(p Permissions, unknown []string) (Finding, bool) {
	var what []string
	if p.Simulated == nil {
		what = append(what, fmt.Sprintf("iam:SimulatePrincipalPolicy was not available (%s), so esmdoctor read the role's policies itself: permission boundaries, service control policies and resource policies were not evaluated", p.SimulateErr))
	}
	if len(p.Role.Unread) > 0 {
		what = append(what, "policies not readable: "+join(p.Role.Unread))
	}
	if len(unknown) > 0 {
		what = append(what, "undecided: "+strings.Join(unknown, "; "))
	}
	if len(what) == 0 {
		return Finding{}, false
	}
	return warning("permissions.unverified", catalog.PERM101, map[string]string{"role": p.Role.ARN, "what": strings.Join(what, "; ")}, p.Role.ARN), true
}

func describeReqs(qs []Requirement) string {
	var out []string
	for _, q := range qs {
		out = append(out, q.Action+" on "+q.Resource)
	}
	return strings.Join(out, ", ")
}

// grantFix is an inline policy granting the missing actions, one statement
// per resource.
func grantFix(role string, c Class, qs []Requirement) string {
	type stmt struct {
		Effect   string
		Action   []string
		Resource string
	}
	byRes := map[string]int{}
	var stmts []stmt
	for _, q := range qs {
		i, ok := byRes[q.Resource]
		if !ok {
			i = len(stmts)
			byRes[q.Resource] = i
			stmts = append(stmts, stmt{Effect: "Allow", Resource: q.Resource})
		}
		stmts[i].Action = append(stmts[i].Action, q.Action)
	}
	doc, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": stmts})
	return fmt.Sprintf("aws iam put-role-policy --role-name %s --policy-name esm-%s --policy-document '%s'", role, c, doc)
}
