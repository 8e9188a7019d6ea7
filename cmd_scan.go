package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/redact"
	"github.com/esmdoctor/esmdoctor/report"
	"github.com/esmdoctor/esmdoctor/resolve"
	"github.com/esmdoctor/esmdoctor/scrub"
	"github.com/urfave/cli/v2"
)

// maxParallel bounds --parallel: each mapping's run opens a few
// connections per broker; hundreds at once would look like an attack.
const maxParallel = 64

func scanCommand() *cli.Command {
	flags := []cli.Flag{
		&cli.StringFlag{Name: "region", Usage: "the Region to scan (default: AWS_REGION or the profile's)"},
		&cli.StringFlag{Name: "profile", Usage: "the AWS profile (default: AWS_PROFILE or the credential chain)"},
		&cli.StringFlag{Name: "function-prefix", Usage: "only mappings of functions whose name starts with this"},
		&cli.StringFlag{Name: "state", Usage: "only mappings in this State (Enabled, Disabled, Creating, ...)"},
		&cli.IntFlag{Name: "parallel", Value: 8, Usage: "mappings checked at once (1-64); with --in-vpc, probe functions at once"},
	}
	for _, f := range inVPCFlags() {
		if f.Names()[0] != "probe-role" {
			flags = append(flags, f)
		}
	}
	for _, f := range runFlags() {
		if n := f.Names()[0]; n != "join-group" && n != "no-redact" {
			flags = append(flags, f)
		}
	}
	return &cli.Command{
		Name:  "scan",
		Usage: "check every Kafka event source mapping of an account and Region",
		Description: "Lists the event source mappings (ListEventSourceMappings, every page), keeps the Kafka ones (MSK,\n" +
			"cross-account MSK and self-managed), and checks each as check --esm would, --parallel at a time.\n" +
			"The report starts with a summary table, then each mapping's report. Exit code: the worst verdict\n" +
			"(1 a mapping failed, 2 a mapping could not be checked at all, 3 interrupted).\n\n" +
			"EXAMPLES:\n   esmdoctor scan --region us-east-1\n   esmdoctor scan --region us-east-1 --function-prefix orders- --state Enabled -o junit --output-file esm.xml",
		Flags:  flags,
		Action: runScan,
	}
}

// scanJob is one mapping to check.
type scanJob struct {
	i int
	m awsprobe.Mapping
}

func runScan(c *cli.Context) error {
	if c.Args().Present() {
		return usageErr("scan takes no arguments, got %q", c.Args().First())
	}
	if err := commonChecks(c); err != nil {
		return err
	}
	n := c.Int("parallel")
	if n < 1 || n > maxParallel {
		return usageErr("--parallel %d: want 1 to %d", n, maxParallel)
	}
	sess, err := sessionFromFlags(c)
	if err != nil {
		return err
	}
	// The mappings mostly share functions, roles, secrets and the caller:
	// each read is asked once for the whole scan, and each mapping is read
	// once, by the listing (see awsprobe.ShareAnswers).
	sess.ShareAnswers()
	mappings, err := scanList(c, sess)
	if err != nil {
		return err
	}
	for _, m := range mappings {
		sess.Remember(m)
	}
	s := &model.Scan{Region: sess.Region, Parallel: n, StartedAt: time.Now().UTC(), Entries: make([]model.ScanEntry, len(mappings))}
	red := redact.New()
	start := time.Now()
	if c.Bool("in-vpc") {
		if err := scanInVPC(c, sess, mappings, s, red, n); err != nil {
			return err
		}
	} else {
		scanAll(c, sess, mappings, s, red, n)
	}
	s.Elapsed = time.Since(start)
	s.Interrupted = errors.Is(c.Context.Err(), context.Canceled)
	if err := writeScan(c, s, red); err != nil {
		return err
	}
	return scanVerdict(s)
}

// scanList lists the Kafka mappings the filters keep.
func scanList(c *cli.Context, sess *awsprobe.Session) ([]awsprobe.Mapping, error) {
	all, err := sess.AccountMappings(c.Context, checks.StepBudget(c.Duration("timeout"))*4)
	if err != nil {
		return nil, &checks.InputError{Input: "scan", Msg: "cannot list the event source mappings in " + sess.Region + " (lambda:ListEventSourceMappings): " + awsErrorText(err)}
	}
	var out []awsprobe.Mapping
	prefix, state := c.String("function-prefix"), c.String("state")
	for _, m := range all {
		if !m.IsKafka() || !strings.HasPrefix(functionName(m.FunctionARN), prefix) || (state != "" && !strings.EqualFold(m.State, state)) {
			continue
		}
		out = append(out, m)
	}
	return out, nil
}

// functionName is the name part of a function ARN.
func functionName(arn string) string {
	if i := strings.LastIndex(arn, ":function:"); i >= 0 {
		name := arn[i+len(":function:"):]
		name, _, _ = strings.Cut(name, ":") // a qualified ARN
		return name
	}
	return arn
}

