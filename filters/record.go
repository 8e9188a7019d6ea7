package filters

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// maxFilters is how many patterns one FilterCriteria may hold.
const maxFilters = 5

// Header is one Kafka record header.
type Header struct {
	Key   string
	Value []byte
}

// Record is one Kafka record as a poller reads it.
type Record struct {
	Topic         string
	Partition     int32
	Offset        int64
	Timestamp     int64 // milliseconds since the epoch
	TimestampType string
	Key           []byte
	Value         []byte
	Headers       []Header
}

// ValueKind says how Lambda sees a record's value when filtering.
type ValueKind string

// The value kinds.
const (
	ValueJSON   ValueKind = "json"   // valid JSON: patterns address its fields
	ValueString ValueKind = "string" // UTF-8 text that is not JSON: matched as one plain string
	ValueBinary ValueKind = "binary" // not UTF-8: matched as its base64 text, as in the payload
	ValueNull   ValueKind = "null"   // a tombstone (no value)
)

// Kind classifies a value the way the filter sees it.
func Kind(v []byte) ValueKind {
	switch {
	case v == nil:
		return ValueNull
	case !utf8.Valid(v):
		return ValueBinary
	case json.Valid(v):
		return ValueJSON
	}
	return ValueString
}

// Event builds the JSON event Lambda filters for one record: the record
// as the function receives it (key base64, headers as byte arrays), except
// that value is decoded as JSON when it is JSON and is a plain string
// when it is other UTF-8 text.
func Event(r Record) map[string]any {
	ev := map[string]any{
		"topic":         r.Topic,
		"partition":     json.Number(strconv.FormatInt(int64(r.Partition), 10)),
		"offset":        json.Number(strconv.FormatInt(r.Offset, 10)),
		"timestamp":     json.Number(strconv.FormatInt(r.Timestamp, 10)),
		"timestampType": r.TimestampType,
		"headers":       headers(r.Headers),
	}
	if r.Key != nil {
		ev["key"] = base64.StdEncoding.EncodeToString(r.Key)
	}
	switch Kind(r.Value) {
	case ValueJSON:
		v, err := decode(r.Value)
		if err == nil {
			ev["value"] = v
		}
	case ValueString:
		ev["value"] = string(r.Value)
	case ValueBinary:
		ev["value"] = base64.StdEncoding.EncodeToString(r.Value)
	}
	return ev
}

// headers renders headers as Lambda does: [{"name": [byte, ...]}].
func headers(hs []Header) []any {
	out := make([]any, 0, len(hs))
	for _, h := range hs {
		bs := make([]any, len(h.Value))
		for i, b := range h.Value {
			bs[i] = json.Number(strconv.Itoa(int(b)))
		}
		out = append(out, map[string]any{h.Key: bs})
	}
	return out
}

// Criteria is a mapping's FilterCriteria: a record is delivered when any
// pattern matches, and dropped (its offset committed) otherwise.
type Criteria []*Pattern

// CompileCriteria compiles FilterCriteria.Filters[].Pattern strings.
func CompileCriteria(patterns []string) (Criteria, error) {
	if len(patterns) > maxFilters {
		return nil, fmt.Errorf("%w: %d filters (at most %d)", ErrInvalidPattern, len(patterns), maxFilters)
	}
	c := make(Criteria, 0, len(patterns))
	for i, p := range patterns {
		cp, err := Compile(p)
		if err != nil {
			return nil, fmt.Errorf("filter %d: %w", i+1, err)
		}
		c = append(c, cp)
	}
	return c, nil
}

// Match reports whether any pattern matches the record.
func (c Criteria) Match(r Record) bool {
	ev := Event(r)
	for _, p := range c {
		if p.Match(ev) {
			return true
		}
	}
	return false
}

// MatchJSON evaluates a pattern against a raw JSON event (the agreement
// test's form); a malformed event matches nothing.
func (p *Pattern) MatchJSON(event []byte) bool {
	v, err := decode(event)
	return err == nil && p.Match(v)
}
