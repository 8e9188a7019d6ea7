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
	"syscall"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/scrub"
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
	os.Exit(run(context.Background(), os.Args, os.Stdout, os.Stderr))
}

// exitError carries an exit code out of a command; msg (if any) is printed
// as one line on stderr.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// run is main without os.Exit, for tests.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "esmdoctor: internal error: %v (please report it)\n", r)
			code = exitInternal
		}
	}()
	app := newApp(stdout, stderr)
	err := app.RunContext(ctx, interspersed(app, args))
	return exitCode(err, stderr)
}

// exitCode maps a command's error to the exit code and prints it once.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitPass
	}
	var ee *exitError
	var ie *checks.InputError
	switch {
	case errors.As(err, &ee):
		if ee.msg != "" {
			fmt.Fprintln(stderr, "esmdoctor: "+scrub.Text(ee.msg))
		}
		return ee.code
	case errors.As(err, &ie):
		fmt.Fprintln(stderr, "esmdoctor: "+scrub.Text(ie.Error()))
		return exitUsage
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "esmdoctor: interrupted")
		return exitInternal
	}
	// urfave/cli reports flag parsing problems as plain errors.
	fmt.Fprintln(stderr, "esmdoctor: "+scrub.Text(err.Error()))
	return exitUsage
}
