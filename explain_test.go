package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/catalog"
)

// rawPlaceholder is a template placeholder left unrendered: {name}, or
// <name> for a name the registry uses.
var rawPlaceholder = regexp.MustCompile(`\{[a-z_]+\}|<([a-z_]+)>`)

func unrendered(out string) []string {
	var bad []string
	for _, m := range rawPlaceholder.FindAllStringSubmatch(out, -1) {
		if m[1] == "" || catalog.HasGeneric(m[1]) {
			bad = append(bad, m[0])
		}
	}
	return bad
}

// TestExplainRendersEverything walks every code, every PROBLEM id (in
// upper and lower case), every named error and every StateTransitionReason
// through explain: each is recognised and renders no raw placeholder.
func TestExplainRendersEverything(t *testing.T) {
	if os.Getenv(childTest) != "1" {
		inChildProcess(t, "TestExplainRendersEverything")
		return
	}
	var queries []string
	for _, e := range catalog.All() {
		queries = append(queries, e.Code, strings.ToLower(e.Code))
		for _, p := range append(catalog.Placeholders(e.Cause), catalog.Placeholders(e.Remediation)...) {
			if !catalog.HasGeneric(p) {
				t.Errorf("%s: no generic word for {%s}", e.Code, p)
			}
		}
	}
	for _, p := range catalog.Problems() {
		queries = append(queries, string(p.ID), strings.ToLower(string(p.ID)), p.Text,
			"  "+strings.ToUpper(strings.Join(strings.Fields(p.Text), "   "))+"  ")
	}
	queries = append(queries, catalog.ErrorNames()...)
	for _, r := range catalog.Reasons() {
		queries = append(queries, r.Code, strings.ToLower(r.Code))
	}
	for _, q := range queries {
		code, out, errOut := esm(t, "explain", q)
		if code != 0 {
			t.Errorf("explain %q: exit %d %s", q, code, errOut)
			continue
		}
		if bad := unrendered(out); len(bad) > 0 {
			t.Errorf("explain %q shows raw placeholders %v:\n%s", q, bad, out)
		}
	}
	if _, out, _ := esm(t, "explain"); len(unrendered(out)) > 0 {
		t.Errorf("explain (all) shows raw placeholders %v", unrendered(out))
	}
}

func TestExplainForms(t *testing.T) {
	for _, c := range []struct{ q, want string }{
		{"P5", "Detected by, in pipeline order:\n\n  ESM-PERM-004"},
		{"p10a", "PROBLEM: Server failed to authenticate Lambda.\n(form inferred"},
		{"problem:   cluster FAILED to authorize lambda", "ESM-GROUP-001"},
		{"PROBLEM: Cluster failed to authorize Lambda.", "fix      grant the missing ACLs with kafka-acls --add"},
		{"PROBLEM: The provided Kafka broker endpoints cannot be resolved.", "This is not Lambda's wording"},
		{"r10", "esmdoctor explain P10a lists the checks that detect it.\nesmdoctor explain P10b lists"},
		{"R8", "Instead, an invalid certificate or key shows P8"},
		{"event_source_authz_error", "ESM-GROUP-001"},
		{"PROBLEM: Connection error. Your event source VPC must be able to connect to STS.", "wording unconfirmed"},
	} {
		code, out, errOut := esm(t, "explain", c.q)
		if code != 0 || !strings.Contains(out, c.want) {
			t.Errorf("explain %q: exit %d %s, want %q in:\n%s", c.q, code, errOut, c.want, out)
		}
	}
}
