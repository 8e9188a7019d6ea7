package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/resolve"
)

var mappingCheck = Check{
	ID:    "mapping",
	Title: "can read the event source mapping and its function",
	Run:   runMapping,
}

// runMapping reads the mapping --esm or --function names, with esmdoctor's
// own credentials (reading a mapping is esmdoctor's act, not Lambda's: the
// execution role typically may not), inside the run's deadline, and
// publishes the target it names (Facts.Mapping) for every later check.
func runMapping(ctx context.Context, s *State) Outcome {
	a := s.Cfg.AWS
	if !a.mappingGiven() {
		return runSettingsOnly(ctx, s)
	}
	sess, err := s.session(ctx)
	if err != nil {
		return fail(catalog.MAPPING009, Args{"detail": "loading the AWS configuration: " + shortErr(err, "")})
	}
	// Credentials first: without them every Lambda call would only say
	// that it could not sign.
	base := sess.BaseCredentials(ctx, s.Step)
	s.redact(base.Sensitive...)
	if base.Err != nil {
		return fail(catalog.MAPPING009, Args{"detail": credentialsText(base.Err, s.Step)})
	}
	m, o, ok := findMapping(ctx, s, sess, a)
	if !ok {
		return o
	}
	args := Args{"uuid": m.UUID, "function": m.FunctionARN, "region": sess.Region}
	aw := resolve.AWS{Options: a.Options, RegionFrom: "the mapping's function ARN", Session: sess}
	t, err := resolve.FromMapping(m, aw)
	if err != nil {
		args["detail"] = err.Error()
		return fail(catalog.MAPPING006, args)
	}
	facts := &MappingFacts{Mapping: m, Target: t}
	if fn, err := sess.Function(ctx, m.FunctionARN, s.Step); err == nil {
		facts.Function = &fn
	} else {
		facts.FunctionErr = "GetFunctionConfiguration: " + awsErrorText(err)
	}
	s.Facts.Mapping = facts
	found, notes := settingsFindings(ctx, s, sess, m.UUID)
	detail := append(mappingNotes(facts, s.Cfg), notes...)
	if facts.Function == nil {
		args["detail"] = facts.FunctionErr
		return warn(catalog.MAPPING101, args, append(detail, alsoLines(found)...)...)
	}
	if len(found) > 0 {
		return foldFindings(found, detail)
	}
	o = pass(detail...)
	o.Args = args
	return o
}

// findMapping reads the mapping --esm names, or the only Kafka mapping of
// --function; ok is false with the failure otherwise.
func findMapping(ctx context.Context, s *State, sess *awsprobe.Session, a *AWSConfig) (awsprobe.Mapping, Outcome, bool) {
	args := Args{"region": sess.Region, "caller": "esmdoctor's own identity", "endpoint": sess.Endpoint(ctx, awsprobe.Lambda, "")}
	if a.ESM != "" {
		args["operation"], args["uuid"] = "GetEventSourceMapping", a.ESM
		m, err := sess.Mapping(ctx, a.ESM, s.Step)
		if err != nil {
			return m, mappingFailure(err, args, s), false
		}
		if !m.IsKafka() {
			args["source"] = m.EventSourceARN
			return m, fail(catalog.MAPPING005, args), false
		}
		return m, Outcome{}, true
	}
	args["operation"], args["uuid"], args["function"] = "ListEventSourceMappings", a.ESMFunction, a.ESMFunction
	all, err := sess.Mappings(ctx, a.ESMFunction, s.Step)
	if err != nil {
		return awsprobe.Mapping{}, mappingFailure(err, args, s), false
	}
	var kafka []awsprobe.Mapping
	for _, m := range all {
		if m.IsKafka() {
			kafka = append(kafka, m)
		}
	}
	switch len(kafka) {
	case 0:
		args["others"] = fmt.Sprint(len(all))
		return awsprobe.Mapping{}, fail(catalog.MAPPING007, args), false
	case 1:
		return kafka[0], Outcome{}, true
	}
	var list []string
	for _, m := range kafka {
		list = append(list, fmt.Sprintf("%s (%s, topic %s, %s)", m.UUID, mappingSource(m), strings.Join(m.Topics, ","), m.State))
	}
	args["count"], args["list"] = fmt.Sprint(len(kafka)), strings.Join(list, "; ")
	return awsprobe.Mapping{}, fail(catalog.MAPPING008, args), false
}

// mappingFailure classifies a failed GetEventSourceMapping or
// ListEventSourceMappings.
func mappingFailure(err error, args Args, s *State) Outcome {
	if o, ok := deadlineSkip(err, "lambda:"+args["operation"]); ok {
		return o
	}
	args["detail"] = shortErr(err, "")
	if f, ok := apiError(err); ok {
		args["api_code"], args["detail"] = f.Code, f.Message
		switch {
		case f.Code == codeNotFound:
			return fail(catalog.MAPPING001, args)
		case accessDenied(f.Code):
			return fail(catalog.MAPPING002, args)
		case throttled(f.Code):
			args["fix"] = "Lambda throttled the call (" + retriedNote(err) + "): retry later, and lower the request rate of other callers in the account"
		default:
			args["fix"] = "look up " + f.Code + " in the Lambda API reference for " + args["operation"]
		}
		return fail(catalog.MAPPING003, args)
	}
	if d, ok := credentialsDetail(err); ok {
		return fail(catalog.MAPPING009, Args{"detail": d})
	}
	if d, ok := networkDetail(err, s.Step); ok {
		args["detail"] = d
		return fail(catalog.MAPPING004, args)
	}
	return fail(catalog.MAPPING004, args)
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
	if f, ok := apiError(err); ok {
		return f.Code + ": " + f.Message
	}
	return err.Error()
}

// mappingNotes are the facts about the mapping the report states: its
// state, what its LastProcessingResult means, the group it uses and the
// role it runs as; the flags' settings (c) replace the mapping's.
func mappingNotes(f *MappingFacts, c Config) []string {
	m := f.Mapping
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
	if m.Kafka.Queue() {
		notes = append(notes, "consumption mode: Queue: the group id names a Kafka share group (Kafka 4.2 or later); records are delivered without per-partition order, and MaximumRetryAttempts defaults to 0")
	}
	if len(m.Topics) > 1 {
		notes = append(notes, fmt.Sprintf("the mapping names %d topics; esmdoctor checks the first", len(m.Topics)))
	}
	if f.Function != nil {
		notes = append(notes, "execution role: "+f.Function.Role+" (the identity the mapping uses)")
	} else {
		notes = append(notes, "execution role unknown ("+f.FunctionErr+"): esmdoctor's own identity may see different permissions")
	}
	return append(notes, settingsNotes(m.UUID, effectiveSettings(m.Settings, c))...)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
