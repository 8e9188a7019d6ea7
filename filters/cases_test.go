package filters

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
)

// agreementCase is one line of testdata/cases.jsonl: a pattern, an event
// in Lambda's Kafka record shape and event-ruler's verdict (match,
// nomatch or invalid), which the integration test re-derives from the
// event-ruler jar itself (TestFilterAgreement).
type agreementCase struct {
	Name    string `json:"name"`
	Pattern string `json:"pattern"`
	Event   string `json:"event"`
	Want    string `json:"want"`
}

// loadCases reads the agreement table.
func loadCases(t *testing.T) []agreementCase {
	t.Helper()
	f, err := os.Open("testdata/cases.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []agreementCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var c agreementCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, c)
	}
	return cases
}

// verdict is the evaluator's answer in the peer's vocabulary.
func verdict(pattern, event string) string {
	p, err := Compile(pattern)
	if err != nil {
		return "invalid"
	}
	if p.MatchJSON([]byte(event)) {
		return "match"
	}
	return "nomatch"
}

// TestCasesAgreeWithEventRuler checks every case of the table against the
// verdict event-ruler gave.
func TestCasesAgreeWithEventRuler(t *testing.T) {
	cases := loadCases(t)
	if len(cases) < 100 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		if got := verdict(c.Pattern, c.Event); got != c.Want {
			t.Errorf("%s: got %s, event-ruler %s\n  pattern %s", c.Name, got, c.Want, c.Pattern)
		}
	}
}
