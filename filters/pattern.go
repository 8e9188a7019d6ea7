// Package filters evaluates Lambda event-filtering patterns (the
// EventBridge pattern language as Lambda documents it for Kafka event
// source mappings) against records in the shape Lambda builds for them.
// It is pure: no network, no clock, no package state.
//
// The semantics follow AWS's own matcher, event-ruler, which the
// integration test runs as an agreement peer over testdata/cases.jsonl.
package filters

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// maxPatternBytes bounds one filter pattern, as Lambda does (4096 bytes).
const maxPatternBytes = 4096

// ErrInvalidPattern wraps every reason a pattern is refused.
var ErrInvalidPattern = errors.New("invalid filter pattern")

// Pattern is one compiled filter pattern: an object whose leaves are
// arrays of conditions.
type Pattern struct {
	root *object
}

// object is one level of a pattern: field conditions, all of which must
// hold, plus $or alternatives, one of which must hold per $or.
type object struct {
	fields []field
	ors    [][]*object
}

// field is one named member of a pattern object: either a nested object
// or a leaf list of conditions (any may match).
type field struct {
	name  string
	child *object
	conds []cond
}

// Compile parses and validates one pattern string.
func Compile(src string) (*Pattern, error) {
	if len(src) > maxPatternBytes {
		return nil, fmt.Errorf("%w: %d bytes (at most %d)", ErrInvalidPattern, len(src), maxPatternBytes)
	}
	v, err := decode([]byte(src))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidPattern, err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: a pattern is a JSON object", ErrInvalidPattern)
	}
	root, err := compileObject(m)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidPattern, err)
	}
	return &Pattern{root: root}, nil
}

// decode reads one JSON document with numbers kept exact, refusing
// trailing data.
func decode(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, errors.New("trailing data after the JSON value")
	}
	return v, nil
}

// compileObject compiles one pattern object.
func compileObject(m map[string]any) (*object, error) {
	if len(m) == 0 {
		return nil, errors.New("empty object in pattern")
	}
	o := &object{}
	for _, name := range sortedKeys(m) {
		if name == "$or" {
			alts, err := compileOr(m[name])
			if err != nil {
				return nil, err
			}
			o.ors = append(o.ors, alts)
			continue
		}
		f, err := compileField(name, m[name])
		if err != nil {
			return nil, err
		}
		o.fields = append(o.fields, f)
	}
	return o, nil
}

// compileOr compiles the alternatives of a $or: at least two objects.
func compileOr(v any) ([]*object, error) {
	arr, ok := v.([]any)
	if !ok || len(arr) < 2 {
		return nil, errors.New("$or needs an array of at least two objects")
	}
	alts := make([]*object, 0, len(arr))
	for _, a := range arr {
		m, ok := a.(map[string]any)
		if !ok {
			return nil, errors.New("$or alternatives must be objects")
		}
		o, err := compileObject(m)
		if err != nil {
			return nil, err
		}
		alts = append(alts, o)
	}
	return alts, nil
}

// compileField compiles a nested object or a leaf condition list.
func compileField(name string, v any) (field, error) {
	switch t := v.(type) {
	case map[string]any:
		child, err := compileObject(t)
		return field{name: name, child: child}, err
	case []any:
		if len(t) == 0 {
			return field{}, fmt.Errorf("field %q: empty condition list", name)
		}
		conds := make([]cond, 0, len(t))
		for _, c := range t {
			cc, err := compileCond(c)
			if err != nil {
				return field{}, fmt.Errorf("field %q: %w", name, err)
			}
			conds = append(conds, cc)
		}
		return field{name: name, conds: conds}, nil
	default:
		return field{}, fmt.Errorf("field %q: a value must be an object or an array", name)
	}
}
