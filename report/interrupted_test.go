package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/model"
)

// interrupted is a run stopped while the sasl check was running: no check
// failed, and every format must still say interrupted (a CI gate red).
func interrupted() *model.Report {
	r := sample()
	r.Results = r.Results[:3]
	r.Results = append(r.Results,
		model.Result{ID: "tls", Title: "brokers complete a verified TLS handshake", Status: model.Skip, Reason: "interrupted while running", Interrupted: true},
		model.Result{ID: "sasl", Title: "brokers accept the SASL login", Status: model.Skip, Reason: "not run: interrupted"})
	r.Interrupted = true
	return r
}

func TestInterruptedInEveryFormat(t *testing.T) {
	r := interrupted()
	if v := r.Verdict(); v != model.VerdictInterrupted {
		t.Fatalf("Verdict() = %q", v)
	}
	var js bytes.Buffer
	if err := Render(&js, "json", r, Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		SchemaVersion int    `json:"schema_version"`
		Verdict       string `json:"verdict"`
		Checks        []struct {
			ID          string `json:"id"`
			Interrupted bool   `json:"interrupted"`
		} `json:"checks"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.SchemaVersion != 1 || doc.Verdict != "interrupted" || !doc.Checks[3].Interrupted || doc.Checks[4].Interrupted {
		t.Errorf("JSON: %s", js.String())
	}

	var ju bytes.Buffer
	if err := Render(&ju, "junit", r, Options{}); err != nil {
		t.Fatal(err)
	}
	var suites struct {
		Errors int `xml:"errors,attr"`
		Suite  struct {
			Errors int `xml:"errors,attr"`
			Cases  []struct {
				Name  string    `xml:"name,attr"`
				Error *struct{} `xml:"error"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(ju.Bytes(), &suites); err != nil {
		t.Fatal(err)
	}
	if suites.Errors != 1 || suites.Suite.Errors != 1 || suites.Suite.Cases[3].Error == nil {
		t.Errorf("JUnit: the interrupted check is no <error>:\n%s", ju.String())
	}

	var md bytes.Buffer
	if err := Render(&md, "markdown", r, Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "INTERRUPTED") || !strings.Contains(md.String(), "interrupted |") {
		t.Errorf("Markdown:\n%s", md.String())
	}

	var txt bytes.Buffer
	if err := Render(&txt, "text", r, Options{HideDurations: true}); err != nil {
		t.Fatal(err)
	}
	if err := Annotations(&txt, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"✗ tls             interrupted while running", "::error title=esmdoctor tls%3A interrupted::", "INTERRUPTED"} {
		if !strings.Contains(txt.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, txt.String())
		}
	}
}
