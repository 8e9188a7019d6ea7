package report

import (
	"strings"

	"github.com/esmdoctor/esmdoctor/model"
)

// Header prints what is being checked. What only the run can learn (the
// brokers and auth mode of an MSK cluster) shows as "from the cluster".
func (t *Text) Header(r *model.Report) {
	tg := r.Target
	t.line(t.strong.Sprint(r.ToolName) + " " + r.ToolVersion)
	t.field("lab scenario: ", tg.Lab)
	t.field("mapping: ", tg.EventSourceMapping)
	t.field("Lambda says: ", tg.LastProcessingResult)
	t.field("cluster: ", tg.EventSourceARN)
	// With --esm the target is the mapping's: the mapping check reads it.
	pending := "from the cluster (see the cluster check)"
	if tg.EventSourceMapping != "" && tg.EventSourceARN == "" {
		pending = "from the mapping (see the mapping check)"
	}
	t.field("target:  ", orPending(strings.Join(tg.BootstrapServers, ","), pending))
	if tg.EventSourceMapping != "" {
		t.field("topic:   ", orPending(tg.Topic, "from the mapping (see the mapping check)"))
	} else {
		t.field("topic:   ", tg.Topic)
	}
	t.field("group:   ", groupLine(tg))
	t.field("auth:    ", orPending(authLine(tg), strings.Replace(pending, "from the", "chosen by the", 1)))
	for _, n := range r.Notes {
		t.field("note:    ", n)
	}
	t.line("")
	t.header, t.notes = tg, len(r.Notes)
}

// Resolved prints, after the checks, what the run learned that the header
// could not show: an MSK cluster's brokers and auth mode, the identity.
func (t *Text) Resolved(r *model.Report) {
	t.flushNotApplicable()
	tg := r.Target
	if b := strings.Join(tg.BootstrapServers, ","); b != "" && b != strings.Join(t.header.BootstrapServers, ",") {
		t.line("")
		t.field("resolved: ", "brokers "+b+", auth "+authLine(tg))
	}
	if tg.Topic != "" && t.header.Topic == "" { // read by the mapping check
		t.field("topic:   ", tg.Topic)
		t.field("group:   ", groupLine(tg))
	}
	if tg.Identity != "" && tg.Identity != t.header.Identity {
		t.field("identity: ", tg.Identity)
	}
	for _, n := range r.Notes[min(t.notes, len(r.Notes)):] {
		t.field("note:    ", n)
	}
}

// groupLine is the group, named a share group in Queue mode.
func groupLine(tg model.Target) string {
	if tg.ConsumptionMode == "Queue" && tg.ConsumerGroup != "" {
		return tg.ConsumerGroup + " (a share group: ConsumptionMode Queue)"
	}
	return tg.ConsumerGroup
}

func authLine(tg model.Target) string {
	if tg.Auth == "" {
		return ""
	}
	return tg.Auth + " (" + tg.AuthReason + ")"
}

func orPending(s, pending string) string {
	if s == "" {
		return pending
	}
	return s
}
