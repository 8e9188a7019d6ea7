package filters

import (
	"errors"
	"strings"
	"testing"
)

// TestRecordShape checks how each kind of value reaches the patterns:
// JSON by field, other text as one plain string, a tombstone not at all.
func TestRecordShape(t *testing.T) {
	crit, err := CompileCriteria([]string{
		`{"value": {"device_ID": [{"prefix": "AB"}]}}`,
		`{"value": [{"prefix": "ERR"}]}`,
	})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		value []byte
		kind  ValueKind
		want  bool
	}{
		{[]byte(`{"device_ID":"AB1234"}`), ValueJSON, true},
		{[]byte(`{"device_ID":"XY1234"}`), ValueJSON, false},
		{[]byte(`ERR disk full`), ValueString, true},
		{[]byte(`device_ID=AB1234`), ValueString, false},
		{[]byte{0xff, 0xfe, 'E'}, ValueBinary, false},
		{nil, ValueNull, false},
	}
	for _, c := range cases {
		if k := Kind(c.value); k != c.kind {
			t.Errorf("%q: kind %s, want %s", c.value, k, c.kind)
		}
		r := Record{Topic: "orders", Partition: 2, Offset: 7, Timestamp: 1, TimestampType: "CREATE_TIME", Value: c.value}
		if got := crit.Match(r); got != c.want {
			t.Errorf("%q: match %v, want %v", c.value, got, c.want)
		}
	}
}

// TestRecordMetadata checks the record fields other than value and the
// header rendering ([{"name": [bytes]}]).
func TestRecordMetadata(t *testing.T) {
	p, err := Compile(`{"topic": ["orders"], "partition": [{"numeric": [">=", 2]}], "key": ["azE="], "headers": {"h": [104]}}`)
	if err != nil {
		t.Fatal(err)
	}
	r := Record{Topic: "orders", Partition: 2, Key: []byte("k1"), Headers: []Header{{Key: "h", Value: []byte("hi")}}}
	if !p.Match(Event(r)) {
		t.Error("metadata pattern does not match")
	}
	r.Partition = 1
	if p.Match(Event(r)) {
		t.Error("partition 1 matched >= 2")
	}
}

// TestCriteriaLimits checks the refusals: more than five filters, a
// pattern over 4096 bytes, a pattern that is not an object.
func TestCriteriaLimits(t *testing.T) {
	six := make([]string, 6)
	for i := range six {
		six[i] = `{"value": ["x"]}`
	}
	for name, pats := range map[string][]string{
		"six filters": six,
		"too long":    {`{"value": ["` + strings.Repeat("x", 4100) + `"]}`},
		"array":       {`["x"]`},
		"trailing":    {`{"value": ["x"]} {}`},
	} {
		if _, err := CompileCriteria(pats); !errors.Is(err, ErrInvalidPattern) {
			t.Errorf("%s: err %v, want ErrInvalidPattern", name, err)
		}
	}
}
