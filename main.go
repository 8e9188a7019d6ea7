// Command esmdoctor answers one question: why can't my AWS Lambda event
// source mapping read from my Kafka cluster? It replays the mapping's setup
// sequence step by step and maps each failure to the PROBLEM text Lambda
// shows, the cause it observed and the fix.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/esmdoctor/esmdoctor/resolve"
	"github.com/esmdoctor/esmdoctor/scrub"
	"github.com/esmdoctor/esmdoctor/vpcprobe"
)

// Exit codes (documented in README.md).
const (
	exitPass     = 0 // every check passed (warnings allowed)
	exitFail     = 1 // a check failed
	exitUsage    = 2 // usage or input error
	exitInternal = 3 // internal error or interrupted
)

// version is stamped at build time (-ldflags "-X main.version=...").
var version = "dev"

func main() {
	if vpcprobe.InLambda() {
		// Started by the Lambda runtime: this is the probe function of
		// check --in-vpc. Serve never returns while the runtime runs.
		vpcprobe.Serve(version)
		os.Exit(exitInternal)
	}
	os.Exit(run(context.Background(), os.Args, os.Stdout, os.Stderr))
}

// exitError carries exit code 1 or 3 out of a command; msg (if any) is
// printed as one line on stderr. Every usage or input error (exit 2) is a
// *resolve.InputError instead: one type for all of them.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// run is main without os.Exit, for tests.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stop := onSignals(cancel, stderr)
	defer stop()
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "esmdoctor: internal error: %v (please report it)\n", r)
			code = exitInternal
		}
	}()
	app := newApp(stdout, stderr)
	args = interspersed(app, args)
	args, err := repeatedFlags(app, args)
	if err == nil {
		err = boolEnv(app, args)
	}
	if err == nil {
		err = app.RunContext(ctx, args)
	}
	var i *interruption
	var ee *exitError
	if err != nil && errors.As(context.Cause(ctx), &i) && !(errors.As(err, &ee) && ee.code == exitInternal) {
		// Interrupted before the checks ran (reading a file, the mapping):
		// whatever error that left is the interruption's, not the input's.
		err = &exitError{code: exitInternal, msg: i.Error() + " before any check ran"}
	}
	return exitCode(err, stderr)
}

// exitCode maps a command's error to the exit code and prints it once.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitPass
	}
	var ee *exitError
	var ie *resolve.InputError
	switch {
	case errors.As(err, &ee):
		if ee.msg != "" {
			fmt.Fprintln(stderr, "esmdoctor: "+scrub.Text(ee.msg))
		}
		return ee.code
	case errors.As(err, &ie):
		fmt.Fprintln(stderr, "esmdoctor: "+scrub.Text(ie.Error()))
		return exitUsage
	case errors.Is(err, context.Canceled) || errors.As(err, new(*interruption)):
		fmt.Fprintln(stderr, "esmdoctor: "+err.Error())
		return exitInternal
	}
	// urfave/cli reports flag parsing problems as plain errors.
	fmt.Fprintln(stderr, "esmdoctor: "+scrub.Text(err.Error()))
	return exitUsage
}

// interruption is the cause of the run's context when a signal ends it.
type interruption struct{ sig os.Signal }

func (i *interruption) Error() string { return "interrupted (" + signalName(i.sig) + ")" }

func signalName(s os.Signal) string {
	switch s {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP"
	}
	return s.String()
}

// hardStop is how long an interrupted run may take to write its partial
// report before it is ended anyway: an interruption ends esmdoctor within
// a second, whatever step it was in.
const hardStop = 900 * time.Millisecond

// forceExit ends the process at once (a second signal, or hardStop
// passed); tests replace it.
var forceExit = os.Exit

// onSignals cancels the run on SIGINT, SIGTERM or SIGHUP: the running
// check stops, the report shows what completed, and the exit code is 3.
// A second signal, or a run still going hardStop after the first, exits at
// once, removing any report still being written (an earlier file stays).
func onSignals(cancel context.CancelCauseFunc, stderr io.Writer) (stop func()) {
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		var first os.Signal
		select {
		case first = <-ch:
		case <-done:
			return
		}
		cancel(&interruption{first})
		var why string
		select {
		case s := <-ch:
			why = signalName(s) + " again: exiting now"
		case <-time.After(hardStop):
			why = fmt.Sprintf("still stopping %s after %s: exiting now", hardStop, signalName(first))
		case <-done:
			return
		}
		pending.removeAll()
		fmt.Fprintln(stderr, "esmdoctor: interrupted ("+why+"); no report was written")
		forceExit(exitInternal)
	}()
	var once sync.Once
	return func() {
		// The handler stays registered: a signal arriving between the end
		// of the run and the process's exit must not kill it with the
		// default action (exit status "signal: interrupt" instead of 3).
		// ch is buffered and no longer read, so such a signal is dropped.
		once.Do(func() { close(done) })
	}
}
