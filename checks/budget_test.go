package checks

import (
	"testing"
	"time"
)

// The budgets relate: a step is a quarter of the run, clamped; a fetch's
// wait fits in the smallest step; a join outlasts Kafka's default initial
// rebalance delay; the smallest --timeout leaves room for one step of each
// of the four network stages a blackholed broker can hang (dial, handshake,
// login, request).
func TestBudgetsRelate(t *testing.T) {
	if got := StepBudget(DefaultTimeout); got != 7500*time.Millisecond {
		t.Errorf("default step %s", got)
	}
	if StepBudget(time.Second) != minStep || StepBudget(10*time.Minute) != maxStep {
		t.Error("step budget not clamped")
	}
	for d := MinTimeout; d < 2*time.Minute; d += 500 * time.Millisecond {
		if StepBudget(d) > d/stepShare && StepBudget(d) != minStep {
			t.Fatalf("step %s exceeds a quarter of %s", StepBudget(d), d)
		}
		if StepBudget(d+500*time.Millisecond) < StepBudget(d) {
			t.Fatalf("step budget shrinks as --timeout grows at %s", d)
		}
	}
	if pollWait >= minStep {
		t.Errorf("pollWait %s must fit in the smallest step %s", pollWait, minStep)
	}
	if joinBudget(minStep) <= kafkaInitialRebalanceDelay {
		t.Errorf("a join budget of %s would time out behind Kafka's %s initial rebalance delay", joinBudget(minStep), kafkaInitialRebalanceDelay)
	}
	if 4*StepBudget(MinTimeout) > MinTimeout {
		t.Errorf("the smallest --timeout %s cannot hold four steps of %s", MinTimeout, StepBudget(MinTimeout))
	}
}
