package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// keyDescribeShareGroupOffsets is the API that reads a share group's
// start offsets and lag (KIP-932).
const keyDescribeShareGroupOffsets = 90

// shareGroupDetail says what the share group holds: state, epoch and
// members (Lambda's pollers, when the mapping runs), or that it does not
// exist yet (Lambda creates it with its first heartbeat).
func shareGroupDetail(group string, g shareGroup) []string {
	switch {
	case g.code == kcGroupIDNotFound:
		return []string{fmt.Sprintf("share group %s: does not exist yet (coordinator %s); Lambda's pollers create it when they first join", group, g.coordinator)}
	case g.code == kcGroupAuthorization:
		return []string{fmt.Sprintf("share group %s: not described (the principal may not describe it)", group)}
	case g.code != 0:
		return nil
	}
	ops := "not reported by the broker"
	if opsKnown(g.ops) {
		ops = opsList(g.ops)
	}
	out := []string{fmt.Sprintf("share group %s: coordinator %s, state %s, epoch %d, %d member(s)", group, g.coordinator, g.state, g.epoch, len(g.members)),
		"authorized operations on the share group: " + ops}
	if len(g.members) > 0 {
		out = append(out, "members (a running Queue mapping's pollers appear here; any other member takes records from the same queue): "+strings.Join(g.members, ", "))
	}
	return out
}

// startDetail says where the share group starts (or started) reading:
// share.auto.offset.reset, latest unless the group's configuration says
// otherwise, and for an existing group its start offsets and lag.
func startDetail(ctx context.Context, k *kmsgConns, via, group string, g shareGroup, sp shareSupport, partitions []int32, topic string) []string {
	cfg, err := describeGroupConfig(ctx, k, via, group, autoOffsetReset)
	var line string
	switch {
	case err != nil:
		line = fmt.Sprintf("%s: not read (%s); a share group starts at the latest offset unless the group's configuration says earliest", autoOffsetReset, shortErr(err, ""))
	case cfg.code == kcGroupAuthorization:
		line = fmt.Sprintf("%s: not readable (DescribeConfigs on Group %q is not granted, and Lambda does not need it): a share group starts at the latest offset, so records already in the topic are not delivered, unless kafka-configs --describe --entity-type groups --entity-name %s shows earliest", autoOffsetReset, group, group)
	case cfg.code != 0:
		line = fmt.Sprintf("%s: not read (Kafka error %d %s)", autoOffsetReset, cfg.code, kafkaCodeName(cfg.code))
	default:
		line = fmt.Sprintf("%s: %s (%s): %s", autoOffsetReset, cfg.value, cfg.source, startMeaning(cfg.value))
	}
	out := []string{line}
	if g.code == 0 && g.coordinator != "" {
		out = append(out, shareOffsets(ctx, k, g.coordinator, group, sp, topic, partitions))
	}
	return out
}

// startMeaning explains a share.auto.offset.reset value.
func startMeaning(v string) string {
	switch {
	case v == "latest":
		return "the group starts at the latest offset when it is first assigned a partition: records already in the topic are not delivered"
	case v == "earliest":
		return "the group starts at the earliest offset still in the topic: every retained record is delivered"
	case strings.HasPrefix(v, "by_duration:"):
		return "the group starts at the first record newer than that duration"
	}
	return "a value esmdoctor does not know"
}

// shareOffsets reads the group's start offsets and lag on the topic
// (DescribeShareGroupOffsets, which needs Describe on the group and the
// topic, as the mapping has); a line either way.
func shareOffsets(ctx context.Context, k *kmsgConns, coordinator, group string, sp shareSupport, topic string, partitions []int32) string {
	v, ok := sp.apis[keyDescribeShareGroupOffsets]
	if !ok {
		return "share-partition start offsets: not read (the broker does not serve DescribeShareGroupOffsets)"
	}
	req := kmsg.NewPtrDescribeShareGroupOffsetsRequest()
	req.Version = min(v[1], 1)
	rg := kmsg.NewDescribeShareGroupOffsetsRequestGroup()
	rg.GroupID = group
	rt := kmsg.NewDescribeShareGroupOffsetsRequestGroupTopic()
	rt.Topic, rt.Partitions = topic, partitions
	rg.Topics = append(rg.Topics, rt)
	req.Groups = append(req.Groups, rg)
	res, err := k.request(ctx, coordinator, req)
	if err != nil {
		return "share-partition start offsets: not read (" + shortErr(err, "") + ")"
	}
	var parts []string
	for _, g := range res.(*kmsg.DescribeShareGroupOffsetsResponse).Groups {
		if g.ErrorCode != 0 {
			return fmt.Sprintf("share-partition start offsets: not read (Kafka error %d %s)", g.ErrorCode, kafkaCodeName(g.ErrorCode))
		}
		for _, t := range g.Topics {
			for _, p := range t.Partitions {
				parts = append(parts, offsetPart(t.Topic, p))
			}
		}
	}
	if len(parts) == 0 {
		return "share-partition start offsets: none yet (the group has not been assigned " + topic + ")"
	}
	return "share-partition start offsets: " + strings.Join(parts, ", ")
}

// offsetPart renders one partition's start offset and lag.
func offsetPart(topic string, p kmsg.DescribeShareGroupOffsetsResponseGroupTopicPartition) string {
	switch {
	case p.ErrorCode != 0:
		return fmt.Sprintf("%s/%d %s", topic, p.Partition, kafkaCodeName(p.ErrorCode))
	case p.StartOffset < 0:
		return fmt.Sprintf("%s/%d not initialized (nothing acquired yet)", topic, p.Partition)
	case p.Lag >= 0:
		return fmt.Sprintf("%s/%d %d (lag %d)", topic, p.Partition, p.StartOffset, p.Lag)
	}
	return fmt.Sprintf("%s/%d %d", topic, p.Partition, p.StartOffset)
}
