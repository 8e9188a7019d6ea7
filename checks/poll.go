package checks

import (
	"context"
	"fmt"
	"github.com/esmdoctor/esmdoctor/catalog"
	"sort"

	"github.com/IBM/sarama"
)

var pollCheck = Check{
	ID:    "poll",
	Title: "can fetch from every partition of the topic",
	Needs: []string{"brokers"},
	Run:   runPoll,
}

// Poll bounds: read at most the last pollRecords records of each partition,
// at most pollPartitionBytes each; this proves Read access and shows what
// the mapping would receive, without draining the topic.
const (
	pollRecords        = 10
	pollPartitionBytes = 1 << 20
	// invokeLimit is the synchronous invoke payload limit a batch must fit.
	invokeLimit = 6 * 1024 * 1024
)

// pollStats is what one leader's fetch saw.
type pollStats struct {
	records, bytes int64
	largest        int64
	largestAt      string
	largestPart    int32
	largestOffset  int64
	err            error
	kerr           sarama.KError
	filter         *filterSample
	sample         *recordSample
}

func runPoll(ctx context.Context, s *State) Outcome {
	sample, ferr := newFilterSample(s.filterCriteria())
	byLeader := map[int32][]int32{}
	for _, p := range s.Meta.Partitions {
		byLeader[p.Leader] = append(byLeader[p.Leader], p.ID)
	}
	leaders := leaderAddrs(s.Meta)
	stats := make([]pollStats, len(leaders))
	fanOut(len(leaders), func(i int) {
		stats[i] = pollLeader(ctx, s, s.Meta.Brokers[leaders[i]], byLeader[leaders[i]], sample.fork(), newRecordSample(s))
	})
	kept := newRecordSample(s)
	var total pollStats
	for i, st := range stats {
		addr := s.Meta.Brokers[leaders[i]]
		args := Args{"topic": s.topic(), "addr": addr}
		switch {
		case st.kerr == sarama.ErrTopicAuthorizationFailed && s.auth() == AuthIAM:
			g := grantFor(s, acl{"Topic", s.topic(), "Read"})
			args["principal"], args["actions"], args["resource"], args["iam_fix"] = principalName(s), g.Action, g.Resource, iamFix(s, []iamGrant{g})
			return fail(catalog.POLL003, args)
		case st.kerr == sarama.ErrTopicAuthorizationFailed:
			args["acl_fix"] = aclOutcomeArgs(ctx, s, s.Meta.Via, []acl{{"Topic", s.topic(), "Read"}})["acl_fix"]
			return fail(catalog.POLL001, args)
		case st.kerr != sarama.ErrNoError:
			args["detail"] = fmt.Sprintf("Kafka error %d %s", int16(st.kerr), kafkaErrorName(st.kerr))
			return fail(catalog.POLL002, args)
		case st.err != nil:
			args["detail"] = shortErr(st.err, "")
			if isTimeout(st.err) {
				args["detail"] = "no answer within " + waited(st.err, nil, s.Step)
			}
			return fail(catalog.POLL002, args)
		}
		sample.merge(st.filter)
		kept.merge(st.sample)
		total.records += st.records
		total.bytes += st.bytes
		if st.largest > total.largest {
			total.largest, total.largestPart, total.largestOffset = st.largest, st.largestPart, st.largestOffset
		}
	}
	kept.publish(s)
	detail := []string{fmt.Sprintf("fetched %d record(s), %d bytes, from %d partition(s) without a group and without committing (largest record %d bytes)",
		total.records, total.bytes, len(s.Meta.Partitions), total.largest)}
	switch {
	case ferr != nil:
		detail = append(detail, "filter criteria: not evaluated: "+ferr.Error())
	case sample != nil:
		detail = append(detail, sample.line())
	}
	if sample != nil && sample.sampled > 0 && sample.matched == 0 {
		return warn(catalog.POLL102, Args{"topic": s.topic(), "sampled": fmt.Sprint(sample.sampled),
			"not_json": fmt.Sprint(sample.notJSON)}, detail...)
	}
	if total.largest > invokeLimit {
		return warn(catalog.POLL101, Args{"topic": s.topic(), "partition": fmt.Sprint(total.largestPart),
			"offset": fmt.Sprint(total.largestOffset), "size": fmt.Sprint(total.largest)}, detail...)
	}
	return pass(detail...)
}

