package iac

import (
	"fmt"
	"regexp"
	"strings"
)

// cfnResolver resolves the intrinsic functions whose value is known before
// deploy: Ref to a parameter (given with --parameter, or its Default) or to
// a pseudo parameter esmdoctor knows, Fn::Sub, Fn::Join, Fn::Select and
// Fn::Split over known values. Everything else is unknown, with why.
type cfnResolver struct {
	params    map[string]string
	region    string
	resources map[string]any
	// pn, while set, resolves references to subnets and security groups
	// the template creates into placeholder ids (see cfn_network.go).
	pn *cfnPlanned
}

// unknownErr says why a value is not known before deploy.
type unknownErr struct{ why string }

func (u unknownErr) Error() string { return u.why }

// str resolves a value to a string; why is "" when it is known.
func (r *cfnResolver) str(v any) (string, string) {
	out, err := r.value(v)
	if err != nil {
		return "", err.Error()
	}
	switch x := out.(type) {
	case string:
		return x, ""
	case nil:
		return "", ""
	case []any, map[string]any:
		return "", "not a single value"
	}
	return fmt.Sprint(out), ""
}

// strs resolves a list of strings.
func (r *cfnResolver) strs(v any) ([]string, string) {
	out, err := r.value(v)
	if err != nil {
		return nil, err.Error()
	}
	var l []string
	for _, e := range list(out) {
		s, why := r.str(e)
		if why != "" {
			return nil, why
		}
		l = append(l, s)
	}
	return l, ""
}

// value resolves intrinsic functions anywhere in v.
func (r *cfnResolver) value(v any) (any, error) {
	switch x := v.(type) {
	case []any:
		out := make([]any, 0, len(x))
		for _, e := range x {
			rv, err := r.value(e)
			if err != nil {
				return nil, err
			}
			out = append(out, rv)
		}
		return out, nil
	case map[string]any:
		if len(x) == 1 {
			for k, arg := range x {
				if k == "Ref" || strings.HasPrefix(k, "Fn::") || k == "Condition" {
					return r.intrinsic(k, arg)
				}
			}
		}
		out := map[string]any{}
		for k, e := range x {
			rv, err := r.value(e)
			if err != nil {
				return nil, err
			}
			out[k] = rv
		}
		return out, nil
	}
	return v, nil
}

func (r *cfnResolver) intrinsic(fn string, arg any) (any, error) {
	switch fn {
	case "Ref":
		name, _ := arg.(string)
		return r.ref(name)
	case "Fn::GetAtt":
		parts, _ := r.strsLoose(arg)
		if len(parts) == 2 && parts[1] == "GroupId" && r.pn != nil {
			if id, ok := r.pn.resolveRef(parts[0]); ok {
				return id, nil
			}
		}
		return nil, unknownErr{fmt.Sprintf("Fn::GetAtt %s, known after deploy", strings.Join(parts, "."))}
	case "Fn::Sub":
		return r.sub(arg)
	case "Fn::Join":
		l := list(arg)
		if len(l) != 2 {
			return nil, unknownErr{"a malformed Fn::Join"}
		}
		sep, _ := l[0].(string)
		items, why := r.strs(l[1])
		if why != "" {
			return nil, unknownErr{why}
		}
		return strings.Join(items, sep), nil
	case "Fn::Select":
		l := list(arg)
		if len(l) != 2 {
			return nil, unknownErr{"a malformed Fn::Select"}
		}
		i, _ := r.str(l[0])
		items, err := r.value(l[1])
		if err != nil {
			return nil, err
		}
		var n int
		if _, e := fmt.Sscan(i, &n); e != nil || n < 0 || n >= len(list(items)) {
			return nil, unknownErr{"Fn::Select out of range"}
		}
		return list(items)[n], nil
	case "Fn::Split":
		l := list(arg)
		if len(l) != 2 {
			return nil, unknownErr{"a malformed Fn::Split"}
		}
		sep, _ := l[0].(string)
		s, why := r.str(l[1])
		if why != "" {
			return nil, unknownErr{why}
		}
		var out []any
		for _, p := range strings.Split(s, sep) {
			out = append(out, p)
		}
		return out, nil
	}
	return nil, unknownErr{fn + ": an intrinsic function esmdoctor does not resolve before deploy"}
}

// strsLoose reads a GetAtt argument ([A, B] or "A.B").
func (r *cfnResolver) strsLoose(arg any) ([]string, string) {
	if s, ok := arg.(string); ok {
		return strings.SplitN(s, ".", 2), ""
	}
	var out []string
	for _, e := range list(arg) {
		out = append(out, str(e))
	}
	return out, ""
}

// ref resolves a Ref: a parameter, a pseudo parameter, or a resource's
// physical id (known after deploy).
func (r *cfnResolver) ref(name string) (any, error) {
	if v, ok := r.params[name]; ok {
		return v, nil
	}
	switch name {
	case "AWS::Region":
		if r.region != "" {
			return r.region, nil
		}
	case "AWS::Partition":
		return "aws", nil
	case "AWS::URLSuffix":
		return "amazonaws.com", nil
	}
	if strings.HasPrefix(name, "AWS::") {
		return nil, unknownErr{"Ref " + name + ", known at deploy"}
	}
	if _, ok := r.resources[name]; ok {
		if r.pn != nil {
			if id, ok := r.pn.resolveRef(name); ok {
				return id, nil
			}
		}
		return nil, unknownErr{"Ref " + name + " (the resource's physical id), known after deploy"}
	}
	return nil, unknownErr{"Ref " + name + ": a parameter without a value (give --parameter " + name + "=VALUE) or an unknown name"}
}

var subVar = regexp.MustCompile(`\$\{([^}]+)\}`)

// sub resolves Fn::Sub: a string, or [string, {Name: value}].
func (r *cfnResolver) sub(arg any) (any, error) {
	tmpl, vars := "", map[string]any{}
	switch x := arg.(type) {
	case string:
		tmpl = x
	case []any:
		if len(x) == 2 {
			tmpl, _ = x[0].(string)
			vars = mapOf(x[1])
		}
	}
	var err error
	out := subVar.ReplaceAllStringFunc(tmpl, func(m string) string {
		name := m[2 : len(m)-1]
		if strings.HasPrefix(name, "!") {
			return "${" + name[1:] + "}"
		}
		var v any
		var e error
		switch {
		case vars[name] != nil:
			v, e = r.value(vars[name])
		case strings.Contains(name, "."):
			e = unknownErr{"Fn::Sub ${" + name + "}, known after deploy"}
		default:
			v, e = r.ref(name)
		}
		if e != nil && err == nil {
			err = e
		}
		return str(v)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
