package lab

import (
	"context"
	"maps"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// The read-only guarantees: a run never creates a topic, produces, commits
// an offset or joins the mapping's group (unless --join-group, which joins
// and leaves, and never when the group has members). Each test compares the
// broker's state before and after a run, as the superuser, and a spy on
// the broker records every request esmdoctor sent.

// readOnlyKeys are the requests a default run may send.
var readOnlyKeys = []int16{
	int16(kmsg.Fetch), int16(kmsg.ListOffsets), int16(kmsg.Metadata), int16(kmsg.FindCoordinator),
	int16(kmsg.DescribeGroups), int16(kmsg.SASLHandshake), int16(kmsg.ApiVersions),
	int16(kmsg.DescribeConfigs), int16(kmsg.SASLAuthenticate), int16(kmsg.OffsetFetch),
}

// spy records the request keys a cluster handles while it is on, and
// metadata requests that asked for topic auto-creation.
type spy struct {
	mu         sync.Mutex
	on         bool
	keys       map[int16]int
	autoCreate int
}

func watch(c *kfake.Cluster) *spy {
	s := &spy{on: true, keys: map[int16]int{}}
	c.Control(func(req kmsg.Request) (kmsg.Response, error, bool) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.on {
			s.keys[req.Key()]++
			if m, ok := req.(*kmsg.MetadataRequest); ok && m.AllowAutoTopicCreation && m.Version >= 4 {
				s.autoCreate++
			}
		}
		return nil, nil, false // observe only: the cluster handles it
	})
	return s
}

// stop ends recording and returns the keys seen.
func (s *spy) stop() map[int16]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.on = false
	return maps.Clone(s.keys)
}

// assertOnly fails when the run sent a request outside allowed.
func assertOnly(t *testing.T, seen map[int16]int, allowed ...int16) {
	t.Helper()
	for k, n := range seen {
		if !slices.Contains(allowed, k) {
			t.Errorf("the run sent %d %s request(s)", n, kmsg.NameForKey(k))
		}
	}
}

// startLab starts a scenario for a read-only test.
func startLab(t *testing.T, name string, extra ...kfake.Opt) *Lab {
	t.Helper()
	l, err := start(context.Background(), name, extra...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.Close)
	return l
}

// run runs every check against the lab.
func run(l *Lab, joinGroup bool) []model.Result {
	cfg := l.Config
	cfg.Timeout, cfg.JoinGroup = runTimeout, joinGroup
	return checks.Run(context.Background(), cfg, nil)
}

func TestRunCreatesNoTopic(t *testing.T) {
	l := startLab(t, "unknown-topic") // the cluster allows auto-creation
	before := topics(t, l)
	sp := watch(l.clusters[0])
	res := run(l, false)
	sent := sp.stop()
	if r := find(res, "topic"); r.Code != "ESM-TOPIC-001" {
		t.Fatalf("topic check: %s %s", r.Status, r.Code)
	}
	after := topics(t, l)
	if !slices.Equal(before, after) || slices.Contains(after, missingTopic) {
		t.Errorf("topics before %v, after %v", before, after)
	}
	assertOnly(t, sent, readOnlyKeys...)
	if sp.autoCreate != 0 {
		t.Errorf("%d metadata request(s) asked for auto-creation", sp.autoCreate)
	}
	// The control: this broker does create a topic for a client that asks.
	req := kmsg.NewPtrMetadataRequest()
	req.AllowAutoTopicCreation = true
	mt := kmsg.NewMetadataRequestTopic()
	mt.Topic = kmsg.StringPtr("auto-created")
	req.Topics = append(req.Topics, mt)
	adminRequest(t, l, req)
	if got := topics(t, l); !slices.Contains(got, "auto-created") {
		t.Errorf("control failed: the broker did not auto-create a topic (%v)", got)
	}
}

func TestRunProducesNothing(t *testing.T) {
	l := startLab(t, "healthy")
	before := highWater(t, l)
	sp := watch(l.clusters[0])
	res := run(l, false)
	sent := sp.stop()
	if r := find(res, "poll"); r.Status != model.Pass {
		t.Fatalf("poll: %s %s", r.Status, r.Code)
	}
	if after := highWater(t, l); !maps.Equal(before, after) {
		t.Errorf("high-water marks before %v, after %v", before, after)
	}
	if want := map[int32]int64{0: 2, 1: 2, 2: 2}; !maps.Equal(before, want) {
		t.Errorf("seeded high-water marks %v, want %v", before, want)
	}
	assertOnly(t, sent, readOnlyKeys...)
}

