package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/redact"
	"github.com/esmdoctor/esmdoctor/report"
	"github.com/esmdoctor/esmdoctor/scrub"
	"github.com/mattn/go-isatty"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"
)

// runReport runs the pipeline for cfg and renders it: text streams to the
// terminal while checks run; the other formats are written at the end, to
// stdout or to --output-file (the terminal then still gets text). Every
// result, and the whole report, goes through one scrub pass (redaction,
// then control characters made visible) before any renderer sees it.
func runReport(c *cli.Context, cfg checks.Config, lab string, extraSecrets ...string) error {
	red := redact.New(append(checks.SecretValues(cfg), extraSecrets...)...)
	if c.Bool("no-redact") {
		fmt.Fprintln(c.App.ErrWriter, "esmdoctor: warning: --no-redact: the report may contain passwords and keys; never share it")
		red = nil
	}
	// Secrets learned during the run (fetched secrets, AWS keys, IAM
	// tokens) are scrubbed too; Add is a no-op on a nil redactor.
	cfg.Redact = red.Add
	sc := scrub.New(red)
	if addr := os.Getenv("ESMDOCTOR_TEST_DNS_SERVER"); addr != "" && cfg.Resolver == nil {
		cfg.Resolver = testResolver(addr)
	}
	rep := &model.Report{ToolName: "esmdoctor", ToolVersion: version, StartedAt: time.Now().UTC(), Target: target(checks.ResolvedConfig(cfg), lab)}
	format, file := c.String("output"), c.String("output-file")
	out := c.App.Writer
	var text *report.Text
	var obs checks.Observer = nopObserver{}
	if format == "text" || file != "" {
		text = report.NewText(out, report.Options{Color: useColor(c, out), Verbose: c.Bool("verbose"), Live: isTerminal(out), Width: termWidth(out)})
		text.Header(sc.Report(rep))
		obs = scrubbed{next: text, sc: sc}
	}
	start := time.Now()
	var resolved checks.Resolved
	if cfg.Audit {
		rep.Results, resolved = checks.RunAudit(c.Context, cfg, obs)
	} else {
		rep.Results, resolved = checks.RunResolved(c.Context, cfg, obs)
	}
	rep.Interrupted = errors.Is(c.Context.Err(), context.Canceled)
	rep.DeadlineReached = resolved.DeadlineReached && !rep.Interrupted
	resolveTarget(rep, resolved, lab)
	rep.Notes = append(append(rep.Notes, cfg.Notes...), resolved.Notes...)
	clean := sc.Report(rep)
	if text != nil {
		text.Resolved(clean)
		text.Summary(clean, time.Since(start))
	}
	if err := writeFormat(c, clean, format, file); err != nil {
		return &exitError{code: exitInternal, msg: err.Error()}
	}
	if os.Getenv("GITHUB_ACTIONS") == "true" {
		// stderr: the runner reads workflow commands there too, and stdout
		// may carry a JSON or XML document (see README).
		_ = report.Annotations(c.App.ErrWriter, clean)
	}
	return verdictError(c, rep, clean, cfg)
}

// scrubbed passes each finished result through the scrub pass before the
// streaming renderer prints it.
type scrubbed struct {
	next checks.Observer
	sc   scrub.Scrubber
}

func (s scrubbed) Started(id, title string) { s.next.Started(id, title) }
func (s scrubbed) Finished(r model.Result)  { s.next.Finished(s.sc.Result(r)) }

// interruptedText names the signal that interrupted the run.
func interruptedText(ctx context.Context) string {
	var i *interruption
	if errors.As(context.Cause(ctx), &i) {
		return i.Error()
	}
	return "interrupted"
}

// writeFormat writes the non-streaming formats (and text to a file): to
// stdout, or to --output-file through a temporary file renamed into place
// when complete.
func writeFormat(c *cli.Context, rep *model.Report, format, file string) error {
	if file == "" && format == "text" {
		return nil
	}
	render := func(w io.Writer) error {
		if err := report.Render(w, format, rep, report.Options{Verbose: c.Bool("verbose")}); err != nil {
			return fmt.Errorf("writing the %s report: %w", format, err)
		}
		return nil
	}
	if file == "" {
		return render(c.App.Writer)
	}
	final, err := outputPath(file, map[string]string{"--secret-file": flagValue(c, "secret-file"), "--ca-file": flagValue(c, "ca-file")})
	if err != nil {
		return err
	}
	if err := writeAtomically(final, render); err != nil {
		return fmt.Errorf("--output-file %s: %w (any earlier file there is unchanged)", file, err)
	}
	return nil
}

