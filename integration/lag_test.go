package integration

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/IBM/sarama"
	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/model"
)

// lagBed commits offsets for a group as the test bed's admin (a peer
// standing in for the mapping's pollers: esmdoctor itself never commits).
type lagBed struct {
	t      *testing.T
	client sarama.Client
	topic  string
	group  string
	ends   map[int32]int64
}

// newLagBed connects as admin and reads the topic's end offsets.
func newLagBed(t *testing.T, b bed) *lagBed {
	client, err := sarama.NewClient([]string{b.Get("ADMIN")}, b.adminConfig())
	if err != nil {
		t.Fatalf("admin client: %v", err)
	}
	t.Cleanup(func() { client.Close() })
	l := &lagBed{t: t, client: client, topic: b.Get("TOPIC"), group: b.Get("GROUP"), ends: map[int32]int64{}}
	parts, err := client.Partitions(l.topic)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range parts {
		if l.ends[p], err = client.GetOffset(l.topic, p, sarama.OffsetNewest); err != nil {
			t.Fatal(err)
		}
	}
	return l
}

// reset deletes the group's committed offsets (the group is empty).
func (l *lagBed) reset() {
	admin, err := sarama.NewClusterAdminFromClient(l.client)
	if err != nil {
		l.t.Fatal(err)
	}
	if err := admin.DeleteConsumerGroup(l.group); err != nil && !isKErr(err, sarama.ErrGroupIDNotFound) {
		l.t.Fatalf("delete group: %v", err)
	}
}

// commit commits the given offsets as a simple (generation -1) consumer.
func (l *lagBed) commit(offsets map[int32]int64) {
	coord, err := l.client.Coordinator(l.group)
	if err != nil {
		l.t.Fatal(err)
	}
	req := &sarama.OffsetCommitRequest{Version: 2, ConsumerGroup: l.group, ConsumerGroupGeneration: -1, RetentionTime: -1}
	for p, o := range offsets {
		req.AddBlock(l.topic, p, o, 0, "")
	}
	res, err := coord.CommitOffset(req)
	if err != nil {
		l.t.Fatal(err)
	}
	for p, kerr := range res.Errors[l.topic] {
		if kerr != sarama.ErrNoError {
			l.t.Fatalf("commit p%d: %v", p, kerr)
		}
	}
}

// isKErr reports whether err is (or wraps) the Kafka error k.
func isKErr(err error, k sarama.KError) bool { return errors.Is(err, k) }

// TestGroupLagOnRealBroker: the group check reads committed and end
// offsets on the real broker and names the state: never started (with what
// LATEST means), caught up, stuck.
func TestGroupLagOnRealBroker(t *testing.T) {
	b := requireBed(t)
	l := newLagBed(t, b)
	waitGroupEmpty(t, b, l.group)
	l.reset()
	t.Cleanup(l.reset)
	var total int64
	for _, e := range l.ends {
		total += e
	}
	cfg := scramOK(b)
	cfg.ConsumerGroup, cfg.StartingPosition, cfg.Timeout = l.group, "LATEST", matrixTimeout

	lag := groupLagLine(t, cfg)
	if !strings.Contains(lag, "never started: no committed offsets; StartingPosition LATEST") || !strings.Contains(lag, fmt.Sprintf("the %d record(s) now in the topic are never delivered", total)) {
		t.Fatalf("never started: %q", lag)
	}

	l.commit(l.ends)
	if lag = groupLagLine(t, cfg); !strings.Contains(lag, "caught up: every partition is committed at its end offset") {
		t.Fatalf("caught up: %q", lag)
	}

	behind := map[int32]int64{}
	for p, e := range l.ends {
		behind[p] = e
	}
	behind[0] = l.ends[0] - 1
	l.commit(behind)
	if lag = groupLagLine(t, cfg); !strings.Contains(lag, "stuck: 1 record(s) behind and the committed offsets did not move within 2s") {
		t.Fatalf("stuck: %q", lag)
	}
	// A batching window longer than the check's own window: offsets that
	// stand still are not yet proof, and the check says so.
	w := int32(60)
	cfg.BatchingWindow = &w
	for _, r := range checks.Run(context.Background(), cfg, nil) {
		if r.ID == "group" && !strings.Contains(strings.Join(r.Detail, "\n"), "the mapping's MaximumBatchingWindowInSeconds is 60: a mapping filling a batch waits up to 60 s and commits nothing meanwhile") {
			t.Fatalf("group detail with a 60 s batching window: %v", r.Detail)
		}
	}
}

// groupLagLine runs the pipeline and returns the group check's lag line;
// the group check must pass.
func groupLagLine(t *testing.T, cfg checks.Config) string {
	t.Helper()
	for _, r := range checks.Run(context.Background(), cfg, nil) {
		if r.ID != "group" {
			continue
		}
		if r.Status != model.Pass {
			t.Fatalf("group %s %s: %s %v", r.Status, r.Code, r.Cause(), r.Detail)
		}
		for _, d := range r.Detail {
			if strings.HasPrefix(d, "lag of group ") {
				return d
			}
		}
		t.Fatalf("no lag line in %v", r.Detail)
	}
	t.Fatal("no group result")
	return ""
}
