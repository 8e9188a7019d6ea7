package checks

import (
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/awsprobe"
)

func TestMappingNotes(t *testing.T) {
	m := awsprobe.Mapping{UUID: "0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b", FunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:f",
		State: "Disabled", StateTransitionReason: "EVENT_SOURCE_AUTHN_ERROR", LastProcessingResult: "PROBLEM: SASL authentication failed."}
	notes := mappingNotes(&MappingFacts{Mapping: m, FunctionErr: "GetFunctionConfiguration: AccessDeniedException: denied"}, Config{})
	all := strings.Join(notes, "\n")
	for _, want := range []string{
		"State Disabled, StateTransitionReason EVENT_SOURCE_AUTHN_ERROR (the brokers did not authenticate the mapping",
		"LastProcessingResult: PROBLEM: SASL authentication failed.: P4: ",
		"esmdoctor explain 'PROBLEM: SASL authentication failed.'",
		"consumer group: 0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b (the mapping's UUID: no custom ConsumerGroupId is set)",
		"execution role unknown (GetFunctionConfiguration: AccessDeniedException: denied)",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("notes lack %q:\n%s", want, all)
		}
	}
	m.ConsumerGroupID, m.LastProcessingResult, m.Topics = "orders-group", "OK", []string{"a", "b"}
	all = strings.Join(mappingNotes(&MappingFacts{Mapping: m, Function: &awsprobe.Function{Role: "arn:aws:iam::123456789012:role/r"}}, Config{}), "\n")
	for _, want := range []string{"consumer group: orders-group (the mapping's custom ConsumerGroupId)", "LastProcessingResult: OK: healthy",
		"execution role: arn:aws:iam::123456789012:role/r", "names 2 topics"} {
		if !strings.Contains(all, want) {
			t.Errorf("notes lack %q:\n%s", want, all)
		}
	}
}

// TestBatchingNoteFollowsFlags: the flags' batching values replace the
// mapping's in the notes, and the note says what a batching window does.
func TestBatchingNoteFollowsFlags(t *testing.T) {
	m := awsprobe.Mapping{UUID: "u", Settings: awsprobe.Settings{BatchSize: 500, StartingPosition: "LATEST"}}
	w := int32(30)
	all := strings.Join(mappingNotes(&MappingFacts{Mapping: m}, Config{BatchSize: 20, BatchingWindow: &w, MaximumPollers: 4, PollerGroup: "g"}), "\n")
	for _, want := range []string{
		"batching: BatchSize 20, MaximumBatchingWindowInSeconds 30, StartingPosition LATEST: the function is invoked with at most 20 record(s), once the batch is full, the payload reaches 6 MB or 30 s have passed since its first record",
		"mode: provisioned, MinimumPollers 1, MaximumPollers 4, poller group g",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("notes lack %q:\n%s", want, all)
		}
	}
	all = strings.Join(mappingNotes(&MappingFacts{Mapping: m}, Config{}), "\n")
	if !strings.Contains(all, "BatchSize 500, MaximumBatchingWindowInSeconds 0, StartingPosition LATEST: the function is invoked with at most 500 record(s), once the batch is full, the payload reaches 6 MB, or without waiting") {
		t.Errorf("notes:\n%s", all)
	}
}

// TestSettingsOnlyStatesBatching: without a mapping, the batching flags'
// effect is stated in the mapping check's skip reason.
func TestSettingsOnlyStatesBatching(t *testing.T) {
	o := runSettingsOnly(t.Context(), &State{Cfg: Config{BatchSize: 50}})
	if !o.notApplicable || !strings.Contains(o.Reason, "no --esm or --function: the target comes from the flags; batching: BatchSize 50, MaximumBatchingWindowInSeconds 0") {
		t.Fatalf("%+v", o)
	}
	if o = runSettingsOnly(t.Context(), &State{}); o.Reason != "not applicable: "+noMappingReason {
		t.Fatalf("%q", o.Reason)
	}
}

// A Queue mapping's notes say so.
func TestMappingNotesQueue(t *testing.T) {
	m := awsprobe.Mapping{UUID: "0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b", FunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:f",
		ConsumerGroupID: "orders-share", Kafka: awsprobe.KafkaConfig{ConsumerGroupID: "orders-share", ConsumptionMode: "Queue"}}
	all := strings.Join(mappingNotes(&MappingFacts{Mapping: m, FunctionErr: "x"}, Config{}), "\n")
	if !strings.Contains(all, "consumption mode: Queue: the group id names a Kafka share group (Kafka 4.2 or later)") {
		t.Fatalf("notes:\n%s", all)
	}
	m.Kafka.ConsumptionMode = "Stream"
	if all := strings.Join(mappingNotes(&MappingFacts{Mapping: m, FunctionErr: "x"}, Config{}), "\n"); strings.Contains(all, "consumption mode") {
		t.Fatalf("a Stream mapping's notes:\n%s", all)
	}
}