func TestRunCommitsNoOffset(t *testing.T) {
	l := startLab(t, "healthy")
	sp := watch(l.clusters[0])
	run(l, false)
	assertOnly(t, sp.stop(), readOnlyKeys...)
	if got := committed(t, l); got != nil {
		t.Errorf("the group has offsets %v; want no group at all", got)
	}
}

func TestRunJoinsNoGroup(t *testing.T) {
	l := startLab(t, "healthy")
	sp := watch(l.clusters[0])
	res := run(l, false)
	assertOnly(t, sp.stop(), readOnlyKeys...)
	if r := find(res, "group"); r.Status != model.Pass {
		t.Fatalf("group: %s %s", r.Status, r.Code)
	}
	g := describeGroup(t, l)
	if g.State != "Dead" || len(g.Members) != 0 {
		t.Errorf("group after the run: state %s, %d member(s); want Dead (never created), none", g.State, len(g.Members))
	}
	if slices.Contains(listGroups(t, l), GroupID) {
		t.Error("the run created the group")
	}
}

func TestJoinGroupJoinsAndLeaves(t *testing.T) {
	l := startLab(t, "healthy")
	sp := watch(l.clusters[0])
	res := run(l, true)
	sent := sp.stop()
	r := find(res, "group")
	if r.Status != model.Pass || !seen(res, "group", "", "--join-group: joined as ") {
		t.Fatalf("group: %s %s %v", r.Status, r.Code, r.Detail)
	}
	if sent[int16(kmsg.JoinGroup)] == 0 || sent[int16(kmsg.LeaveGroup)] != 1 {
		t.Errorf("JoinGroup sent %d times, LeaveGroup %d times", sent[int16(kmsg.JoinGroup)], sent[int16(kmsg.LeaveGroup)])
	}
	assertOnly(t, sent, append(readOnlyKeys, int16(kmsg.JoinGroup), int16(kmsg.LeaveGroup))...)
	g := describeGroup(t, l)
	if g.State != "Empty" || len(g.Members) != 0 {
		t.Errorf("group after --join-group: state %s, %d member(s); want Empty, none", g.State, len(g.Members))
	}
	if got, want := committed(t, l), map[int32]int64{0: -1, 1: -1, 2: -1}; !maps.Equal(got, want) {
		t.Errorf("offsets after --join-group %v, want %v", got, want)
	}
}

func TestJoinGroupRefusedWithActiveMember(t *testing.T) {
	l := startLab(t, "healthy")
	consumer := joinConsumer(t, l)
	member, gen := consumer.GroupMetadata()
	sp := watch(l.clusters[0])
	res := run(l, true)
	sent := sp.stop()
	r := find(res, "group")
	if r.Status != model.Warn || r.Code != "ESM-GROUP-102" || r.Args["members"] != "1" || r.Args["state"] != "Stable" {
		t.Fatalf("group: %s %s %v\n%s", r.Status, r.Code, r.Args, dump(res))
	}
	if !seen(res, "group", "", "--join-group not attempted") {
		t.Errorf("group detail: %v", r.Detail)
	}
	for _, k := range []kmsg.Key{kmsg.JoinGroup, kmsg.SyncGroup, kmsg.LeaveGroup, kmsg.OffsetCommit} {
		if sent[int16(k)] != 0 {
			t.Errorf("%d %s request(s) during the run", sent[int16(k)], k.Name())
		}
	}
	if m, g := consumer.GroupMetadata(); m != member || g != gen {
		t.Errorf("consumer was rebalanced: member %s gen %d -> %s gen %d", member, gen, m, g)
	}
	if g := describeGroup(t, l); len(g.Members) != 1 || g.Members[0].MemberID != member {
		t.Errorf("group after the run: %s with %d member(s)", g.State, len(g.Members))
	}
}

