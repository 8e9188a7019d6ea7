package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/redact"
	"github.com/esmdoctor/esmdoctor/report"
	"github.com/esmdoctor/esmdoctor/scrub"
	"github.com/esmdoctor/esmdoctor/vpcprobe"
	"github.com/urfave/cli/v2"
)

// inVPCFlags are check's --in-vpc flags.
func inVPCFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "in-vpc", Usage: "run the checks inside the mapping's VPC, as a temporary Lambda function in its subnets and security groups (deleted afterwards)"},
		&cli.StringFlag{Name: "probe-role", Usage: "with --in-vpc: the probe function's execution role ARN (default: the mapping's function's role, or --role-arn)"},
		&cli.StringFlag{Name: "probe-binary", Usage: "with --in-vpc: a linux/amd64 or linux/arm64 esmdoctor to upload (default: this executable, when it is a Linux build)"},
		&cli.DurationFlag{Name: "probe-timeout", Usage: "with --in-vpc: the probe function's Timeout (default --timeout + 30s, at most 15m)"},
	}
}

// inVPCNetwork is where the probe function runs and as whom.
type inVPCNetwork struct {
	subnets, securityGroups []string
	role                    string
	provisioned             bool
	// zones maps each subnet to its Availability Zone (zoneErr says why
	// they are unknown).
	zones   map[string]string
	zoneErr string
}

// lookupZones reads the subnets' Availability Zones; a failure only makes
// the report say they are unknown.
func lookupZones(c *cli.Context, sess *awsprobe.Session, n *inVPCNetwork, budget time.Duration) {
	z, err := sess.SubnetZones(c.Context, n.subnets, budget)
	if err != nil {
		n.zoneErr = "ec2:DescribeSubnets: " + awsErrorText(err)
		return
	}
	n.zones = z
}

// subnetList renders the subnets with their zones.
func (n inVPCNetwork) subnetList() string {
	var parts []string
	for _, s := range n.subnets {
		if z := n.zones[s]; z != "" {
			s += " (" + z + ")"
		}
		parts = append(parts, s)
	}
	out := strings.Join(parts, ", ")
	if n.zoneErr != "" {
		out += " (Availability Zones unknown: " + n.zoneErr + ")"
	}
	return out
}

// runInVPC runs the check configuration inside the mapping's VPC: a
// temporary function is created, invoked and deleted, and the report it
// returns is rendered here, marked with where it ran. With --esm or
// --function the mapping is read here first (its network and role decide
// where the probe runs); its result joins the function's report.
func runInVPC(c *cli.Context, cfg checks.Config) error {
	if cfg.Secret != nil && cfg.Secret.LocalFile {
		return usageErr("--secret-file with --in-vpc: %v", vpcprobe.ErrLocalSecret)
	}
	if cfg.AWS == nil || cfg.AWS.Session == nil {
		return usageErr("--in-vpc needs the mapping's AWS side: --esm, --function, --event-source-arn, or VPC_SUBNET/VPC_SECURITY_GROUP access configurations with --region")
	}
	var read *mappingRead
	if cfg.AWS.ESM != "" || cfg.AWS.ESMFunction != "" {
		res, facts := checks.ReadMapping(c.Context, cfg)
		if facts == nil {
			fmt.Fprintln(c.App.ErrWriter, "esmdoctor: --in-vpc: the mapping could not be read, so no probe function was created; this report was made here")
			return runReport(c, cfg, "")
		}
		read = &mappingRead{result: res, facts: facts}
		cfg = configFromFacts(cfg, facts)
	}
	net, err := probeNetwork(c, cfg, read)
	if err != nil {
		return err
	}
	spec, err := probeSpec(c, cfg, net)
	if err != nil {
		return err
	}
	payload, err := vpcprobe.FromConfig(cfg, net.role, net.provisioned)
	if err != nil {
		return usageErr("--in-vpc: %v", err)
	}
	lookupZones(c, cfg.AWS.Session, &net, checks.StepBudget(cfg.Timeout))
	progress := newProgress(c.App.ErrWriter)
	spec.Progress = progress.update
	out, err := vpcprobe.Run(c.Context, cfg.AWS.Session, spec, payload)
	progress.done(out)
	if err != nil {
		return probeError(err)
	}
	rep, err := vpcprobe.DecodeReport(out.Report)
	if err != nil {
		return &exitError{code: exitInternal, msg: err.Error()}
	}
	markVantage(rep, cfg, net, out)
	read.splice(rep)
	clean := scrub.New(redact.New(checks.SecretValues(cfg)...)).Report(rep)
	if err := renderFinished(c, clean); err != nil {
		return err
	}
	return verdictError(c, rep, clean, cfg)
}

// mappingRead is the mapping check run here before the probe.
type mappingRead struct {
	result model.Result
	facts  *checks.MappingFacts
}

