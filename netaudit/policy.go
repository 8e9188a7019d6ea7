package netaudit

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// Decision is what a policy says of one request.
type Decision string

// Decisions, named as SimulatePrincipalPolicy names them, plus Unknown for a
// statement esmdoctor cannot evaluate (a condition, a principal it cannot
// match).
const (
	Allowed      Decision = "allowed"
	ExplicitDeny Decision = "explicitDeny"
	ImplicitDeny Decision = "implicitDeny"
	Unknown      Decision = "unknown"
)

// Policy is a parsed IAM policy document.
type Policy struct {
	Statements []Statement
}

// Statement is one policy statement; string-or-list members are lists.
type Statement struct {
	Sid                   string
	Effect                string
	Principal             Principal
	Action, NotAction     []string
	Resource, NotResource []string
	HasCondition          bool
	Condition             map[string]map[string]json.RawMessage
}

// Principal is a statement's principal: "*" or a map of kind to values.
type Principal struct {
	Any   bool
	Kinds map[string][]string // "AWS", "Service", "Federated"
}

// maxPolicyBytes bounds a policy document (IAM's largest managed policy is
// 6,144 characters; trust policies 4,096; endpoint policies 20,480).
const maxPolicyBytes = 64 << 10

// ParsePolicy parses a policy document; IAM returns documents URL-encoded,
// so an encoded document is decoded first.
func ParsePolicy(doc string) (Policy, error) {
	if len(doc) > maxPolicyBytes {
		return Policy{}, fmt.Errorf("policy document of %d bytes exceeds %d", len(doc), maxPolicyBytes)
	}
	if t := strings.TrimSpace(doc); t != "" && !strings.HasPrefix(t, "{") {
		if d, err := url.QueryUnescape(t); err == nil {
			doc = d
		}
	}
	var raw struct {
		Statement json.RawMessage
	}
	if err := json.Unmarshal([]byte(doc), &raw); err != nil {
		return Policy{}, fmt.Errorf("policy document is not JSON: %w", err)
	}
	var list []json.RawMessage
	if err := json.Unmarshal(raw.Statement, &list); err != nil {
		list = []json.RawMessage{raw.Statement}
	}
	var p Policy
	for _, r := range list {
		s, err := parseStatement(r)
		if err != nil {
			return Policy{}, err
		}
		p.Statements = append(p.Statements, s)
	}
	return p, nil
}

func parseStatement(r json.RawMessage) (Statement, error) {
	var raw struct {
		Sid, Effect                              string
		Principal                                json.RawMessage
		Action, NotAction, Resource, NotResource json.RawMessage
		Condition                                map[string]map[string]json.RawMessage
	}
	if err := json.Unmarshal(r, &raw); err != nil {
		return Statement{}, fmt.Errorf("policy statement: %w", err)
	}
	s := Statement{Sid: raw.Sid, Effect: raw.Effect, Action: strList(raw.Action), NotAction: strList(raw.NotAction),
		Resource: strList(raw.Resource), NotResource: strList(raw.NotResource), Condition: raw.Condition,
		HasCondition: len(raw.Condition) > 0, Principal: parsePrincipal(raw.Principal)}
	return s, nil
}

// strList reads a string-or-list member.
func strList(r json.RawMessage) []string {
	if len(r) == 0 {
		return nil
	}
	var one string
	if json.Unmarshal(r, &one) == nil {
		return []string{one}
	}
	var many []string
	_ = json.Unmarshal(r, &many)
	return many
}

func parsePrincipal(r json.RawMessage) Principal {
	if len(r) == 0 {
		return Principal{}
	}
	var one string
	if json.Unmarshal(r, &one) == nil {
		return Principal{Any: one == "*"}
	}
	var m map[string]json.RawMessage
	_ = json.Unmarshal(r, &m)
	p := Principal{Kinds: map[string][]string{}}
	for k, v := range m {
		p.Kinds[k] = strList(v)
		if k == "AWS" && contains(p.Kinds[k], "*") {
			p.Any = true
		}
	}
	return p
}

// Names says whether the principal includes the service principal svc.
func (p Principal) Names(svc string) bool {
	return p.Any || contains(p.Kinds["Service"], svc)
}

// matchesAction says whether the statement applies to action.
func (s Statement) matchesAction(action string) bool {
	if len(s.NotAction) > 0 {
		return !anyMatch(s.NotAction, action, true)
	}
	return anyMatch(s.Action, action, true)
}

// matchesResource says whether the statement applies to resource.
func (s Statement) matchesResource(resource string) bool {
	if len(s.NotResource) > 0 {
		return !anyMatch(s.NotResource, resource, false)
	}
	return anyMatch(s.Resource, resource, false)
}

func anyMatch(patterns []string, v string, fold bool) bool {
	for _, p := range patterns {
		if fold && wildcard(strings.ToLower(p), strings.ToLower(v)) || !fold && wildcard(p, v) {
			return true
		}
	}
	return false
}

// wildcard matches IAM's * (any run) and ? (one character).
func wildcard(p, v string) bool {
	for len(p) > 0 {
		switch p[0] {
		case '*':
			for i := len(v); i >= 0; i-- {
				if wildcard(p[1:], v[i:]) {
					return true
				}
			}
			return false
		case '?':
			if v == "" {
				return false
			}
		default:
			if v == "" || p[0] != v[0] {
				return false
			}
		}
		p, v = p[1:], v[1:]
	}
	return v == ""
}

// Evaluate decides action on resource under identity-based policies (no
// principal element): an explicit deny wins; a Deny with a condition makes
// the answer Unknown; then an Allow without a condition allows; an Allow
// with one is Unknown. why names the deciding statement.
func Evaluate(policies []NamedPolicy, action, resource string) (d Decision, why string) {
	var allow, condAllow, condDeny string
	for _, np := range policies {
		for _, s := range np.Policy.Statements {
			if !s.matchesAction(action) || !s.matchesResource(resource) {
				continue
			}
			switch {
			case s.Effect == "Deny" && !s.HasCondition:
				return ExplicitDeny, np.label(s)
			case s.Effect == "Deny":
				condDeny = np.label(s) + " (a Deny with a condition)"
			case s.Effect == "Allow" && !s.HasCondition:
				allow = np.label(s)
			case s.Effect == "Allow":
				condAllow = np.label(s) + " (an Allow with a condition)"
			}
		}
	}
	switch {
	case condDeny != "":
		return Unknown, condDeny
	case allow != "":
		return Allowed, allow
	case condAllow != "":
		return Unknown, condAllow
	}
	return ImplicitDeny, ""
}

// NamedPolicy is a parsed policy and where it came from.
type NamedPolicy struct {
	Name   string
	Policy Policy
}

func (np NamedPolicy) label(s Statement) string {
	if s.Sid != "" {
		return np.Name + " statement " + s.Sid
	}
	return np.Name
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
