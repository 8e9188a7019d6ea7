package vpcprobe

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/model"
)

// NamePrefix starts every probe function's name; probe cleanup looks for it.
const NamePrefix = "esmdoctor-probe-"

// Tags every probe function carries, so leftovers can be found and judged.
const (
	TagCreatedBy = "created-by"
	TagCreatedAt = "created-at"
	TagCreator   = "creator"
	CreatedBy    = "esmdoctor"
)

// Time bounds of the caller's side.
const (
	// CleanupBudget bounds the delete after the run, on a context detached
	// from the (possibly cancelled) run's: Ctrl-C must not leave a function.
	CleanupBudget = 30 * time.Second
	// MaxPending bounds the wait for Active: AWS documents that creating a
	// VPC function's hyperplane ENI can take several minutes.
	MaxPending = 10 * time.Minute
	// invokeMargin is added to the function's Timeout for the client's
	// wait: Lambda answers a timed-out invocation itself, a little later.
	invokeMargin = 30 * time.Second
)

// Spec is the probe function to run.
type Spec struct {
	Role           string
	Subnets        []string
	SecurityGroups []string
	Zip            []byte
	Arch           string
	// Timeout is the function's Timeout (whole seconds, 1 to 900).
	Timeout time.Duration
	// Creator is the caller's ARN, for the creator tag ("" leaves it out).
	Creator string
	// Poll is the interval between state reads while Pending (default 1s).
	Poll time.Duration
	// Progress, when set, is told about each phase as it goes, with the
	// time since the phase began.
	Progress func(phase, state string, elapsed time.Duration)
}

// Outcome is what a probe run produced: the function's answer and the
// phases with their durations.
type Outcome struct {
	Name   string
	Report []byte
	Phases []model.Phase
}

// Run creates the probe function, waits until it is Active, invokes it
// once with payload and deletes it, in every case: success, failure,
// cancellation (Ctrl-C, SIGTERM) and an invoke that times out. The delete
// runs on a context detached from ctx, bounded by CleanupBudget. Errors of
// the probe itself are *SetupError.
func Run(ctx context.Context, sess *awsprobe.Session, spec Spec, payload Payload) (out Outcome, err error) {
	return run(ctx, sess, spec, payload)
}

// RunBatch is Run for several check configurations in one function (scan
// --in-vpc: one probe per distinct subnets, security groups and role); its
// Outcome.Report is a batch answer (DecodeBatch).
func RunBatch(ctx context.Context, sess *awsprobe.Session, spec Spec, b Batch) (out Outcome, err error) {
	return run(ctx, sess, spec, b)
}

func run(ctx context.Context, sess *awsprobe.Session, spec Spec, payload any) (out Outcome, err error) {
	raw, err := json.Marshal(payload)
	if err != nil {
		return out, err
	}
	out.Name = NamePrefix + randomSuffix()
	created := false // CreateFunction answered: the function exists
	mayExist := true // the function may exist (until a create error says not)
	defer func() {
		if !mayExist {
			return
		}
		d, derr := deleteProbe(ctx, sess, out.Name, created)
		out.Phases = append(out.Phases, phase("delete", d, derr))
		if derr != nil && err == nil {
			err = &SetupError{Phase: "delete", Function: out.Name, Err: derr}
		}
	}()
	if spec.Progress != nil {
		spec.Progress("create", "", 0)
	}
	d, err := timed(func() error { _, e := sess.CreateProbe(ctx, createSpec(out.Name, spec)); return e })
	out.Phases = append(out.Phases, phase("create", d, err))
	if err != nil {
		// An answered error means no function was made; a transport error
		// or a cancellation leaves it unknown, so the delete still runs.
		_, _, answered := awsprobe.ErrorCode(err)
		mayExist = !answered
		return out, &SetupError{Phase: "create", Function: out.Name, Role: spec.Role, Err: err}
	}
	created = true
	d, err = timed(func() error { return waitActive(ctx, sess, out.Name, spec) })
	out.Phases = append(out.Phases, phase("pending", d, err))
	if err != nil {
		return out, err
	}
	d, err = timed(func() error {
		var e error
		out.Report, e = invoke(ctx, sess, out.Name, spec, raw)
		return e
	})
	out.Phases = append(out.Phases, phase("invoke", d, err))
	return out, err
}

