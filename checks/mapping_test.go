package checks

import (
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/awsprobe"
)

func TestMappingNotes(t *testing.T) {
	m := awsprobe.Mapping{UUID: "0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b", FunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:f",
		State: "Disabled", StateTransitionReason: "EVENT_SOURCE_AUTHN_ERROR", LastProcessingResult: "PROBLEM: SASL authentication failed."}
	notes := mappingNotes(&MappingFacts{Mapping: m, FunctionErr: "GetFunctionConfiguration: AccessDeniedException: denied"})
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
	all = strings.Join(mappingNotes(&MappingFacts{Mapping: m, Function: &awsprobe.Function{Role: "arn:aws:iam::123456789012:role/r"}}), "\n")
	for _, want := range []string{"consumer group: orders-group (the mapping's custom ConsumerGroupId)", "LastProcessingResult: OK: healthy",
		"execution role: arn:aws:iam::123456789012:role/r", "names 2 topics"} {
		if !strings.Contains(all, want) {
			t.Errorf("notes lack %q:\n%s", want, all)
		}
	}
}
