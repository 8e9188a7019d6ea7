package health

import (
	"strings"
	"testing"
	"time"
)

// TestStreamDays: the days whose <date>/<UUID> stream may hold the
// window's events, newest first, from end's day to the day before start.
func TestStreamDays(t *testing.T) {
	end := time.Date(2026, 11, 30, 0, 20, 0, 0, time.UTC)
	if got := strings.Join(streamDays(end.Add(-time.Hour), end), " "); got != "2026/11/30 2026/11/29 2026/11/28" {
		t.Fatalf("1h across midnight: %s", got)
	}
	if got := streamDays(end.Add(-14*24*time.Hour), end); len(got) != 16 || got[15] != "2026/11/15" {
		t.Fatalf("14 days: %d days, last %s", len(got), got[len(got)-1])
	}
	if got := streamDays(end.Add(-400*24*time.Hour), end); len(got) != maxStreamDays {
		t.Fatalf("bounded: %d days", len(got))
	}
}

// TestMetricPeriod: a multiple of 60 s, at most maxMetricPoints points.
func TestMetricPeriod(t *testing.T) {
	for _, c := range []struct {
		w    time.Duration
		want int32
	}{{time.Minute, 60}, {time.Hour, 60}, {6 * time.Hour, 60}, {7 * time.Hour, 120}, {14 * 24 * time.Hour, 3360}} {
		if got := MetricPeriod(c.w); got != c.want {
			t.Errorf("%s: %d, want %d", c.w, got, c.want)
		}
	}
}
