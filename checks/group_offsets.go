package checks

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/IBM/sarama"
	"github.com/esmdoctor/esmdoctor/probe"
)

// lagWindow is how long the group check waits between its two reads of
// the committed offsets when the group is behind: offsets that move within
// it mean the mapping is consuming, offsets that stay mean it is stuck.
const lagWindow = 2 * time.Second

// committedOffsets reads, read-only, where the group stands on each
// partition (OffsetFetch needs only Describe on the group and the topic)
// against the partitions' end offsets (ListOffsets), and says whether the
// group is caught up, consuming, stuck or never started. It returns detail
// lines; errors become lines, never a verdict, because the ACL checks
// above already decide.
func committedOffsets(ctx context.Context, s *State, coordinator string) []string {
	group := s.group()
	first, line := fetchCommitted(ctx, s, coordinator)
	if line != "" {
		return []string{line}
	}
	logs, err := logOffsets(ctx, s)
	if err != nil {
		return []string{committedLine(group, first), "lag: end offsets not read (" + shortErr(err, "") + ")"}
	}
	parts := joinLag(s.Meta.Partitions, logs, first)
	second := first
	if behind(parts) {
		if !probe.Sleep(ctx, lagWindow) {
			return []string{committedLine(group, first), "lag: not measured (interrupted)"}
		}
		if second, line = fetchCommitted(ctx, s, coordinator); line != "" {
			return []string{committedLine(group, first), "lag: second read failed: " + line}
		}
	}
	for i := range parts {
		parts[i].Second = offsetOr(second, parts[i].ID)
	}
	lines := append([]string{committedLine(group, first)}, lagLines(group, s.startingPosition(), parts, lagWindow.String())...)
	if w := s.batchingWindow(); classifyLag(parts) == LagStuck && time.Duration(w)*time.Second >= lagWindow {
		lines = append(lines, fmt.Sprintf("the mapping's MaximumBatchingWindowInSeconds is %d: a mapping filling a batch waits up to %d s and commits nothing meanwhile, so offsets that stand still for %s are not yet proof it is stuck", w, w, lagWindow))
	}
	return lines
}

// fetchCommitted reads the group's committed offsets (noOffset when none);
// a non-empty line explains why they could not be read. A group that does
// not exist has no committed offsets.
func fetchCommitted(ctx context.Context, s *State, coordinator string) (map[int32]int64, string) {
	req := &sarama.OffsetFetchRequest{Version: 5, ConsumerGroup: s.group()}
	for _, p := range s.Meta.Partitions {
		req.AddPartition(s.topic(), p.ID)
	}
	q := fmt.Sprintf("OffsetFetch group %s topic %s partitions %v", s.group(), s.topic(), partitionIDs(s))
	res, err := ask(ctx, s, coordinator, q, nil, func(b *sarama.Broker) (*sarama.OffsetFetchResponse, error) { return b.FetchOffset(req) })
	if err != nil {
		return nil, "committed offsets: not read (" + shortErr(err, "") + ")"
	}
	out := map[int32]int64{}
	if res.Err == sarama.ErrGroupIDNotFound {
		return out, ""
	}
	if res.Err != sarama.ErrNoError {
		return nil, fmt.Sprintf("committed offsets: not read (Kafka error %d %s)", int16(res.Err), kafkaErrorName(res.Err))
	}
	for _, p := range s.Meta.Partitions {
		b := res.GetBlock(s.topic(), p.ID)
		switch {
		case b == nil || b.Err != sarama.ErrNoError:
			return nil, fmt.Sprintf("committed offsets: not read for partition %d", p.ID)
		case b.Offset >= 0:
			out[p.ID] = b.Offset
		}
	}
	return out, ""
}

// committedLine is the historical one-line summary of committed offsets.
func committedLine(group string, c map[int32]int64) string {
	if len(c) == 0 {
		return "committed offsets: none yet for group " + group
	}
	ids := make([]int, 0, len(c))
	for id := range c {
		ids = append(ids, int(id))
	}
	sort.Ints(ids)
	parts := make([]string, 0, len(ids))
	for _, id := range ids {
		parts = append(parts, fmt.Sprintf("p%d=%d", id, c[int32(id)]))
	}
	return "committed offsets of group " + group + ": " + strings.Join(parts, ", ")
}

// logOffsets reads every partition's earliest and end offsets, leader by leader.
func logOffsets(ctx context.Context, s *State) (map[int32][2]int64, error) {
	byLeader := map[int32][]int32{}
	for _, p := range s.Meta.Partitions {
		byLeader[p.Leader] = append(byLeader[p.Leader], p.ID)
	}
	out := map[int32][2]int64{}
	for leader, parts := range byLeader {
		addr, ok := s.Meta.Brokers[leader]
		if !ok {
			return nil, fmt.Errorf("partition %d has no reachable leader", parts[0])
		}
		ends, st := listOffsets(ctx, s, addr, parts)
		switch {
		case st.err != nil:
			return nil, st.err
		case st.kerr != sarama.ErrNoError:
			return nil, fmt.Errorf("ListOffsets: Kafka error %d %s", int16(st.kerr), kafkaErrorName(st.kerr))
		}
		for p, e := range ends {
			out[p] = e
		}
	}
	return out, nil
}

// joinLag combines log and committed offsets per partition, in order.
func joinLag(meta []PartitionMeta, logs map[int32][2]int64, committed map[int32]int64) []partLag {
	parts := make([]partLag, 0, len(meta))
	for _, p := range meta {
		e := logs[p.ID]
		c := offsetOr(committed, p.ID)
		parts = append(parts, partLag{ID: p.ID, Earliest: e[0], End: e[1], First: c, Second: c})
	}
	sort.Slice(parts, func(i, j int) bool { return parts[i].ID < parts[j].ID })
	return parts
}

// behind reports whether a committed partition has records left to read.
func behind(parts []partLag) bool {
	for _, p := range parts {
		if p.First != noOffset && p.lag() > 0 {
			return true
		}
	}
	return false
}

// offsetOr returns m[id], or noOffset.
func offsetOr(m map[int32]int64, id int32) int64 {
	if v, ok := m[id]; ok {
		return v
	}
	return noOffset
}
