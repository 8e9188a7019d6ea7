package report

import (
	"encoding/json"
	"github.com/esmdoctor/esmdoctor/model"
	"io"
	"time"

	"github.com/esmdoctor/esmdoctor/redact"
)

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonCheck struct {
	ID                 string       `json:"id"`
	Title              string       `json:"title"`
	Status             model.Status `json:"status"`
	Code               string       `json:"code"`
	Problem            string       `json:"problem"`
	ProblemUnconfirmed bool         `json:"problem_unconfirmed,omitempty"`
	ErrorName          string       `json:"error_name"`
	Cause              string       `json:"cause"`
	Remediation        string       `json:"remediation"`
	Reason             string       `json:"reason,omitempty"`
	Interrupted        bool         `json:"interrupted,omitempty"`
	DurationMS         int64        `json:"duration_ms"`
	Detail             []string     `json:"detail"`
}

type jsonReport struct {
	SchemaVersion int          `json:"schema_version"`
	Tool          jsonTool     `json:"tool"`
	StartedAt     string       `json:"started_at,omitempty"`
	Target        model.Target `json:"target"`
	Verdict       string       `json:"verdict"`
	Interrupted   bool         `json:"interrupted,omitempty"`
	Notes         []string     `json:"notes,omitempty"`
	Checks        []jsonCheck  `json:"checks"`
	Redactions    int          `json:"redactions"`
}

// RenderJSON writes the report as one JSON document (schema_version 1).
// Every string passes through the redactor.
func RenderJSON(w io.Writer, r *model.Report, red *redact.Redactor) error {
	out := jsonReport{SchemaVersion: model.SchemaVersion, Tool: jsonTool{r.ToolName, r.ToolVersion},
		Target: scrubTarget(r.Target, red), Verdict: r.Verdict(), Interrupted: r.Interrupted}
	if !r.StartedAt.IsZero() {
		out.StartedAt = r.StartedAt.UTC().Format(time.RFC3339)
	}
	for _, n := range r.Notes {
		out.Notes = append(out.Notes, red.String(n))
	}
	for _, c := range r.Results {
		jc := jsonCheck{ID: c.ID, Title: c.Title, Status: c.Status, Code: c.Code, Reason: red.String(c.Reason),
			Cause: red.String(c.Cause()), Remediation: red.String(c.Remediation()),
			DurationMS: c.Duration.Milliseconds(), Detail: []string{}, Interrupted: c.Interrupted}
		if e, ok := c.Entry(); ok {
			jc.ErrorName = e.ErrorName
		}
		if p, ok := c.Problem(); ok {
			jc.Problem, jc.ProblemUnconfirmed = p.Text, p.Unconfirmed
		}
		for _, d := range c.Detail {
			jc.Detail = append(jc.Detail, red.String(d))
		}
		out.Checks = append(out.Checks, jc)
	}
	out.Redactions = red.Count()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func scrubTarget(t model.Target, red *redact.Redactor) model.Target {
	t.AuthReason = red.String(t.AuthReason)
	t.SecretSource = red.String(t.SecretSource)
	t.CASource = red.String(t.CASource)
	return t
}
