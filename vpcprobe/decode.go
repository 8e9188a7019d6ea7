package vpcprobe

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/esmdoctor/esmdoctor/model"
)

// maxReport bounds the report read back from the function: Lambda's
// synchronous response limit.
const maxReport = 6 << 20

// jsonDoc is the subset of report.RenderJSON's document needed to rebuild
// the report: codes and statuses, and the texts as the function rendered
// them (its arguments are not in the document).
type jsonDoc struct {
	SchemaVersion int `json:"schema_version"`
	Tool          struct{ Name, Version string }
	StartedAt     string       `json:"started_at"`
	Target        model.Target `json:"target"`
	Interrupted   bool         `json:"interrupted"`
	Notes         []string     `json:"notes"`
	Redactions    int          `json:"redactions"`
	Checks        []struct {
		ID          string       `json:"id"`
		Title       string       `json:"title"`
		Status      model.Status `json:"status"`
		Code        string       `json:"code"`
		Cause       string       `json:"cause"`
		Remediation string       `json:"remediation"`
		Reason      string       `json:"reason"`
		DurationMS  int64        `json:"duration_ms"`
		Detail      []string     `json:"detail"`
	} `json:"checks"`
}

// DecodeReport rebuilds a report from the function's JSON document, so the
// caller can render it in any --output format.
func DecodeReport(data []byte) (*model.Report, error) {
	if len(data) > maxReport {
		return nil, fmt.Errorf("report of %d bytes: more than Lambda returns (%d)", len(data), maxReport)
	}
	var d jsonDoc
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, fmt.Errorf("the probe function's answer is not a report: %w", err)
	}
	if d.SchemaVersion != model.SchemaVersion {
		return nil, fmt.Errorf("the probe function's report has schema_version %d, want %d", d.SchemaVersion, model.SchemaVersion)
	}
	r := &model.Report{ToolName: d.Tool.Name, ToolVersion: d.Tool.Version, Target: d.Target, Notes: d.Notes, Interrupted: d.Interrupted}
	if d.Redactions > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("the probe function redacted %d secret value(s) from its report before returning it", d.Redactions))
	}
	if t, err := time.Parse(time.RFC3339, d.StartedAt); err == nil {
		r.StartedAt = t
	}
	for _, c := range d.Checks {
		res := model.Result{ID: c.ID, Title: c.Title, Status: c.Status, Code: c.Code, Reason: c.Reason,
			Detail: c.Detail, Duration: time.Duration(c.DurationMS) * time.Millisecond}
		if c.Code != "" {
			res.Rendered = &model.RenderedTexts{Cause: c.Cause, Remediation: c.Remediation}
		}
		r.Results = append(r.Results, res)
	}
	return r, nil
}