// verdictError turns the report into the exit code. A local --secret-file
// or --ca-file that Lambda would reject is an input error (exit 2): the
// report shows the secret check's failure, and stderr gets one line, taken
// from the scrubbed report.
func verdictError(c *cli.Context, raw, clean *model.Report, cfg checks.Config) error {
	if raw.Interrupted {
		return &exitError{code: exitInternal, msg: interruptedText(c.Context) + ": the report shows what completed"}
	}
	f, failed := raw.FirstFailure()
	if !failed && raw.DeadlineReached {
		return &exitError{code: exitFail, msg: "the run's deadline (--timeout) ended it before every check completed: rerun with a longer --timeout"}
	}
	if !failed {
		return nil
	}
	if f.ID == "secret" && isLocalFile(cfg, f) {
		cf, _ := clean.FirstFailure()
		return &checks.InputError{Msg: fmt.Sprintf("%s (%s)", cf.Cause(), cf.Code)}
	}
	if f.ID == "api" {
		// Lambda would refuse the mapping: the report says so, and so
		// does one line on stderr.
		cf, _ := clean.FirstFailure()
		return &exitError{code: exitFail, msg: fmt.Sprintf("Lambda's API would refuse %s (%s)", cf.Cause(), cf.Code)}
	}
	return &exitError{code: exitFail}
}

func isLocalFile(cfg checks.Config, f model.Result) bool {
	src := f.Args["source"]
	for _, d := range []*checks.SecretDoc{cfg.Secret, cfg.CA} {
		if d != nil && d.LocalFile && d.Source == src {
			return true
		}
	}
	return false
}

// resolveTarget fills in what only the run learned: the mapping the mapping
// check read, the brokers and auth mode the cluster check chose (MSK) and
// the identity the sts check saw.
func resolveTarget(rep *model.Report, r checks.Resolved, lab string) {
	t := target(r, lab)
	if sts, ok := rep.Find("sts"); ok && sts.Args["arn"] != "" {
		t.Identity = sts.Args["arn"]
	}
	rep.Target = t
}

func target(cfg checks.Resolved, lab string) model.Target {
	t := model.Target{Topic: cfg.Topic, Auth: string(cfg.Auth), AuthReason: cfg.AuthReason, ConsumerGroup: cfg.ConsumerGroup, Lab: lab,
		LastProcessingResult: cfg.LastProcessingResult, EventSourceARN: cfg.EventSourceARN, EventSourceMapping: cfg.MappingUUID,
		ConsumptionMode: cfg.Kafka.ConsumptionMode}
	for _, b := range cfg.Bootstrap {
		t.BootstrapServers = append(t.BootstrapServers, b.String())
	}
	if cfg.Secret != nil {
		t.SecretSource = cfg.Secret.Source
	}
	if cfg.CA != nil {
		t.CASource = cfg.CA.Source
	}
	return t
}

// useColor: colour only on a terminal, never with --no-color or NO_COLOR.
func useColor(c *cli.Context, w io.Writer) bool {
	if c.Bool("no-color") || os.Getenv("NO_COLOR") != "" {
		return false
	}
	return isTerminal(w)
}

// termWidth is the terminal's width, or 0 (the renderer's default, 80)
// when w is not a terminal.
func termWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok || !isTerminal(w) {
		return 0
	}
	if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols >= 40 {
		return cols
	}
	return 0
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}

type nopObserver struct{}

func (nopObserver) Started(string, string) {}
func (nopObserver) Finished(model.Result)  {}

// testResolver sends every DNS query to addr (ESMDOCTOR_TEST_DNS_SERVER, a
// test hook: the signal tests stall the dns step with a server that never
// answers).
func testResolver(addr string) *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}}
}