// createSpec is the function to create for spec.
func createSpec(name string, spec Spec) awsprobe.ProbeSpec {
	tags := map[string]string{TagCreatedBy: CreatedBy, TagCreatedAt: time.Now().UTC().Format(time.RFC3339)}
	if spec.Creator != "" {
		tags[TagCreator] = spec.Creator
	}
	return awsprobe.ProbeSpec{Name: name, Role: spec.Role, Zip: spec.Zip, Arch: spec.Arch, Subnets: spec.Subnets,
		SecurityGroups: spec.SecurityGroups, Tags: tags, Timeout: spec.Timeout, MemoryMB: 512}
}

// waitActive polls the function's state until Active.
func waitActive(ctx context.Context, sess *awsprobe.Session, name string, spec Spec) error {
	poll := spec.Poll
	if poll <= 0 {
		poll = time.Second
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, MaxPending)
	defer cancel()
	for {
		st, err := sess.ProbeState(ctx, name)
		if err != nil {
			return &SetupError{Phase: "pending", Function: name, Err: err}
		}
		if spec.Progress != nil {
			spec.Progress("pending", st.State, time.Since(start))
		}
		switch st.State {
		case "Active":
			return nil
		case "Failed", "Inactive":
			return &SetupError{Phase: "pending", Function: name, Role: spec.Role, State: st}
		}
		select {
		case <-ctx.Done():
			return &SetupError{Phase: "pending", Function: name, Err: context.Cause(ctx)}
		case <-time.After(poll):
		}
	}
}

// invoke runs the function once; a function error (a timeout, a crash) is
// a SetupError carrying Lambda's error document.
func invoke(ctx context.Context, sess *awsprobe.Session, name string, spec Spec, raw []byte) ([]byte, error) {
	if spec.Progress != nil {
		spec.Progress("invoke", "", 0)
	}
	ctx, cancel := context.WithTimeout(ctx, spec.Timeout+invokeMargin)
	defer cancel()
	body, fnErr, err := sess.InvokeProbe(ctx, name, raw)
	if err != nil {
		return nil, &SetupError{Phase: "invoke", Function: name, Err: err}
	}
	if fnErr != "" {
		return nil, &SetupError{Phase: "invoke", Function: name, FunctionError: fnErr, ErrorDoc: errorDoc(body)}
	}
	return body, nil
}

// errorDoc reads Lambda's function error document.
func errorDoc(body []byte) string {
	var e struct{ ErrorType, ErrorMessage string }
	if json.Unmarshal(body, &e) != nil {
		return fmt.Sprintf("%.300s", body)
	}
	return e.ErrorType + ": " + e.ErrorMessage
}

// deleteProbe deletes the function on a context detached from ctx. When
// the create's answer was never seen, a not-found may mean "not created
// yet", so it is retried a few times.
func deleteProbe(ctx context.Context, sess *awsprobe.Session, name string, created bool) (time.Duration, error) {
	start := time.Now()
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), CleanupBudget)
	defer cancel()
	notFound := 0
	for {
		err := sess.DeleteProbe(cctx, name)
		code, _, _ := awsprobe.ErrorCode(err)
		switch {
		case err == nil:
			return time.Since(start), nil
		case code == "ResourceNotFoundException" && (created || notFound >= 3):
			return time.Since(start), nil
		case code == "ResourceNotFoundException":
			notFound++
		case code != "ResourceConflictException" && code != "TooManyRequestsException":
			return time.Since(start), err
		}
		select {
		case <-cctx.Done():
			return time.Since(start), fmt.Errorf("deleting %s: %w", name, context.Cause(cctx))
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func timed(f func() error) (time.Duration, error) {
	start := time.Now()
	err := f()
	return time.Since(start), err
}

func phase(name string, d time.Duration, err error) model.Phase {
	p := model.Phase{Name: name, DurationMS: d.Milliseconds()}
	if err != nil {
		p.Error = err.Error()
	}
	return p
}

// randomSuffix makes each probe's name unique.
func randomSuffix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// IsCancelled says whether err is the run being interrupted.
func IsCancelled(err error) bool {
	return errors.Is(err, context.Canceled)
}