// pollLeader reads the tail of each partition a leader owns.
func pollLeader(ctx context.Context, s *State, addr string, parts []int32, sample *filterSample, kept *recordSample) pollStats {
	sort.Slice(parts, func(i, j int) bool { return parts[i] < parts[j] })
	starts, st := tailOffsets(ctx, s, addr, parts)
	st.filter, st.sample = sample, kept
	if st.err != nil || st.kerr != sarama.ErrNoError {
		return st
	}
	req := &sarama.FetchRequest{Version: 11, MaxWaitTime: int32(pollWait.Milliseconds()), MinBytes: 0,
		MaxBytes: pollPartitionBytes * int32(len(parts)), Isolation: sarama.ReadCommitted}
	for _, p := range parts {
		req.AddBlock(s.topic(), p, starts[p], pollPartitionBytes, -1)
	}
	q := fmt.Sprintf("Fetch topic %s partitions %v from %v", s.topic(), parts, starts)
	res, err := ask(ctx, s, addr, q, nil, func(b *sarama.Broker) (*sarama.FetchResponse, error) { return b.Fetch(req) })
	if err != nil {
		return pollStats{err: err}
	}
	if res.ErrorCode != 0 {
		return pollStats{kerr: sarama.KError(res.ErrorCode)}
	}
	for _, p := range parts {
		block := res.GetBlock(s.topic(), p)
		if block == nil {
			continue
		}
		if block.Err != sarama.ErrNoError {
			return pollStats{kerr: block.Err}
		}
		countRecords(block, s.topic(), p, &st)
	}
	return st
}

// tailOffsets finds, per partition, where the last pollRecords records start.
func tailOffsets(ctx context.Context, s *State, addr string, parts []int32) (map[int32]int64, pollStats) {
	ends, st := listOffsets(ctx, s, addr, parts)
	if st.err != nil || st.kerr != sarama.ErrNoError {
		return nil, st
	}
	starts := map[int32]int64{}
	for p, e := range ends {
		starts[p] = max(e[0], e[1]-pollRecords)
	}
	return starts, pollStats{}
}

// listOffsets reads (ListOffsets, read-only) each partition's earliest and
// end offsets from its leader.
func listOffsets(ctx context.Context, s *State, addr string, parts []int32) (map[int32][2]int64, pollStats) {
	ends := map[int32][2]int64{}
	for i, at := range []int64{sarama.OffsetOldest, sarama.OffsetNewest} {
		req := &sarama.OffsetRequest{Version: 1}
		for _, p := range parts {
			req.AddBlock(s.topic(), p, at, 1)
		}
		q := fmt.Sprintf("ListOffsets topic %s partitions %v at %d", s.topic(), parts, at)
		res, err := ask(ctx, s, addr, q, nil, func(b *sarama.Broker) (*sarama.OffsetResponse, error) { return b.GetAvailableOffsets(req) })
		if err != nil {
			if kerr, ok := kafkaError(err); ok {
				return nil, pollStats{kerr: kerr}
			}
			return nil, pollStats{err: err}
		}
		for _, p := range parts {
			b := res.GetBlock(s.topic(), p)
			if b == nil {
				return nil, pollStats{err: fmt.Errorf("no offsets returned for partition %d", p)}
			}
			if b.Err != sarama.ErrNoError {
				return nil, pollStats{kerr: b.Err}
			}
			e := ends[p]
			e[i] = b.Offset
			ends[p] = e
		}
	}
	return ends, pollStats{}
}

func countRecords(block *sarama.FetchResponseBlock, topic string, part int32, st *pollStats) {
	for _, set := range block.RecordsSet {
		if set == nil || set.RecordBatch == nil {
			continue
		}
		for _, r := range set.RecordBatch.Records {
			size := int64(len(r.Key) + len(r.Value))
			st.filter.add(topic, part, set.RecordBatch, r)
			st.sample.add(topic, part, set.RecordBatch.FirstOffset+r.OffsetDelta, r)
			st.records++
			st.bytes += size
			if size > st.largest {
				st.largest, st.largestPart, st.largestOffset = size, part, set.RecordBatch.FirstOffset+r.OffsetDelta
			}
		}
	}
}
