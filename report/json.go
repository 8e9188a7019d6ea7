package report

import (
	"encoding/json"
	"github.com/esmdoctor/esmdoctor/model"
	"io"
	"time"
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
	ProblemInferred    bool         `json:"problem_form_inferred,omitempty"`
	ErrorName          string       `json:"error_name"`
	Cause              string       `json:"cause"`
	Remediation        string       `json:"remediation"`
	Reason             string       `json:"reason,omitempty"`
	Interrupted        bool         `json:"interrupted,omitempty"`
	DurationMS         int64        `json:"duration_ms"`
	Detail             []string     `json:"detail"`
}

type jsonReport struct {
	SchemaVersion   int          `json:"schema_version"`
	Tool            jsonTool     `json:"tool"`
	StartedAt       string       `json:"started_at,omitempty"`
	Target          model.Target `json:"target"`
	Verdict         string       `json:"verdict"`
	Interrupted     bool         `json:"interrupted,omitempty"`
	DeadlineReached bool         `json:"deadline_reached,omitempty"`
	Notes           []string     `json:"notes,omitempty"`
	Checks          []jsonCheck  `json:"checks"`
	Redactions      int          `json:"redactions"`
	Unredacted      bool         `json:"redaction_disabled,omitempty"`
}

// renderJSON writes the report as one JSON document (schema_version 1).
func renderJSON(w io.Writer, r *model.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(reportJSON(r))
}

// reportJSON is the report in the JSON schema.
func reportJSON(r *model.Report) jsonReport {
	out := jsonReport{SchemaVersion: model.SchemaVersion, Tool: jsonTool{r.ToolName, r.ToolVersion},
		Target: r.Target, Verdict: r.Verdict(), Interrupted: r.Interrupted, DeadlineReached: r.DeadlineReached, Notes: r.Notes,
		Redactions: r.Redactions, Unredacted: r.Unredacted}
	if !r.StartedAt.IsZero() {
		out.StartedAt = r.StartedAt.UTC().Format(time.RFC3339)
	}
	for _, c := range r.Results {
		out.Checks = append(out.Checks, jsonResult(c))
	}
	return out
}

func jsonResult(c model.Result) jsonCheck {
	jc := jsonCheck{ID: c.ID, Title: c.Title, Status: c.Status, Code: c.Code, Reason: c.Reason,
		Cause: c.Cause(), Remediation: c.Remediation(), DurationMS: c.Duration.Milliseconds(), Detail: []string{},
		Interrupted: c.Interrupted}
	if e, ok := c.Entry(); ok {
		jc.ErrorName = e.ErrorName
	}
	if p, ok := c.Problem(); ok {
		jc.Problem, jc.ProblemUnconfirmed, jc.ProblemInferred = p.Text, p.Unconfirmed, p.Inferred
	}
	jc.Detail = append(jc.Detail, c.Detail...)
	return jc
}