// configFromFacts is the run's configuration for the mapping read: its
// target, and its function (the sts check compares the identity with the
// function's role).
func configFromFacts(cfg checks.Config, f *checks.MappingFacts) checks.Config {
	n := checks.NewConfig(f.Target)
	n.Timeout, n.JoinGroup, n.Verbose, n.Since = cfg.Timeout, cfg.JoinGroup, cfg.Verbose, cfg.Since
	// The mapping's settings travel to the probe function, which does
	// not read the mapping, with the flags given to weigh instead.
	n.MappingSettings = &f.Mapping.Settings
	n.StartingPosition, n.StartingPositionTimestamp, n.FilterCriteria = cfg.StartingPosition, cfg.StartingPositionTimestamp, cfg.FilterCriteria
	n.MaximumPollers, n.MinimumPollers, n.PollerGroup = cfg.MaximumPollers, cfg.MinimumPollers, cfg.PollerGroup
	n.OnFailure, n.BatchSize, n.BatchingWindow = cfg.OnFailure, cfg.BatchSize, cfg.BatchingWindow
	if n.AWS != nil {
		n.AWS.Function = f.Function
	}
	return n
}

// splice puts the mapping check's result (run here) in place of the
// function's (which had no mapping to read) and states the mapping.
func (m *mappingRead) splice(rep *model.Report) {
	if m == nil {
		return
	}
	for i, r := range rep.Results {
		if r.ID == m.result.ID {
			rep.Results[i] = m.result
		}
	}
	rep.Target.EventSourceMapping = m.facts.Mapping.UUID
	rep.Target.LastProcessingResult = m.facts.Mapping.LastProcessingResult
	rep.Notes = append(rep.Notes, "the mapping was read from here (esmdoctor's own identity), before the probe function was created")
	rep.Notes = append(rep.Notes, checks.MappingNotes(m.facts)...)
}

// probeNetwork works out the pollers' network and the probe's role.
func probeNetwork(c *cli.Context, cfg checks.Config, read *mappingRead) (inVPCNetwork, error) {
	var n inVPCNetwork
	a := cfg.AWS
	if read != nil {
		n.provisioned = read.facts.Mapping.Provisioned
	}
	if awsprobe.IsVpcConnectionARN(a.EventSourceARN) {
		// Cross-account MSK: the pollers sit where the VPC connection's
		// endpoints do.
		v, err := a.Session.VpcConnection(c.Context, a.EventSourceARN, checks.StepBudget(cfg.Timeout))
		if err != nil {
			return n, &checks.InputError{Input: "--in-vpc", Value: a.EventSourceARN, Msg: "cannot read the VPC connection's subnets and security groups (DescribeVpcConnection): " + awsErrorText(err)}
		}
		n.subnets, n.securityGroups = v.Subnets, v.SecurityGroups
	} else if a.EventSourceARN != "" {
		cl := a.Session.Cluster(c.Context, a.EventSourceARN, "", checks.StepBudget(cfg.Timeout))
		if cl.Err != nil && len(cl.Subnets) == 0 {
			return n, &checks.InputError{Input: "--in-vpc", Value: a.EventSourceARN, Msg: "cannot read the MSK cluster's subnets and security groups (" + cl.Operation + "): " + awsErrorText(cl.Err)}
		}
		n.subnets, n.securityGroups = cl.Subnets, cl.SecurityGroups
	}
	for _, ac := range a.AccessConfigs {
		switch ac.Type {
		case "VPC_SUBNET":
			n.subnets = append(n.subnets, strings.TrimPrefix(ac.URI, "subnet:"))
		case "VPC_SECURITY_GROUP":
			n.securityGroups = append(n.securityGroups, strings.TrimPrefix(ac.URI, "security_group:"))
		}
	}
	if len(n.subnets) == 0 {
		return n, usageErr("--in-vpc: the mapping names no subnets (no VPC_SUBNET access configuration and no MSK cluster): its brokers are reached from outside a VPC, so there is no VPC to run in")
	}
	switch {
	case c.String("probe-role") != "":
		n.role = c.String("probe-role")
	case a.Function != nil && a.Function.Role != "":
		n.role = a.Function.Role
	case a.Options.RoleARN != "":
		n.role = a.Options.RoleARN
	default:
		return n, usageErr("--in-vpc needs the role the probe runs as: --probe-role ARN (the mapping's function's execution role), or --esm/--function to read it")
	}
	return n, nil
}

