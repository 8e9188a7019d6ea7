package filters

import "sort"

// Match reports whether the event (decoded JSON: maps, slices, strings,
// json.Number, bools, nil) matches the pattern.
func (p *Pattern) Match(event any) bool { return p.root.match(event) }

// match evaluates one pattern object against one event value. An array of
// objects matches when one element satisfies the whole object, so fields
// from different elements never combine.
func (o *object) match(ev any) bool {
	if arr, ok := ev.([]any); ok {
		for _, e := range arr {
			if o.match(e) {
				return true
			}
		}
		return false
	}
	m, _ := ev.(map[string]any)
	for _, f := range o.fields {
		if !f.match(m) {
			return false
		}
	}
	for _, alts := range o.ors {
		if !anyAlt(alts, ev) {
			return false
		}
	}
	return true
}

// anyAlt reports whether one $or alternative matches.
func anyAlt(alts []*object, ev any) bool {
	for _, a := range alts {
		if a.match(ev) {
			return true
		}
	}
	return false
}

// match evaluates one field of a pattern object against the event object m
// (nil when the event value at this level is not an object).
func (f field) match(m map[string]any) bool {
	v, ok := m[f.name]
	if f.child != nil {
		return f.child.match(v)
	}
	return leafMatch(f.conds, v, ok)
}

// leafMatch evaluates a condition list: an array value matches when one of
// its elements does; objects and empty arrays hold no leaf here.
func leafMatch(conds []cond, v any, present bool) bool {
	switch t := v.(type) {
	case []any:
		leaves := 0
		for _, e := range t {
			if !isScalar(e) {
				continue
			}
			leaves++
			if leafMatch(conds, e, true) {
				return true
			}
		}
		return leaves == 0 && leafMatch(conds, nil, false)
	case map[string]any:
		return leafMatch(conds, nil, false)
	}
	for _, c := range conds {
		if c.match(v, present) {
			return true
		}
	}
	return false
}

// isScalar reports whether v is a JSON leaf (not an object or array).
func isScalar(v any) bool {
	switch v.(type) {
	case []any, map[string]any:
		return false
	}
	return true
}

// sortedKeys returns m's keys in order, so compilation is deterministic.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
