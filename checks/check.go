package checks

import (
	"context"

	"github.com/esmdoctor/esmdoctor/model"
)

// Check is one step of the mapping's setup sequence.
type Check struct {
	// ID is the stable, lower-kebab identifier users and CI gate on.
	ID string
	// Title is the assertion, written as it reads when the check passes.
	Title string
	// TitleFor, when set, is the title for the run as the earlier checks
	// resolved it (the group check names a share group in Queue mode).
	TitleFor func(s *State) string
	// Needs lists the checks that must have passed (or been skipped as not
	// applicable) before this one can run.
	Needs []string
	// Run probes and classifies. It must return within the budgets it is
	// given and never panic on a peer's behaviour.
	Run func(ctx context.Context, s *State) Outcome
}

// Outcome is what a check decided; the runner adds id, title and timing.
type Outcome struct {
	Status model.Status
	Code   string
	Args   map[string]string
	Reason string   // for skips
	Detail []string // observations
	// notApplicable marks a skip that does not block dependants.
	notApplicable bool
	// interrupted marks the check the user's interruption stopped.
	interrupted bool
	// blocks marks a warning after which dependants cannot run (the
	// broker needs TLS esmdoctor cannot speak, though Lambda can).
	blocks bool
	// deadline marks a check the run's deadline cut short.
	deadline bool
}

// Args is shorthand for a template argument map.
type Args = map[string]string

func pass(detail ...string) Outcome { return Outcome{Status: model.Pass, Detail: detail} }

func fail(code string, args Args, detail ...string) Outcome {
	return Outcome{Status: model.Fail, Code: code, Args: args, Detail: detail}
}

func warn(code string, args Args, detail ...string) Outcome {
	return Outcome{Status: model.Warn, Code: code, Args: args, Detail: detail}
}

// notApplicable is a skip that lets dependants run (no TLS for --auth none).
func notApplicable(reason string) Outcome {
	return Outcome{Status: model.Skip, Reason: "not applicable: " + reason, notApplicable: true}
}

// withDetail appends observations to an outcome.
func (o Outcome) withDetail(lines ...string) Outcome {
	o.Detail = append(o.Detail, lines...)
	return o
}
