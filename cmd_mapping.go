package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/urfave/cli/v2"
)

// awsConfig loads the AWS configuration when any AWS input was given; a
// purely self-managed target without one keeps cfg.AWS nil.
func awsConfig(c *cli.Context, cfg *checks.Config, in awsInputs) error {
	if !in.any {
		return nil
	}
	sess, err := loadSession(c.Context, in)
	if err != nil {
		return err
	}
	cfg.AWS = &checks.AWSConfig{Options: in.opts, Session: sess, EventSourceARN: in.eventSourceARN, AccessConfigs: in.access}
	return nil
}

// loadSession reads the AWS configuration (no network); a missing profile
// or Region is an input error.
func loadSession(ctx context.Context, in awsInputs) (*awsprobe.Session, error) {
	sess, err := awsprobe.Load(ctx, in.opts)
	switch {
	case err != nil && awsprobe.ProfileNotFound(err):
		return nil, &checks.InputError{Input: "--profile", Value: in.opts.Profile, Msg: "no such profile in the AWS config and credentials files"}
	case err != nil:
		return nil, &checks.InputError{Input: "AWS configuration", Msg: err.Error()}
	case sess.Region == "":
		return nil, &checks.InputError{Input: "--region", Msg: "no Region: pass --region (the function's Region) or set AWS_REGION"}
	}
	return sess, nil
}

// configFromMapping reads the mapping named by --esm or --function (and its
// function's configuration) and builds the run's configuration from it.
func configFromMapping(c *cli.Context, cfg checks.Config, in awsInputs) (checks.Config, error) {
	sess, err := loadSession(c.Context, in)
	if err != nil {
		return cfg, err
	}
	budget := checks.StepBudget(cfg.Timeout)
	m, err := findMapping(c.Context, sess, in, budget)
	if err != nil {
		return cfg, err
	}
	flag := "--esm"
	if in.function != "" {
		flag = "--function"
	}
	if len(m.Topics) == 0 {
		return cfg, &checks.InputError{Input: flag, Value: m.UUID, Msg: "the mapping names no topic"}
	}
	mi := awsInputs{opts: in.opts, access: m.AccessConfigs, any: true}
	if err := classifyAccess(&mi); err != nil {
		return cfg, &checks.InputError{Input: flag, Value: m.UUID, Msg: "the mapping's SourceAccessConfigurations: " + err.Error()}
	}
	if len(m.Bootstrap) > 0 {
		if cfg.Bootstrap, err = checks.ParseBootstrap(flag, m.Bootstrap); err != nil {
			return cfg, err
		}
	} else {
		mi.eventSourceARN = m.EventSourceARN
	}
	cfg.Topic, cfg.ConsumerGroup = m.Topics[0], m.ConsumerGroupID
	if cfg.ConsumerGroup == "" {
		cfg.ConsumerGroup = m.UUID
	}
	if err := secretsFromFlags(c, &cfg, mi); err != nil {
		return cfg, err
	}
	a := &checks.AWSConfig{Options: in.opts, Session: sess, EventSourceARN: mi.eventSourceARN, AccessConfigs: m.AccessConfigs,
		Mapping: &m, FunctionName: m.FunctionARN}
	if fn, err := sess.Function(c.Context, m.FunctionARN, budget); err == nil {
		a.Function = &fn
	} else {
		a.FunctionErr = "GetFunctionConfiguration: " + awsErrorText(err)
	}
	cfg.AWS = a
	cfg.Notes = mappingNotes(m, a, len(m.Topics))
	return cfg, nil
}

// findMapping reads the mapping --esm names, or the only Kafka mapping of
// --function.
func findMapping(ctx context.Context, sess *awsprobe.Session, in awsInputs, budget time.Duration) (awsprobe.Mapping, error) {
	if in.esm != "" {
		m, err := sess.Mapping(ctx, in.esm, budget)
		if err != nil {
			return m, &checks.InputError{Input: "--esm", Value: in.esm, Msg: "cannot read the mapping in " + sess.Region + ": " + awsErrorText(err)}
		}
		if !m.IsKafka() {
			return m, &checks.InputError{Input: "--esm", Value: in.esm, Msg: "the mapping reads from " + m.EventSourceARN + ", not from Kafka"}
		}
		return m, nil
	}
	all, err := sess.Mappings(ctx, in.function, budget)
	if err != nil {
		return awsprobe.Mapping{}, &checks.InputError{Input: "--function", Value: in.function, Msg: "cannot list its event source mappings in " + sess.Region + ": " + awsErrorText(err)}
	}
	var kafka []awsprobe.Mapping
	for _, m := range all {
		if m.IsKafka() {
			kafka = append(kafka, m)
		}
	}
	switch len(kafka) {
	case 0:
		return awsprobe.Mapping{}, &checks.InputError{Input: "--function", Value: in.function, Msg: fmt.Sprintf("no Kafka event source mapping in %s (%d other mapping(s))", sess.Region, len(all))}
	case 1:
		return kafka[0], nil
	}
	var list []string
	for _, m := range kafka {
		list = append(list, fmt.Sprintf("%s (%s, topic %s, %s)", m.UUID, mappingSource(m), strings.Join(m.Topics, ","), m.State))
	}
	return awsprobe.Mapping{}, &checks.InputError{Input: "--function", Value: in.function,
		Msg: fmt.Sprintf("has %d Kafka event source mappings; choose one with --esm: %s", len(kafka), strings.Join(list, "; "))}
}

func mappingSource(m awsprobe.Mapping) string {
	if m.EventSourceARN != "" {
		return m.EventSourceARN
	}
	return strings.Join(m.Bootstrap, ",")
}

// awsErrorText renders an AWS error for a one-line message: the service's
// code and message, or the transport error.
func awsErrorText(err error) string {
	if code, msg, ok := awsprobe.ErrorCode(err); ok {
		return code + ": " + msg
	}
	return err.Error()
}

// mappingNotes are the facts about the mapping printed at the top of the
// report: its state, what its LastProcessingResult means, the group it
// uses and the role it runs as.
func mappingNotes(m awsprobe.Mapping, a *checks.AWSConfig, topics int) []string {
	state := fmt.Sprintf("event source mapping %s of %s: State %s", m.UUID, m.FunctionARN, m.State)
	if m.StateTransitionReason != "" {
		state += ", StateTransitionReason " + m.StateTransitionReason
		if r, ok := catalog.LookupReason(m.StateTransitionReason); ok {
			state += " (" + r.Meaning + ")"
		}
	}
	notes := []string{state,
		fmt.Sprintf("LastProcessingResult: %s: %s", orNone(m.LastProcessingResult), catalog.DescribeResult(m.LastProcessingResult))}
	if m.ConsumerGroupID != "" {
		notes = append(notes, "consumer group: "+m.ConsumerGroupID+" (the mapping's custom ConsumerGroupId)")
	} else {
		notes = append(notes, "consumer group: "+m.UUID+" (the mapping's UUID: no custom ConsumerGroupId is set)")
	}
	if topics > 1 {
		notes = append(notes, fmt.Sprintf("the mapping names %d topics; esmdoctor checks the first", topics))
	}
	if a.Function != nil {
		notes = append(notes, "execution role: "+a.Function.Role+" (the identity the mapping uses)")
	} else {
		notes = append(notes, "execution role unknown ("+a.FunctionErr+"): esmdoctor's own identity may see different permissions")
	}
	return notes
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
