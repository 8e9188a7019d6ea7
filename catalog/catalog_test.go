package catalog

import (
	"strconv"
	"testing"
)

// The checks that may emit codes, in pipeline order.
var checkIDs = []string{"mapping", "api", "sts", "secret", "cluster", "network", "permissions", "dns", "tcp", "tls", "token", "sasl", "topic", "brokers", "group", "poll", "registry", "lambda-endpoint", "health"}

func TestRegistryWellFormed(t *testing.T) {
	known := map[string]bool{}
	for _, id := range checkIDs {
		known[id] = true
	}
	for _, e := range All() {
		if !known[e.Check] {
			t.Errorf("%s: unknown check %q", e.Code, e.Check)
		}
		if e.Severity != SevFail && e.Severity != SevWarn {
			t.Errorf("%s: severity %q", e.Code, e.Severity)
		}
		if e.Title == "" || e.Cause == "" || e.Remediation == "" {
			t.Errorf("%s: title, cause and remediation are required", e.Code)
		}
		// Warnings are numbered from 101 so a code says its severity.
		n, _ := strconv.Atoi(e.Code[len(e.Code)-3:])
		if (e.Severity == SevWarn) != (n >= 100) {
			t.Errorf("%s: warnings are numbered 101 and up, failures below 100", e.Code)
		}
		if e.Severity == SevWarn && e.Problem != "" {
			t.Errorf("%s: a warning does not stop the mapping, so it has no PROBLEM text", e.Code)
		}
	}
}

func TestRegisterPanicsOnDuplicateAndMalformed(t *testing.T) {
	for _, e := range []Entry{{Code: "ESM-TCP-001"}, {Code: "ESM-tcp-1"}, {Code: "ESM-TCP-900", Problem: "P99"}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("register(%s) did not panic", e.Code)
				}
			}()
			register(e)
		}()
	}
}

func TestProblemTextsExact(t *testing.T) {
	want := map[ProblemID]string{
		"P1":   "PROBLEM: Connection error. Please check your event source connection configuration.",
		"P4":   "PROBLEM: SASL authentication failed.",
		"P5":   "PROBLEM: Cluster failed to authorize Lambda.",
		"P3":   "PROBLEM: Lambda failed to assume your function execution role. Please check if the role trust Lambda service principal, and make sure it does not require setting source identity to be assumed.",
		"P8":   "PROBLEM: Provided certificate or private key is invalid.",
		"P10a": "PROBLEM: Server failed to authenticate Lambda.",
		"P10b": "PROBLEM: Lambda failed to authenticate server.",
	}
	for id, text := range want {
		p, ok := ProblemByID(id)
		if !ok || p.Text != text {
			t.Errorf("%s = %q, want %q", id, p.Text, text)
		}
	}
	for _, id := range []ProblemID{"P8", "P10a", "P10b"} {
		if p, _ := ProblemByID(id); !p.Inferred || p.Unconfirmed {
			t.Errorf("%s must be marked form inferred (and not unconfirmed)", id)
		}
	}
	for _, id := range []ProblemID{"P2c", "P2d", "P2e"} {
		if p, _ := ProblemByID(id); !p.Unconfirmed || p.Variant == "" {
			t.Errorf("%s must be an unconfirmed variant", id)
		}
	}
	for id, by := range map[ProblemID]ProblemID{"R8": "P8", "R9": "P1", "R10": "P10a"} {
		if p, _ := ProblemByID(id); p.Retired == "" || p.Variant != by {
			t.Errorf("%s must be retired in favour of %s, is %+v", id, by, p)
		}
	}
	if _, ok := ProblemByID("P9"); ok {
		t.Error("P9 is retired: no code may show it")
	}
	if len(sortedProblemIDs()) != 18 {
		t.Errorf("want the reference's 12 PROBLEM texts, 3 unconfirmed variants and 3 retired ones, have %d", len(sortedProblemIDs()))
	}
}

func TestMatchProblem(t *testing.T) {
	p1b, _ := ProblemByID("P1b")
	cases := []struct {
		in   string
		want ProblemID
	}{
		{"PROBLEM: SASL authentication failed.", "P4"},
		{"  \n PROBLEM: SASL authentication failed.  \t", "P4"},
		{"SASL authentication failed", "P4"},
		{"PROBLEM: Connection error. Please check your event source connection configuration.", "P1"},
		{p1b.Text, "P1b"},
		{p1b.Text + " A further trailing sentence.", "P1b"},
		{"PROBLEM:   Cluster failed to\nauthorize Lambda.", "P5"},
		{"PROBLEM: Connection error. Your VPC must be able to connect to Lambda and STS, as well as Secrets Manager if authentication is required. You can provide access by configuring PrivateLink or a NAT Gateway.", "P2"},
	}
	for _, c := range cases {
		p, ok := MatchProblem(c.in)
		if !ok || p.ID != c.want {
			t.Errorf("MatchProblem(%q) = %s %v, want %s", c.in, p.ID, ok, c.want)
		}
	}
	for _, in := range []string{"", "PROBLEM:", "OK", "No records processed", "connection error"} {
		if p, ok := MatchProblem(in); ok {
			t.Errorf("MatchProblem(%q) = %s, want no match", in, p.ID)
		}
	}
}

func TestForProblemInPipelineOrder(t *testing.T) {
	var got []string
	for _, e := range ForProblem("P1b") {
		got = append(got, e.Check)
	}
	last := -1
	for _, c := range got {
		i := indexOf(checkIDs, c)
		if i < last {
			t.Fatalf("entries for P1b are not in pipeline order: %v", got)
		}
		last = i
	}
	if len(got) == 0 {
		t.Fatal("P1b (long form of P1) must list P1's causes")
	}
	for variant, base := range map[ProblemID]ProblemID{"P1b": "P1", "P2b": "P2"} {
		if a, b := ForProblem(variant), ForProblem(base); len(a) == 0 || len(a) != len(b) {
			t.Errorf("%s lists %d entries, %s lists %d: a variant lists its base's", variant, len(a), base, len(b))
		}
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func TestFormat(t *testing.T) {
	got := Format("{addr}: {missing} and {addr}", map[string]string{"addr": "h:1"})
	if got != "h:1: ? and h:1" {
		t.Fatalf("Format = %q", got)
	}
}