// probeSpec builds the function to create: the code, its architecture and
// the function's Timeout.
func probeSpec(c *cli.Context, cfg checks.Config, n inVPCNetwork) (vpcprobe.Spec, error) {
	zipped, arch, err := probeBundle(c)
	if err != nil {
		return vpcprobe.Spec{}, err
	}
	timeout := c.Duration("probe-timeout")
	if timeout == 0 {
		timeout = cfg.Timeout + 30*time.Second
	}
	if timeout < time.Second || timeout > 15*time.Minute {
		return vpcprobe.Spec{}, usageErr("--probe-timeout %s: want 1s to 15m (Lambda's limits)", timeout)
	}
	creator, _ := cfg.AWS.Session.CallerARN(c.Context) // a tag only: CreateFunction reports credential problems
	return vpcprobe.Spec{Role: n.role, Subnets: n.subnets, SecurityGroups: n.securityGroups, Zip: zipped, Arch: arch,
		Timeout: timeout.Round(time.Second), Creator: creator}, nil
}

// probeBundle zips the code to upload: --probe-binary, or this executable
// when it is a Linux build.
func probeBundle(c *cli.Context) ([]byte, string, error) {
	bin := c.String("probe-binary")
	if bin == "" {
		if runtime.GOOS != "linux" {
			return nil, "", usageErr("--in-vpc from %s needs --probe-binary FILE: a linux/amd64 or linux/arm64 esmdoctor release build (the function runs it)", runtime.GOOS)
		}
		self, err := os.Executable()
		if err != nil {
			return nil, "", &exitError{code: exitInternal, msg: "cannot find this executable to upload: " + err.Error()}
		}
		bin = self
	}
	zipped, arch, err := vpcprobe.Bundle(bin)
	if err != nil {
		return nil, "", &checks.InputError{Input: "--probe-binary", Value: bin, Msg: err.Error()}
	}
	return zipped, arch, nil
}

// probeError maps a failure of the probe itself to an exit code: a missing
// permission of the probe is an input problem (2), an interruption or any
// other failure of the probe 3; never 1, which means the mapping failed.
func probeError(err error) error {
	var se *vpcprobe.SetupError
	switch {
	case errors.As(err, &se) && se.Interrupted():
		return &exitError{code: exitInternal, msg: "interrupted: " + se.Error()}
	case errors.As(err, &se) && se.ProbePermission():
		return &exitError{code: exitUsage, msg: se.Error()}
	}
	return &exitError{code: exitInternal, msg: err.Error()}
}

// markVantage records where the report was produced and how long each
// phase of the probe took.
func markVantage(rep *model.Report, cfg checks.Config, n inVPCNetwork, out vpcprobe.Outcome) {
	v := &model.Vantage{Kind: "lambda-vpc", Function: out.Name, Region: cfg.AWS.Region(), Subnets: n.subnets,
		SecurityGroups: n.securityGroups, Role: n.role, Phases: out.Phases}
	for _, s := range n.subnets {
		v.Zones = append(v.Zones, n.zones[s]) // "" when unknown
	}
	rep.Target.Vantage = v
	notes := []string{
		fmt.Sprintf("run inside the VPC by the temporary function %s (deleted), as role %s, in subnet(s) %s with security group(s) %s; Lambda places each invocation in one of these subnets and does not say which, so the Availability Zone is one of theirs",
			out.Name, n.role, n.subnetList(), dashIfNone(strings.Join(n.securityGroups, ", "))),
		"probe phases: " + phaseLine(out.Phases),
	}
	if n.provisioned {
		notes = append(notes, "the mapping uses provisioned-mode pollers: lambda-endpoint treats an AWS endpoint unreachable from these subnets as a note")
	}
	rep.Notes = append(notes, rep.Notes...)
}

// phaseLine renders the phases: "create 0.31s, pending until Active 1.02s, ...".
func phaseLine(ps []model.Phase) string {
	var parts []string
	for _, p := range ps {
		name := p.Name
		if name == "pending" {
			name = "pending until Active"
		}
		s := fmt.Sprintf("%s %.2fs", name, float64(p.DurationMS)/1000)
		if p.Error != "" {
			s += " (failed)"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// renderFinished writes a finished report: text to the terminal (and the
// --output format to stdout or --output-file).
func renderFinished(c *cli.Context, rep *model.Report) error {
	format, file := c.String("output"), c.String("output-file")
	out := c.App.Writer
	if format == "text" || file != "" {
		opt := report.Options{Color: useColor(c, out), Verbose: c.Bool("verbose"), Width: termWidth(out)}
		if err := report.RenderText(out, rep, opt); err != nil {
			return &exitError{code: exitInternal, msg: err.Error()}
		}
	}
	if err := writeFormat(c, rep, format, file); err != nil {
		return &exitError{code: exitInternal, msg: err.Error()}
	}
	if os.Getenv("GITHUB_ACTIONS") == "true" {
		_ = report.Annotations(c.App.ErrWriter, rep)
	}
	return nil
}

// awsErrorText renders an AWS error for a one-line message: the service's
// code and message, or the transport error.
func awsErrorText(err error) string {
	if code, msg, ok := awsprobe.ErrorCode(err); ok {
		return code + ": " + msg
	}
	return err.Error()
}

// dashIfNone is s, or "(none)".
func dashIfNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
