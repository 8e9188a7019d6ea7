package scrub

import (
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/redact"
)

// Scrubber redacts and sanitizes. A nil redactor (--no-redact) only
// sanitizes.
type Scrubber struct {
	red *redact.Redactor
}

// New returns a Scrubber that redacts what red knows.
func New(red *redact.Redactor) Scrubber { return Scrubber{red: red} }

// String redacts v, sanitizes it, and redacts again. Redaction comes first
// so a secret holding a control character is recognised in its raw form,
// and again last, because making a control character visible can spell a
// secret that holds a backslash sequence.
func (s Scrubber) String(v string) string { return s.red.String(Text(s.red.String(v))) }

func (s Scrubber) strings(in []string) []string {
	if in == nil {
		return nil
	}
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = s.String(v)
	}
	return out
}

// Result returns a copy of r with every string scrubbed: title, reason,
// details and the arguments the cause and fix are formatted from (so the
// formatted texts are clean too: the templates are esmdoctor's own).
func (s Scrubber) Result(r model.Result) model.Result {
	r.ID, r.Title, r.Code, r.Reason = s.String(r.ID), s.String(r.Title), s.String(r.Code), s.String(r.Reason)
	r.Detail = s.strings(r.Detail)
	if t := r.Rendered; t != nil { // a report decoded from the --in-vpc probe function
		r.Rendered = &model.RenderedTexts{Cause: s.String(t.Cause), Remediation: s.String(t.Remediation)}
	}
	if r.Args != nil {
		args := make(map[string]string, len(r.Args))
		for k, v := range r.Args {
			args[k] = s.String(v)
		}
		r.Args = args
	}
	return r
}

// Target returns a copy of t with every string scrubbed.
func (s Scrubber) Target(t model.Target) model.Target {
	t.BootstrapServers = s.strings(t.BootstrapServers)
	for _, f := range []*string{&t.Topic, &t.Auth, &t.AuthReason, &t.ConsumerGroup, &t.ConsumptionMode, &t.SecretSource, &t.CASource,
		&t.Lab, &t.Identity, &t.LastProcessingResult, &t.EventSourceARN, &t.EventSourceMapping} {
		*f = s.String(*f)
	}
	return t
}

// Report returns a scrubbed copy of r, the only form renderers receive. It
// records how many secret values this pass removed, and whether redaction
// was off.
func (s Scrubber) Report(r *model.Report) *model.Report {
	before := s.red.Count()
	out := *r
	out.ToolName, out.ToolVersion = s.String(r.ToolName), s.String(r.ToolVersion)
	out.Target = s.Target(r.Target)
	out.Notes = s.strings(r.Notes)
	out.Results = make([]model.Result, len(r.Results))
	for i, c := range r.Results {
		out.Results[i] = s.Result(c)
	}
	out.Redactions = s.red.Count() - before
	out.Unredacted = s.red == nil
	return &out
}
