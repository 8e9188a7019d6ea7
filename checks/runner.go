package checks

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/probe"
)

// Observer is told about each check as it starts and ends, so renderers can
// stream the report while the run goes on.
type Observer interface {
	Started(id, title string)
	Finished(r model.Result)
}

// ErrDeadline is the cause of the run's context when --timeout ends it.
var ErrDeadline = errors.New("run deadline (--timeout) reached")

// Run executes the pipeline in order and returns every check's result.
// ctx carries interruption (Ctrl-C); the run's own deadline is cfg.Timeout.
func Run(ctx context.Context, cfg Config, obs Observer) []model.Result {
	return RunChecks(ctx, cfg, Pipeline(), obs)
}

// RunChecks runs the given checks (tests use subsets) in order.
func RunChecks(parent context.Context, cfg Config, list []Check, obs Observer) []model.Result {
	out, _ := runChecks(parent, cfg, list, obs)
	return out
}

// RunResolved runs the pipeline and also returns the target as the run
// resolved it: the mapping check reads it with --esm, and for MSK the
// cluster check chooses the auth mode and the bootstrap brokers, which the
// report's target shows.
func RunResolved(ctx context.Context, cfg Config, obs Observer) ([]model.Result, Resolved) {
	return runChecks(ctx, cfg, Pipeline(), obs)
}

// RunAudit runs only the checks that need no connection to the brokers
// (AuditPipeline), with cfg.Audit set, and returns the resolved target.
func RunAudit(ctx context.Context, cfg Config, obs Observer) ([]model.Result, Resolved) {
	cfg.Audit = true
	return runChecks(ctx, cfg, AuditPipeline(), obs)
}

func runChecks(parent context.Context, cfg Config, list []Check, obs Observer) ([]model.Result, Resolved) {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	ctx, cancel := context.WithTimeoutCause(parent, cfg.Timeout, ErrDeadline)
	defer cancel()
	if r, ok := cfg.Resolver.(*net.Resolver); ok {
		ctx = probe.WithResolver(ctx, r)
	}
	st := &State{Cfg: cfg, Step: StepBudget(cfg.Timeout)}
	defer st.Close()

	done := map[string]Outcome{}
	blocker := map[string]string{} // check id -> the root failure that blocks it
	var out []model.Result
	for _, c := range list {
		if c.TitleFor != nil {
			c.Title = c.TitleFor(st)
		}
		if obs != nil {
			obs.Started(c.ID, c.Title)
		}
		start, shared := time.Now(), st.sharedAnswers.Load()
		o := runOne(ctx, parent, c, st, done, blocker)
		if n := st.sharedAnswers.Load() - shared; n > 0 && o.Status != model.Skip {
			o.Detail = append(o.Detail, fmt.Sprintf("%d Kafka answer(s) were this scan's: %s", n, sharedAnswerNote))
		}
		if parent.Err() != nil && (o.Status == model.Fail || o.interrupted) {
			// Interrupted (Ctrl-C): the failure is ours, not the cluster's.
			blocker[c.ID] = "not run: interrupted"
			o = Outcome{Status: model.Skip, Reason: "interrupted while running", interrupted: true}
		}
		done[c.ID] = o
		st.health.record(c.ID, o.Status, time.Now())
		st.deadlineReached = st.deadlineReached || o.deadline
		r := model.Result{ID: c.ID, Title: c.Title, Status: o.Status, Code: o.Code, Args: o.Args,
			Reason: o.Reason, Detail: o.Detail, Duration: time.Since(start), Interrupted: o.interrupted}
		if obs != nil {
			obs.Finished(r)
		}
		out = append(out, r)
	}
	r := st.resolved()
	r.DeadlineReached = st.deadlineReached
	return out, r
}

// runOne decides whether c can run, then runs it.
func runOne(ctx, parent context.Context, c Check, st *State, done map[string]Outcome, blocker map[string]string) Outcome {
	for _, need := range c.Needs {
		o, ok := done[need]
		if !ok || o.Status == model.Pass || (o.Status == model.Warn && !o.blocks) || o.notApplicable {
			continue
		}
		if root, ok := blocker[need]; ok {
			blocker[c.ID] = root
		} else {
			blocker[c.ID] = fmt.Sprintf("requires %s (%s)", need, describe(o))
		}
		return Outcome{Status: model.Skip, Reason: blocker[c.ID]}
	}
	if why, ok := st.Cfg.Blocked[c.ID]; ok {
		blocker[c.ID] = why
		return Outcome{Status: model.Skip, Reason: why}
	}
	if err := ctx.Err(); err != nil {
		blocker[c.ID] = "not run: " + stopReason(ctx)
		return Outcome{Status: model.Skip, Reason: blocker[c.ID], deadline: errors.Is(context.Cause(ctx), ErrDeadline)}
	}
	return runInterruptible(ctx, parent, c, st)
}

// interruptGrace is how long a check may take to return once the run is
// interrupted. Every probe closes its sockets when its context ends, so a
// check normally returns within milliseconds; one that does not (a call
// that ignores its context) is abandoned, so that an interruption ends
// the run within a second from any step and the report still shows what
// completed.
const interruptGrace = 300 * time.Millisecond

// runInterruptible runs c, and gives up on it interruptGrace after parent
// (the user's interruption, not the run's deadline) ends. A panic in the
// check is raised again on the caller's goroutine.
func runInterruptible(ctx, parent context.Context, c Check, st *State) Outcome {
	type result struct {
		o     Outcome
		panic any
	}
	ch := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				ch <- result{panic: p}
			}
		}()
		ch <- result{o: c.Run(ctx, st)}
	}()
	var r result
	select {
	case r = <-ch:
	case <-parent.Done():
		select {
		case r = <-ch:
		case <-time.After(interruptGrace):
			return Outcome{Status: model.Skip, interrupted: true}
		}
	}
	if r.panic != nil {
		panic(r.panic)
	}
	return r.o
}

func describe(o Outcome) string {
	if o.Status == model.Fail {
		return "failed: " + o.Code
	}
	if o.Status == model.Warn {
		return "warned: " + o.Code
	}
	return string(o.Status)
}

// stopReason says why the run stopped early.
func stopReason(ctx context.Context) string {
	if errors.Is(context.Cause(ctx), ErrDeadline) {
		return ErrDeadline.Error()
	}
	return "interrupted"
}