// scanAll checks the mappings, n at a time, filling s.Entries in the
// listing's order (output order never depends on timing).
func scanAll(c *cli.Context, sess *awsprobe.Session, ms []awsprobe.Mapping, s *model.Scan, red *redact.Redactor, n int) {
	jobs := make(chan scanJob)
	prog := newScanProgress(c.App.ErrWriter, len(ms))
	logins := &checks.SCRAMClients{} // one key derivation per SCRAM login, not per mapping
	conns := &checks.Sessions{}      // one handshake and login per connection, not per mapping
	defer conns.Close()
	var wg sync.WaitGroup
	for range min(n, max(len(ms), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				prog.started()
				s.Entries[j.i] = scanOne(c, sess, j.m, red, shared{logins, conns})
				prog.finished()
			}
		}()
	}
	for i, m := range ms {
		if c.Context.Err() != nil {
			s.Entries[i] = entryOf(m, nil, "interrupted: not checked")
			continue
		}
		jobs <- scanJob{i, m}
	}
	close(jobs)
	wg.Wait()
	prog.done()
}

// shared is what a scan's runs share: SCRAM keys and broker connections
// (nil fields: none).
type shared struct {
	logins *checks.SCRAMClients
	conns  *checks.Sessions
}

// scanOne checks one mapping as check --esm would: the mapping check reads
// it (by its UUID) inside the run, then the pipeline replays it.
// sh is what the run shares with the scan's other mappings.
func scanOne(c *cli.Context, sess *awsprobe.Session, m awsprobe.Mapping, red *redact.Redactor, sh shared) model.ScanEntry {
	cfg := checks.Config{Timeout: c.Duration("timeout"), Verbose: c.Bool("verbose"),
		AWS: &checks.AWSConfig{Options: awsprobe.Options{Region: sess.Region, Profile: sess.Profile}, RegionFrom: "--region", Session: sess, ESM: m.UUID}}
	cfg.Redact, cfg.SCRAM, cfg.Sessions = red.Add, sh.logins, sh.conns
	rep := &model.Report{ToolName: "esmdoctor", ToolVersion: version, StartedAt: time.Now().UTC()}
	var resolved checks.Resolved
	rep.Results, resolved = checks.RunResolved(c.Context, cfg, nil)
	rep.Interrupted = errors.Is(c.Context.Err(), context.Canceled)
	rep.DeadlineReached = resolved.DeadlineReached && !rep.Interrupted
	resolveTarget(rep, resolved, "")
	rep.Notes = append(rep.Notes, resolved.Notes...)
	return entryOf(m, rep, "")
}

// sessionFromFlags loads the AWS configuration of --region and --profile
// (scan, probe cleanup).
func sessionFromFlags(c *cli.Context) (*awsprobe.Session, error) {
	opts := awsprobe.Options{Region: c.String("region"), Profile: c.String("profile")}
	if r := opts.Region; r != "" && !regionName.MatchString(r) {
		return nil, &checks.InputError{Input: "--region", Value: r, Msg: "not a Region name (for example us-east-1)"}
	}
	return resolve.LoadSession(c.Context, &resolve.AWS{Options: opts})
}

// regionName is what a Region name looks like.
var regionName = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

func entryOf(m awsprobe.Mapping, rep *model.Report, errText string) model.ScanEntry {
	return model.ScanEntry{Mapping: m.UUID, Function: functionName(m.FunctionARN), State: m.State,
		LastProcessingResult: m.LastProcessingResult, Report: rep, Err: errText}
}

// writeScan renders the scan: the --output format to stdout, or to
// --output-file with text on the terminal.
func writeScan(c *cli.Context, s *model.Scan, red *redact.Redactor) error {
	s = scrubScan(s, scrub.New(red))
	format, file := c.String("output"), c.String("output-file")
	opt := report.Options{Color: useColor(c, c.App.Writer), Verbose: c.Bool("verbose"), Width: termWidth(c.App.Writer)}
	if file == "" {
		if err := report.RenderScan(c.App.Writer, s, format, opt); err != nil {
			return &exitError{code: exitInternal, msg: "writing the scan: " + err.Error()}
		}
		return nil
	}
	if err := report.RenderScan(c.App.Writer, s, "text", opt); err != nil {
		return &exitError{code: exitInternal, msg: err.Error()}
	}
	final, err := outputPath(file, nil)
	if err != nil {
		return err
	}
	opt.Color = false
	// Through a temporary file renamed into place, as check writes.
	if err := writeAtomically(final, func(w io.Writer) error { return report.RenderScan(w, s, format, opt) }); err != nil {
		return &exitError{code: exitInternal, msg: fmt.Sprintf("--output-file %s: %v (any earlier file there is unchanged)", file, err)}
	}
	return nil
}

// scrubScan is the scan with every report and error text through the
// scrub pass, the only form renderers receive.
func scrubScan(s *model.Scan, sc scrub.Scrubber) *model.Scan {
	out := *s
	out.Entries = make([]model.ScanEntry, len(s.Entries))
	for i, e := range s.Entries {
		if e.Report != nil {
			e.Report = sc.Report(e.Report)
		}
		e.Err = sc.String(e.Err)
		out.Entries[i] = e
	}
	return &out
}

// scanVerdict is the worst verdict: interrupted 3, a mapping not checked
// 2, a mapping failed 1, else 0.
func scanVerdict(s *model.Scan) error {
	n := s.Counts()
	switch {
	case s.Interrupted:
		return &exitError{code: exitInternal, msg: "interrupted: the scan shows what completed"}
	case n["error"] > 0:
		return &exitError{code: exitUsage, msg: fmt.Sprintf("%d mapping(s) could not be checked (see the summary)", n["error"])}
	case n["fail"] > 0:
		return &exitError{code: exitFail}
	}
	return nil
}
