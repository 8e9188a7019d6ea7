package main

import (
	"strings"
	"testing"
)

// TestSettingsFlagsRefusals: --filter-criteria and --starting-position
// values Lambda would refuse are input errors (exit 2) naming the flag and
// the reason, before any network.
func TestSettingsFlagsRefusals(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--filter-criteria", `{"Filters":[{"Pattern":"{\"value\":{\"a\":[{\"contains\":1}]}}"}]}`}, `--filter-criteria: "(the given JSON)": filter 1: invalid filter pattern: field "a": unsupported operator "contains"`},
		{[]string{"--filter-criteria", `{"Filters":[]}`}, "no Filters"},
		{[]string{"--filter-criteria", `{"Pattern":"x"}`}, "not FilterCriteria JSON"},
		{[]string{"--filter-criteria", `{"Filters":[{"Pattern":"{}"},{"Pattern":"{}"}]}`}, "empty object in pattern"},
		{[]string{"--starting-position", "EARLIEST"}, `--starting-position: "EARLIEST": want LATEST, TRIM_HORIZON or AT_TIMESTAMP`},
	}
	for _, c := range cases {
		args := append([]string{"check", "-b", closedAddr(t), "-t", "orders"}, c.args...)
		code, _, errOut := esm(t, args...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", c.args, code, errOut, c.want)
		}
	}
}

// TestParseFilterCriteria: a valid FilterCriteria gives its patterns in order.
func TestParseFilterCriteria(t *testing.T) {
	got, err := parseFilterCriteria(`{"Filters":[{"Pattern":"{\"value\":{\"a\":[1]}}"},{"Pattern":"{\"value\":[\"x\"]}"}]}`)
	if err != nil || len(got) != 2 || got[0] != `{"value":{"a":[1]}}` || got[1] != `{"value":["x"]}` {
		t.Fatalf("%q %v", got, err)
	}
}