// joinConsumer starts a franz-go consumer in the mapping's group (as the
// superuser) and waits until the group is Stable with it as the member.
func joinConsumer(t *testing.T, l *Lab) *kgo.Client {
	t.Helper()
	cl, err := l.admin.client(kgo.ConsumerGroup(GroupID), kgo.ConsumeTopics(Topic), kgo.DisableAutoCommit())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for ctx.Err() == nil {
			cl.PollFetches(ctx)
		}
	}()
	t.Cleanup(func() { cancel(); wg.Wait(); cl.Close() })
	deadline := time.Now().Add(20 * time.Second)
	for {
		if g := describeGroup(t, l); g.State == "Stable" && len(g.Members) == 1 {
			if _, gen := cl.GroupMetadata(); gen > 0 {
				return cl
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the consumer did not join the group")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// adminRequest sends req as the superuser; franz-go routes it to the right
// broker (leader, coordinator) and merges split responses.
func adminRequest(t *testing.T, l *Lab, req kmsg.Request) kmsg.Response {
	t.Helper()
	cl, err := l.admin.client()
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := cl.Request(ctx, req)
	if err != nil {
		t.Fatalf("%s: %v", kmsg.NameForKey(req.Key()), err)
	}
	return resp
}

func topics(t *testing.T, l *Lab) []string {
	t.Helper()
	req := kmsg.NewPtrMetadataRequest() // nil Topics: every topic
	var names []string
	for _, tp := range adminRequest(t, l, req).(*kmsg.MetadataResponse).Topics {
		names = append(names, *tp.Topic)
	}
	sort.Strings(names)
	return names
}

func highWater(t *testing.T, l *Lab) map[int32]int64 {
	t.Helper()
	req := kmsg.NewPtrListOffsetsRequest()
	rt := kmsg.NewListOffsetsRequestTopic()
	rt.Topic = Topic
	for p := range int32(numPartitions) {
		rp := kmsg.NewListOffsetsRequestTopicPartition()
		rp.Partition, rp.Timestamp = p, -1 // latest
		rt.Partitions = append(rt.Partitions, rp)
	}
	req.Topics = append(req.Topics, rt)
	out := map[int32]int64{}
	for _, tp := range adminRequest(t, l, req).(*kmsg.ListOffsetsResponse).Topics {
		for _, p := range tp.Partitions {
			if p.ErrorCode != 0 {
				t.Fatalf("list offsets %s/%d: error %d", tp.Topic, p.Partition, p.ErrorCode)
			}
			out[p.Partition] = p.Offset
		}
	}
	return out
}

// committed returns the group's committed offset per partition (-1:
// none); nil when the group does not exist at all (kfake answers
// OffsetFetch for an unknown group with GROUP_ID_NOT_FOUND, where Kafka's
// classic coordinator answers offset -1 for every partition).
func committed(t *testing.T, l *Lab) map[int32]int64 {
	t.Helper()
	req := kmsg.NewPtrOffsetFetchRequest()
	req.Group = GroupID
	rt := kmsg.NewOffsetFetchRequestTopic()
	rt.Topic, rt.Partitions = Topic, []int32{0, 1, 2}
	req.Topics = append(req.Topics, rt)
	resp := adminRequest(t, l, req).(*kmsg.OffsetFetchResponse)
	switch resp.ErrorCode {
	case 0:
	case kerr.GroupIDNotFound.Code:
		return nil
	default:
		t.Fatalf("offset fetch: error %d", resp.ErrorCode)
	}
	out := map[int32]int64{}
	for _, tp := range resp.Topics {
		for _, p := range tp.Partitions {
			out[p.Partition] = p.Offset
		}
	}
	if len(out) != numPartitions {
		t.Fatalf("offset fetch answered %d partitions", len(out))
	}
	return out
}

func describeGroup(t *testing.T, l *Lab) kmsg.DescribeGroupsResponseGroup {
	t.Helper()
	req := kmsg.NewPtrDescribeGroupsRequest()
	req.Groups = []string{GroupID}
	resp := adminRequest(t, l, req).(*kmsg.DescribeGroupsResponse)
	if len(resp.Groups) != 1 {
		t.Fatalf("describe groups answered %d groups", len(resp.Groups))
	}
	g := resp.Groups[0]
	// v6+ adds GROUP_ID_NOT_FOUND to the Dead state of a group that does
	// not exist.
	if g.ErrorCode != 0 && !(g.ErrorCode == kerr.GroupIDNotFound.Code && g.State == "Dead") {
		t.Fatalf("describe groups: error %d", g.ErrorCode)
	}
	return g
}

func listGroups(t *testing.T, l *Lab) []string {
	t.Helper()
	var out []string
	for _, g := range adminRequest(t, l, kmsg.NewPtrListGroupsRequest()).(*kmsg.ListGroupsResponse).Groups {
		out = append(out, g.Group)
	}
	return out
}

func find(res []model.Result, id string) model.Result {
	for _, r := range res {
		if r.ID == id {
			return r
		}
	}
	return model.Result{}
}
