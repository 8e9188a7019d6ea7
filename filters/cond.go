package filters

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// cond is one leaf condition. present says whether the event has a leaf
// value at the field's path; v is that value (a string, json.Number,
// bool or nil for JSON null).
type cond interface {
	match(v any, present bool) bool
}

// exact matches one JSON scalar exactly (numbers numerically).
type exact struct{ want any }

// stringTest matches strings by a predicate (prefix, suffix, wildcard, ...).
type stringTest func(string) bool

// exists matches the presence (or absence) of a leaf.
type exists bool

// numeric matches numbers inside a range.
type numeric struct{ r numRange }

// anythingBut matches any present leaf the inner conditions do not match.
type anythingBut struct{ not []cond }

func (c exact) match(v any, present bool) bool {
	if !present {
		return false
	}
	if wn, ok := c.want.(json.Number); ok {
		vn, ok := v.(json.Number)
		return ok && numEqual(wn, vn)
	}
	return v == c.want
}

func (f stringTest) match(v any, present bool) bool {
	s, ok := v.(string)
	return present && ok && f(s)
}

func (e exists) match(_ any, present bool) bool { return present == bool(e) }

func (n numeric) match(v any, present bool) bool {
	vn, ok := v.(json.Number)
	return present && ok && n.r.contains(vn)
}

func (a anythingBut) match(v any, present bool) bool {
	if !present {
		return false
	}
	for _, c := range a.not {
		if c.match(v, true) {
			return false
		}
	}
	return true
}

// compileCond compiles one element of a leaf condition list.
func compileCond(v any) (cond, error) {
	switch t := v.(type) {
	case string, json.Number, bool, nil:
		return exact{want: t}, nil
	case map[string]any:
		if len(t) != 1 {
			return nil, errors.New("an operator object has exactly one member")
		}
		for op, arg := range t {
			return compileOperator(op, arg)
		}
	}
	return nil, errors.New("a condition is a scalar or an operator object")
}

// compileOperator compiles {op: arg}.
func compileOperator(op string, arg any) (cond, error) {
	switch op {
	case "prefix", "suffix":
		return compileAffix(op, arg)
	case "equals-ignore-case":
		s, ok := arg.(string)
		if !ok {
			return nil, errors.New("equals-ignore-case takes a string")
		}
		return stringTest(func(v string) bool { return foldEqual(v, s) }), nil
	case "wildcard":
		s, ok := arg.(string)
		if !ok {
			return nil, errors.New("wildcard takes a string")
		}
		w, err := compileWildcard(s)
		if err != nil {
			return nil, err
		}
		return stringTest(w.match), nil
	case "exists":
		b, ok := arg.(bool)
		if !ok {
			return nil, errors.New("exists takes true or false")
		}
		return exists(b), nil
	case "numeric":
		r, err := compileNumeric(arg)
		return numeric{r: r}, err
	case "anything-but":
		return compileAnythingBut(arg)
	}
	return nil, fmt.Errorf("unsupported operator %q", op)
}

// compileAffix compiles prefix/suffix with a string or {"equals-ignore-case": s}.
func compileAffix(op string, arg any) (cond, error) {
	fold := false
	if m, ok := arg.(map[string]any); ok && len(m) == 1 {
		if inner, ok := m["equals-ignore-case"]; ok {
			arg, fold = inner, true
		}
	}
	s, ok := arg.(string)
	if !ok {
		return nil, fmt.Errorf("%s takes a string", op)
	}
	has := strings.HasPrefix
	if op == "suffix" {
		has = strings.HasSuffix
	}
	if fold {
		ls := foldLower(s)
		return stringTest(func(v string) bool { return has(foldLower(v), ls) }), nil
	}
	return stringTest(func(v string) bool { return has(v, s) }), nil
}

// compileAnythingBut compiles anything-but with a scalar, an array of
// scalars of one type, or a prefix/suffix/equals-ignore-case/wildcard object.
func compileAnythingBut(arg any) (cond, error) {
	switch t := arg.(type) {
	case string, json.Number:
		return anythingBut{not: []cond{exact{want: t}}}, nil
	case []any:
		return anythingButList(t)
	case map[string]any:
		if len(t) != 1 {
			return nil, errors.New("anything-but object has exactly one member")
		}
		for op, inner := range t {
			return anythingButOperator(op, inner)
		}
	}
	return nil, errors.New("anything-but takes a string, a number, an array or an operator object")
}

// anythingButList compiles anything-but [v1, v2, ...].
func anythingButList(arr []any) (cond, error) {
	if len(arr) == 0 {
		return nil, errors.New("anything-but needs at least one value")
	}
	var not []cond
	_, strs := arr[0].(string)
	for _, e := range arr {
		_, isStr := e.(string)
		_, isNum := e.(json.Number)
		if (!isStr && !isNum) || isStr != strs {
			return nil, errors.New("anything-but values are all strings or all numbers")
		}
		not = append(not, exact{want: e})
	}
	return anythingBut{not: not}, nil
}

// anythingButOperator compiles anything-but {prefix|suffix|equals-ignore-case|wildcard: ...}.
func anythingButOperator(op string, inner any) (cond, error) {
	switch op {
	case "prefix", "suffix", "wildcard":
		c, err := compileOperator(op, inner)
		if err != nil {
			return nil, err
		}
		return anythingBut{not: []cond{c}}, nil
	case "equals-ignore-case":
		vals, ok := inner.([]any)
		if !ok {
			vals = []any{inner}
		}
		var not []cond
		for _, v := range vals {
			c, err := compileOperator(op, v)
			if err != nil {
				return nil, err
			}
			not = append(not, c)
		}
		return anythingBut{not: not}, nil
	}
	return nil, fmt.Errorf("anything-but does not take %q", op)
}
