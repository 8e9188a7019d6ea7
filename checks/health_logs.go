package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/esmhealth"
)

// logs reads the mapping's system logs (shared with the network check)
// and reports each event type and error code, the pollers' network, and
// each logged Kafka exception set beside the live checks.
func (h *healthRun) logs(ctx context.Context, level string) {
	lr := h.s.systemLogs(ctx)
	if lr.Err != nil {
		h.detail = append(h.detail, "system logs: not read from "+lr.Group+" ("+shortErr(lr.Err, "")+")")
		h.logFailure(lr)
		return
	}
	cut := ""
	if lr.Truncated {
		cut = "; stopped at esmdoctor's page bound, so older events are not counted"
	}
	h.detail = append(h.detail, fmt.Sprintf("system logs (SystemLogLevel %s): %d system event(s) in %d line(s) of the <date>/%s streams of %s%s",
		level, len(lr.Events), lr.Lines, h.s.Facts.Mapping.Mapping.UUID, lr.Group, cut))
	if len(lr.Events) == 0 {
		h.detail = append(h.detail, "no system log events in the window (at WARN the pollers log only problems; INFO adds POLLER_STATUS_EVENT)")
	}
	sums := esmhealth.Summarize(lr.Events)
	for _, sm := range sums {
		h.detail = append(h.detail, summaryLine(sm))
	}
	if n := esmhealth.LatestNetwork(lr.Events); n != nil {
		h.detail = append(h.detail, pollerNetworkLine(n))
	}
	var errs []string
	for _, f := range esmhealth.Explain(sums, h.s.health.live) {
		h.explained(f, lr.Group)
		errs = append(errs, fmt.Sprintf("%d × %s (last %s)", f.Count, shortClass(f.ErrorCode), stamp(f.Last)))
	}
	note := fmt.Sprintf("%d system event(s)", len(lr.Events))
	if len(errs) > 0 {
		note += ", errors: " + strings.Join(errs, ", ")
	}
	h.notes = append(h.notes, "recent health (last "+fmtSince(h.s.since())+"), system logs: "+note)
}

// explained turns one logged error into a finding.
func (h *healthRun) explained(f esmhealth.Finding, group string) {
	args := Args{"count": fmt.Sprint(f.Count), "event_type": f.EventType, "error_code": f.ErrorCode, "first": stamp(f.First),
		"last": stamp(f.Last), "since": fmtSince(h.s.since()), "sample": orNone(f.Sample), "uuid": h.s.Facts.Mapping.Mapping.UUID, "log_group": group}
	if !f.Known {
		h.add(catalog.HEALTH103, args)
		return
	}
	args["code"], args["what_it_means"], args["problem"], args["live"] = f.Code, f.Meaning, f.Problem, f.Live
	if f.Problem == "" {
		args["problem"] = "no documented PROBLEM text"
	}
	if f.Live == "" {
		args["live"] = "no live check tested the same thing in this run"
	}
	h.detail = append(h.detail, fmt.Sprintf("%s means %s: %s (%s); %s", shortClass(f.ErrorCode), f.Code, args["problem"], f.Meaning, args["live"]))
	if f.Disagree {
		h.add(catalog.HEALTH102, args)
		return
	}
	h.add(catalog.HEALTH101, args)
}

// logFailure classifies a failed read of the logs by the AWS error code.
func (h *healthRun) logFailure(lr *logRead) {
	s := h.s
	op := operationOf(lr.Err)
	if op == "" {
		op = "FilterLogEvents"
	}
	if f, ok := apiError(lr.Err); ok && f.Code == codeNotFound {
		role := "the execution role"
		if fn := s.function(); fn != nil && fn.Role != "" {
			role = fn.Role
		}
		h.add(catalog.HEALTH108, Args{"log_group": lr.Group, "region": s.region(), "level": s.Facts.Mapping.Mapping.Settings.SystemLogLevel, "role": role})
		return
	}
	args := awsFailureArgs(s, op, lr.Err)
	args["log_group"], args["region"] = lr.Group, s.region()
	h.add(catalog.HEALTH106, args)
}

// summaryLine is one group of events: type, error code, count, first,
// last, sample.
func summaryLine(sm esmhealth.Summary) string {
	code := ""
	if sm.ErrorCode != "" {
		code = " " + sm.ErrorCode
	}
	line := fmt.Sprintf("%s%s: %d event(s), first %s, last %s", sm.EventType, code, sm.Count, stamp(sm.First), stamp(sm.Last))
	if sm.Sample != "" {
		line += "; sample: " + sm.Sample
	}
	return line
}

// pollerNetworkLine is the pollers' network as they report it.
func pollerNetworkLine(n *esmhealth.NetworkConfig) string {
	return fmt.Sprintf("pollers (POLLER_STATUS_EVENT networkConfig): IP addresses %s, subnet CIDR %s, security groups %s",
		listOrNone(n.IPAddresses), orNone(n.SubnetCIDRBlock), listOrNone(n.SecurityGroups))
}

// shortClass is a Java class name without its package.
func shortClass(c string) string {
	if i := strings.LastIndexByte(c, '.'); i >= 0 {
		return c[i+1:]
	}
	return c
}
