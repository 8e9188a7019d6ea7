package checks

import (
	"fmt"
	"strings"
)

// LagState is where a group stands against its topic's end offsets.
type LagState string

// The lag states the group check reports.
const (
	LagCaughtUp     LagState = "caught up"     // every partition committed at its end: nothing new to read
	LagConsuming    LagState = "consuming"     // lag > 0 and the committed offsets moved within the window
	LagStuck        LagState = "stuck"         // lag > 0 and the committed offsets did not move within the window
	LagNeverStarted LagState = "never started" // no committed offset on any partition
	LagUnknown      LagState = "unknown"       // offsets could not be read
)

// noOffset marks a partition without a committed offset.
const noOffset = -1

// partLag is one partition's offsets: the log's start and end (ListOffsets)
// and the group's committed offset at the first and second read (noOffset
// when none).
type partLag struct {
	ID            int32
	Earliest, End int64
	First, Second int64
}

// lag is the records between the committed offset and the end (the whole
// log from its start when nothing is committed).
func (p partLag) lag() int64 {
	from := p.First
	if from < p.Earliest {
		from = p.Earliest
	}
	return max(0, p.End-from)
}

// classifyLag decides the group's lag state from per-partition offsets.
// moved says whether any committed offset changed between the two reads.
func classifyLag(parts []partLag) LagState {
	committed, lagging, moved := 0, int64(0), false
	for _, p := range parts {
		if p.First != noOffset {
			committed++
			lagging += p.lag()
		}
		if p.Second != p.First {
			moved = true
		}
	}
	switch {
	case len(parts) == 0:
		return LagUnknown
	case committed == 0:
		return LagNeverStarted
	case lagging == 0 && !moved:
		return LagCaughtUp
	case moved:
		return LagConsuming
	}
	return LagStuck
}

// lagLines renders the lag detail: the verdict in plain words, then the
// offsets of each partition.
func lagLines(group, startingPosition string, parts []partLag, window string) []string {
	state := classifyLag(parts)
	var total, waiting int64
	var cells []string
	for _, p := range parts {
		total += p.lag()
		waiting += p.End - p.Earliest
		committed := "none"
		if p.First != noOffset {
			committed = fmt.Sprint(p.First)
		}
		cells = append(cells, fmt.Sprintf("p%d committed=%s end=%d lag=%d", p.ID, committed, p.End, p.lag()))
	}
	head := fmt.Sprintf("lag of group %s: %s", group, state)
	switch state {
	case LagCaughtUp:
		head += ": every partition is committed at its end offset; nothing new to read, which is healthy (a mapping with no new records invokes nothing)"
	case LagConsuming:
		head += fmt.Sprintf(": %d record(s) behind and the committed offsets moved within %s", total, window)
	case LagStuck:
		head += fmt.Sprintf(": %d record(s) behind and the committed offsets did not move within %s (a mapping that reads and commits moves them; check its logs, metrics and function errors)", total, window)
	case LagNeverStarted:
		head += ": no committed offsets; " + firstPoll(startingPosition, waiting)
	}
	return []string{head, "offsets: " + strings.Join(cells, ", ")}
}

// firstPoll says what StartingPosition means for a group's first poll.
func firstPoll(pos string, waiting int64) string {
	switch strings.ToUpper(pos) {
	case "LATEST":
		return fmt.Sprintf("StartingPosition LATEST: the first poll starts at the end offsets, so the %d record(s) now in the topic are never delivered; only newer ones are", waiting)
	case "TRIM_HORIZON":
		return fmt.Sprintf("StartingPosition TRIM_HORIZON: the first poll starts at the earliest offsets, so the %d record(s) now in the topic are delivered", waiting)
	case "AT_TIMESTAMP":
		return "StartingPosition AT_TIMESTAMP: the first poll starts at the first record at or after StartingPositionTimestamp"
	}
	return fmt.Sprintf("a new mapping starts at its StartingPosition: LATEST skips the %d record(s) now in the topic, TRIM_HORIZON delivers them", waiting)
}
