package integration

import (
	"fmt"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/testbed/awsfake"
)

// groupMember registers a mapping of poller group g with maximum pollers.
func groupMember(a awsBed, n int, g string, maximum int) {
	a.fake.AddMapping(awsfake.Mapping{UUID: a.uuid(100 + n), FunctionARN: fmt.Sprintf("arn:aws:lambda:%s:%s:function:member-%d", awsRegion, motoAccount, n),
		EventSourceARN: a.clusterARN("grp"), Topics: []string{"t"},
		Extra: map[string]any{"ProvisionedPollerConfig": map[string]any{"MinimumPollers": 1, "MaximumPollers": maximum, "PollerGroupName": g}}})
}

// mappingResult runs the pipeline and returns the mapping check's result.
func mappingResult(t *testing.T, a awsBed, mod func(*checks.Config)) model.Result {
	cfg := scramCfg(a)
	mod(&cfg)
	return find(t, runAWS(t, cfg), "mapping")
}

// TestPollerGroupLimits: a mapping given by flags with a PollerGroupName is
// counted with the account's mappings of that group (ListEventSourceMappings
// over every page, served by awsfake in Lambda's shape): within the limits
// the mapping check states the figures; more than 2000 summed maximum
// pollers is ESM-MAPPING-111, more than 100 mappings ESM-MAPPING-110, each
// with the numbers; an unreadable list is ESM-MAPPING-112. With --esm the
// mapping itself is counted once, with the flag's MaximumPollers.
func TestPollerGroupLimits(t *testing.T) {
	a := requireAWS(t)
	a.fake.SetPageSize(25) // the group spans several pages
	g := "pg-" + a.tag
	for i := 0; i < 3; i++ {
		groupMember(a, i, g, 500)
	}
	groupMember(a, 3, "other-"+a.tag, 1900) // another group: not counted
	flags := func(max int32) func(*checks.Config) {
		return func(c *checks.Config) { c.PollerGroup, c.MaximumPollers = g, max }
	}
	r := mappingResult(t, a, flags(400))
	if r.Status != model.Skip || !strings.Contains(r.Reason, "poller group "+g+": 4 mapping(s) with this one, MaximumPollers adding up to 1900 (limits: 100 mappings, 2000 pollers)") {
		t.Fatalf("within the limits: %s %s %q", r.Status, r.Code, r.Reason)
	}
	r = mappingResult(t, a, flags(600))
	if r.Status != model.Warn || r.Code != "ESM-MAPPING-111" || !strings.Contains(r.Cause(), "the 4 mapping(s) of poller group "+g+" have MaximumPollers adding up to 2100 (this one 600)") {
		t.Fatalf("pollers: %s %s %q", r.Status, r.Code, r.Cause())
	}
	// With --esm: the mapping is a member itself (MaximumPollers 500),
	// counted once, with the flag's 600 in place of its own.
	fn, _ := a.function(t, "orders-consumer")
	id := a.uuid(9)
	selfManagedMapping(t, a, id, fn, a.Get("SCRAM_PASSWORD"), a.group(), map[string]any{
		"ProvisionedPollerConfig": map[string]any{"MinimumPollers": 1, "MaximumPollers": 500, "PollerGroupName": g}})
	r = find(t, runAWS(t, checks.Config{MaximumPollers: 600, AWS: awsConfig(func(c *checks.AWSConfig) { c.ESM = id })}), "mapping")
	if r.Code != "ESM-MAPPING-111" || !strings.Contains(r.Cause(), "the 4 mapping(s) of poller group "+g+" have MaximumPollers adding up to 2100 (this one 600)") ||
		!strings.Contains(strings.Join(r.Detail, "\n"), "mode: provisioned, MinimumPollers 1, MaximumPollers 600, poller group "+g) {
		t.Fatalf("--esm: %s %s %q %v", r.Status, r.Code, r.Cause(), r.Detail)
	}
	for i := 4; i < 101; i++ {
		groupMember(a, i, g, 1)
	}
	r = mappingResult(t, a, flags(1))
	if r.Status != model.Warn || r.Code != "ESM-MAPPING-110" || !strings.Contains(r.Cause(), "poller group "+g+" holds 102 mappings with this one (others: ") ||
		!strings.Contains(r.Cause(), "and 96 more); a poller group takes at most 100") {
		t.Fatalf("mappings: %s %s %q", r.Status, r.Code, r.Cause())
	}
	a.fake.Fail(awsfake.AllMappings, awsfake.AccessDenied)
	r = mappingResult(t, a, flags(1))
	if r.Status != model.Warn || r.Code != "ESM-MAPPING-112" || !strings.Contains(r.Cause(), "lambda:ListEventSourceMappings returned AccessDeniedException") {
		t.Fatalf("unreadable: %s %s %q", r.Status, r.Code, r.Cause())
	}
}
