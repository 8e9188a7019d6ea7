package checks

import (
	"strings"
	"testing"
)

// TestClassifyLag covers each lag state from per-partition offsets.
func TestClassifyLag(t *testing.T) {
	cases := []struct {
		name  string
		parts []partLag
		want  LagState
	}{
		{"caught up", []partLag{{ID: 0, End: 2, First: 2, Second: 2}, {ID: 1, Earliest: 5, End: 5, First: 5, Second: 5}}, LagCaughtUp},
		{"consuming", []partLag{{ID: 0, End: 9, First: 3, Second: 5}, {ID: 1, End: 2, First: 2, Second: 2}}, LagConsuming},
		{"stuck", []partLag{{ID: 0, End: 9, First: 3, Second: 3}, {ID: 1, End: 2, First: 2, Second: 2}}, LagStuck},
		{"never started", []partLag{{ID: 0, End: 9, First: noOffset, Second: noOffset}}, LagNeverStarted},
		{"committed before the log start", []partLag{{ID: 0, Earliest: 10, End: 10, First: 4, Second: 4}}, LagCaughtUp},
		{"no partitions", nil, LagUnknown},
	}
	for _, c := range cases {
		if got := classifyLag(c.parts); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

// TestLagLines checks the key facts of each state's words: the lag, the
// window, and what StartingPosition means for a group that never started.
func TestLagLines(t *testing.T) {
	stuck := lagLines("g", "", []partLag{{ID: 0, End: 9, First: 3, Second: 3}, {ID: 1, End: 2, First: 2, Second: 2}}, "2s")
	if !strings.HasPrefix(stuck[0], "lag of group g: stuck: 6 record(s) behind") || !strings.Contains(stuck[0], "did not move within 2s") {
		t.Errorf("stuck: %q", stuck[0])
	}
	if stuck[1] != "offsets: p0 committed=3 end=9 lag=6, p1 committed=2 end=2 lag=0" {
		t.Errorf("offsets: %q", stuck[1])
	}
	never := []partLag{{ID: 0, Earliest: 1, End: 4, First: noOffset, Second: noOffset}, {ID: 1, End: 3, First: noOffset, Second: noOffset}}
	for pos, want := range map[string]string{
		"LATEST":       "the 6 record(s) now in the topic are never delivered",
		"TRIM_HORIZON": "starts at the earliest offsets, so the 6 record(s) now in the topic are delivered",
		"":             "LATEST skips the 6 record(s) now in the topic, TRIM_HORIZON delivers them",
	} {
		if l := lagLines("g", pos, never, "2s")[0]; !strings.Contains(l, "never started: no committed offsets") || !strings.Contains(l, want) {
			t.Errorf("%q: %q", pos, l)
		}
	}
	if l := lagLines("g", "", []partLag{{ID: 0, End: 2, First: 2, Second: 2}}, "2s")[0]; !strings.Contains(l, "caught up") || !strings.Contains(l, "nothing new to read, which is healthy") {
		t.Errorf("caught up: %q", l)
	}
}
