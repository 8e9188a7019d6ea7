package main

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/esmdoctor/esmdoctor/vpcprobe"
)

// progress shows the probe function's phases on stderr: on a terminal one
// line rewritten in place with the elapsed time (the hyperplane ENI can
// take minutes), elsewhere one line per change of state.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	term  bool
	last  string
	start time.Time
}

func newProgress(w io.Writer) *progress {
	return &progress{w: w, term: isTerminal(w), start: time.Now()}
}

// update is vpcprobe.Spec.Progress.
func (p *progress) update(phase, state string, elapsed time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if phase == "pending" && state == "Active" {
		return // the invoke line says so
	}
	var msg string
	switch phase {
	case "pending":
		msg = fmt.Sprintf("esmdoctor: probe function %s (waiting for Active: Lambda creates its network interface in the mapping's subnets)", state)
	case "invoke":
		msg = "esmdoctor: probe function Active: running the checks inside the VPC"
	case "create":
		msg = "esmdoctor: creating the probe function (uploading esmdoctor)"
	default:
		msg = "esmdoctor: probe function: " + phase
	}
	if p.term {
		fmt.Fprintf(p.w, "\r\033[K%s %s", msg, elapsed.Round(time.Second))
		return
	}
	if msg != p.last {
		fmt.Fprintln(p.w, msg)
		p.last = msg
	}
}

// done ends the progress display with the phases' times.
func (p *progress) done(out vpcprobe.Outcome) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.term {
		fmt.Fprint(p.w, "\r\033[K")
	}
	if len(out.Phases) > 0 {
		fmt.Fprintf(p.w, "esmdoctor: probe function %s: %s (total %.1fs)\n", out.Name, phaseLine(out.Phases), time.Since(p.start).Seconds())
	}
}
