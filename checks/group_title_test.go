package checks

import (
	"testing"

	"github.com/esmdoctor/esmdoctor/awsprobe"
)

// In Queue mode the group check names a share group in its title.
func TestGroupTitleInQueueMode(t *testing.T) {
	s := &State{}
	if got := groupCheck.TitleFor(s); got != "the principal may use the mapping's consumer group" {
		t.Errorf("consumer mode: %q", got)
	}
	s.Cfg.Kafka.ConsumptionMode = awsprobe.ConsumptionQueue
	if got := groupCheck.TitleFor(s); got != "the principal may use the mapping's share group" {
		t.Errorf("Queue mode: %q", got)
	}
}
