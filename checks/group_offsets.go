package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/IBM/sarama"
)

// committedOffsets reads, read-only, where the group stands on each
// partition (OffsetFetch needs only Describe on the group and the topic):
// a support ticket then shows whether the mapping ever committed, and
// where. It returns one detail line; errors become that line, never a
// verdict, because the ACL checks above already decide.
func committedOffsets(ctx context.Context, s *State, coordinator string) string {
	req := &sarama.OffsetFetchRequest{Version: 5, ConsumerGroup: s.group()}
	for _, p := range s.Meta.Partitions {
		req.AddPartition(s.topic(), p.ID)
	}
	res, err := request(ctx, s, coordinator, func(b *sarama.Broker) (*sarama.OffsetFetchResponse, error) { return b.FetchOffset(req) })
	if err != nil {
		return "committed offsets: not read (" + shortErr(err, "") + ")"
	}
	if res.Err == sarama.ErrGroupIDNotFound {
		return "committed offsets: none yet for group " + s.group() + " (the group does not exist; a new mapping starts at its StartingPosition)"
	}
	if res.Err != sarama.ErrNoError {
		return fmt.Sprintf("committed offsets: not read (Kafka error %d %s)", int16(res.Err), kafkaErrorName(res.Err))
	}
	var parts []string
	committed := 0
	for _, p := range s.Meta.Partitions {
		b := res.GetBlock(s.topic(), p.ID)
		switch {
		case b == nil || b.Err != sarama.ErrNoError:
			parts = append(parts, fmt.Sprintf("p%d=?", p.ID))
		case b.Offset < 0:
			parts = append(parts, fmt.Sprintf("p%d=none", p.ID))
		default:
			committed++
			parts = append(parts, fmt.Sprintf("p%d=%d", p.ID, b.Offset))
		}
	}
	if committed == 0 {
		return "committed offsets: none yet for group " + s.group() + " (a new mapping starts at its StartingPosition)"
	}
	return "committed offsets of group " + s.group() + ": " + strings.Join(parts, ", ")
}
