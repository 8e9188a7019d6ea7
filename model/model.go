// Package model holds the result model of a run: statuses, results, the
// target and the report with its verdict. Checks produce it and the
// renderers in report/ print it; it never touches the network.
package model

import (
	"time"

	"github.com/esmdoctor/esmdoctor/catalog"
)

// SchemaVersion is the version of the JSON document; bump it on any
// incompatible change.
const SchemaVersion = 1

// Status is a check's outcome.
type Status string

// Statuses, in the order a summary lists them.
const (
	Pass Status = "pass"
	Warn Status = "warn"
	Fail Status = "fail"
	Skip Status = "skip"
)

// Result is one check's outcome. It stores the problem code and its
// arguments; the cause and remediation are formatted from the catalog at
// render time.
type Result struct {
	ID       string
	Title    string // the assertion, written as it reads when it passes
	Status   Status
	Code     string            // "" for pass and skip
	Args     map[string]string // template arguments for the code
	Reason   string            // why it was skipped
	Detail   []string          // observations: addresses, subjects, codes
	Duration time.Duration
	// Interrupted marks the check that was running when the run was
	// interrupted (Ctrl-C, SIGTERM, SIGHUP): its Status is Skip, and the
	// renderers show it as interrupted (JUnit: an <error>).
	Interrupted bool
	// Rendered holds the cause and fix as another esmdoctor rendered them
	// (a report returned by the probe function of --in-vpc): the remote
	// run's arguments are not in its JSON document, its texts are.
	Rendered *RenderedTexts
}

// RenderedTexts are a result's cause and fix, already formatted.
type RenderedTexts struct {
	Cause, Remediation string
}

// Entry returns the catalog entry of the result's code.
func (r Result) Entry() (catalog.Entry, bool) {
	if r.Code == "" {
		return catalog.Entry{}, false
	}
	return catalog.Lookup(r.Code)
}

// Cause renders the observed cause.
func (r Result) Cause() string {
	if r.Rendered != nil {
		return r.Rendered.Cause
	}
	e, ok := r.Entry()
	if !ok {
		return ""
	}
	return catalog.Format(e.Cause, r.Args)
}

// Remediation renders the fix.
func (r Result) Remediation() string {
	if r.Rendered != nil {
		return r.Rendered.Remediation
	}
	e, ok := r.Entry()
	if !ok {
		return ""
	}
	return catalog.Format(e.Remediation, r.Args)
}

// Problem returns the PROBLEM text Lambda shows for this failure.
func (r Result) Problem() (catalog.Problem, bool) {
	e, ok := r.Entry()
	if !ok || e.Problem == "" {
		return catalog.Problem{}, false
	}
	return catalog.ProblemByID(e.Problem)
}

// Target describes what was checked; it never holds a secret.
type Target struct {
	BootstrapServers []string `json:"bootstrap_servers,omitempty"`
	Topic            string   `json:"topic,omitempty"`
	Auth             string   `json:"auth"`
	AuthReason       string   `json:"auth_reason,omitempty"`
	ConsumerGroup    string   `json:"consumer_group,omitempty"`
	// ConsumptionMode is the mapping's (Stream, Queue) when set: in Queue
	// mode ConsumerGroup names a share group.
	ConsumptionMode string `json:"consumption_mode,omitempty"`
	SecretSource    string `json:"secret_source,omitempty"`
	CASource        string `json:"ca_source,omitempty"`
	Lab             string `json:"lab_scenario,omitempty"`
	// Identity is the AWS principal the AWS checks ran as, when known.
	Identity string `json:"identity,omitempty"`
	// LastProcessingResult is what the mapping itself reports, when read.
	LastProcessingResult string `json:"last_processing_result,omitempty"`
	// EventSourceARN is the MSK cluster ARN of an MSK target (the cluster
	// check finds its brokers during the run).
	EventSourceARN string `json:"event_source_arn,omitempty"`
	// EventSourceMapping is the UUID of the mapping read with --esm or
	// --function.
	EventSourceMapping string `json:"event_source_mapping,omitempty"`
	// Vantage says where the checks ran when not on this machine: the
	// temporary function of --in-vpc, in the mapping's subnets.
	Vantage *Vantage `json:"vantage,omitempty"`
}

// Vantage is the place a run happened other than the local machine.
type Vantage struct {
	// Kind is "lambda-vpc": a temporary Lambda function in the mapping's VPC.
	Kind     string   `json:"kind"`
	Function string   `json:"function,omitempty"`
	Region   string   `json:"region,omitempty"`
	Subnets  []string `json:"subnets,omitempty"`
	// Zones are the subnets' Availability Zones, in the same order ("":
	// unknown).
	Zones          []string `json:"availability_zones,omitempty"`
	SecurityGroups []string `json:"security_groups,omitempty"`
	Role           string   `json:"role,omitempty"`
	// Phases are the probe function's phases and their durations in
	// milliseconds: create, pending (until Active), invoke, delete.
	Phases []Phase `json:"phases,omitempty"`
}

// Phase is one step of a remote run and how long it took.
type Phase struct {
	Name       string `json:"name"`
	DurationMS int64  `json:"duration_ms"`
	Error      string `json:"error,omitempty"`
}

// Report is a whole run.
type Report struct {
	ToolName    string
	ToolVersion string
	StartedAt   time.Time
	Target      Target
	Results     []Result
	Notes       []string // facts about the run worth stating (inferred auth, interruptions)
	Interrupted bool
	// Redactions is how many secret values the scrub pass removed from
	// this report; Unredacted says redaction was off (--no-redact).
	Redactions int
	Unredacted bool
	// DeadlineReached is set when --timeout ended the run before every
	// check completed: the checks it cut short are skips, not verdicts.
	DeadlineReached bool
}

// Verdicts.
const (
	VerdictPass        = "pass"
	VerdictFail        = "fail"
	VerdictInterrupted = "interrupted"
)

// Verdict is "interrupted" when the run was interrupted (an incomplete run
// is neither a pass nor the cluster's failure), else "fail" when any check
// failed or --timeout cut the run short (DeadlineReached: no pass either),
// else "pass".
func (r *Report) Verdict() string {
	if r.Interrupted {
		return VerdictInterrupted
	}
	if r.DeadlineReached {
		return VerdictFail
	}
	for _, c := range r.Results {
		if c.Status == Fail {
			return VerdictFail
		}
	}
	return VerdictPass
}

// Counts returns how many checks ended in each status.
func (r *Report) Counts() map[Status]int {
	m := map[Status]int{}
	for _, c := range r.Results {
		m[c.Status]++
	}
	return m
}

// FirstFailure returns the first failed check, in pipeline order.
func (r *Report) FirstFailure() (Result, bool) {
	for _, c := range r.Results {
		if c.Status == Fail {
			return c, true
		}
	}
	return Result{}, false
}

// Find returns the result with that id.
func (r *Report) Find(id string) (Result, bool) {
	for _, c := range r.Results {
		if c.ID == id {
			return c, true
		}
	}
	return Result{}, false
}
