package checks

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/esmdoctor/esmdoctor/probe"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// The share-group probes speak franz-go's kmsg on connections sarama
// authenticated (probe.KmsgConn): sarama has no encoder for the share-group
// APIs and drops ApiVersions' finalized features. Every request here is
// read-only: nothing joins the group, acquires a record or changes state
// (--join-group aside, in share_join.go).

// The share-group API keys (KIP-932).
const (
	keyShareGroupHeartbeat = 76
	keyShareGroupDescribe  = 77
	keyShareFetch          = 78
	keyShareAcknowledge    = 79
	// configResourceGroup is DescribeConfigs' resource type of a group
	// (KIP-848).
	configResourceGroup = 32
	// shareFeature is the feature that turns share groups on.
	shareFeature = "share.version"
)

// shareAPIs are the APIs a Queue mapping uses, in the reference's order.
var shareAPIs = []int16{keyShareGroupHeartbeat, keyShareGroupDescribe, keyShareFetch, keyShareAcknowledge}

// kafka42Version is the highest version of each share-group API that
// Apache Kafka 4.2 added (v0 was 4.0's early access, v1 the stable form
// of 4.1; 4.2 added ShareFetch and ShareAcknowledge v2, KIP-1206 and
// KIP-1222): a broker serving less is older than 4.2.
var kafka42Version = map[int16]int16{keyShareGroupHeartbeat: 1, keyShareGroupDescribe: 1, keyShareFetch: 2, keyShareAcknowledge: 2}

// kmsgConns holds the run's kmsg connections by broker address.
type kmsgConns struct {
	s     *State
	conns map[string]*probe.KmsgConn
}

func newKmsgConns(s *State) *kmsgConns { return &kmsgConns{s: s, conns: map[string]*probe.KmsgConn{}} }

// request sends req to addr, opening (and authenticating) a connection
// first; a transport error drops the connection.
func (k *kmsgConns) request(ctx context.Context, addr string, req kmsg.Request) (kmsg.Response, error) {
	c, ok := k.conns[addr]
	if !ok {
		var err error
		if c, err = probe.OpenKmsg(ctx, addr, k.s.saramaConfig(), k.s.Step); err != nil {
			return nil, err
		}
		k.conns[addr] = c
	}
	res, err := c.Request(ctx, req, k.s.Step)
	if err != nil {
		c.Close()
		delete(k.conns, addr)
	}
	return res, err
}

func (k *kmsgConns) close() {
	for addr, c := range k.conns {
		c.Close()
		delete(k.conns, addr)
	}
}

// shareSupport is what a broker's ApiVersions says about share groups.
type shareSupport struct {
	apis      map[int16][2]int16 // API key -> [min, max] version served
	supported *[2]int16          // share.version levels the broker supports; nil: unknown to it
	finalized int16              // the cluster's finalized share.version level (0: off)
}

// readShareSupport asks addr for its ApiVersions: v3 has the finalized
// features (KIP-584), and v4, asked again when the broker serves it, also
// the supported features whose lowest level is 0 (KIP-1022), as
// share.version's.
func readShareSupport(ctx context.Context, k *kmsgConns, addr string) (shareSupport, error) {
	av, err := apiVersions(ctx, k, addr, 3)
	if err == nil && av.ErrorCode == 0 && apiMax(av, int16(kmsg.ApiVersions)) >= 4 {
		av, err = apiVersions(ctx, k, addr, 4)
	}
	if err != nil {
		return shareSupport{}, fmt.Errorf("ApiVersions: %w", err)
	}
	sup := shareSupport{apis: map[int16][2]int16{}}
	if av.ErrorCode != 0 {
		// Older than ApiVersions v3 (Kafka 2.4): certainly no share groups.
		return sup, nil
	}
	for _, a := range av.ApiKeys {
		sup.apis[a.ApiKey] = [2]int16{a.MinVersion, a.MaxVersion}
	}
	for _, f := range av.SupportedFeatures {
		if f.Name == shareFeature {
			sup.supported = &[2]int16{f.MinVersion, f.MaxVersion}
		}
	}
	for _, f := range av.FinalizedFeatures {
		if f.Name == shareFeature {
			sup.finalized = f.MaxVersionLevel
		}
	}
	return sup, nil
}

// apiVersions sends ApiVersions at version v.
func apiVersions(ctx context.Context, k *kmsgConns, addr string, v int16) (*kmsg.ApiVersionsResponse, error) {
	req := kmsg.NewPtrApiVersionsRequest()
	req.Version, req.ClientSoftwareName, req.ClientSoftwareVersion = v, "esmdoctor", "1"
	res, err := k.request(ctx, addr, req)
	if err != nil {
		return nil, err
	}
	return res.(*kmsg.ApiVersionsResponse), nil
}

// apiMax is the highest version of key the broker serves (-1: none).
func apiMax(av *kmsg.ApiVersionsResponse, key int16) int16 {
	for _, a := range av.ApiKeys {
		if a.ApiKey == key {
			return a.MaxVersion
		}
	}
	return -1
}

// version is the version to send of an API: the highest both ends speak.
func (sp shareSupport) version(key int16, ours int16) int16 {
	return min(sp.apis[key][1], ours)
}

// shareGroup is what ShareGroupDescribe says about the mapping's group.
type shareGroup struct {
	coordinator string
	code        int16 // the group's Kafka error code (0: described)
	state       string
	epoch       int32
	members     []string // memberID clientID@host, sorted as the broker sent them
	ops         int32    // KIP-430 authorized operations; math.MinInt32 unknown
}

// describeShareGroup finds the coordinator (FindCoordinator, key type
// GROUP: share groups live in the group coordinator) and describes the
// group with its authorized operations.
func describeShareGroup(ctx context.Context, s *State, k *kmsgConns, sp shareSupport, group string) (shareGroup, error) {
	deadline := time.Now().Add(s.Step)
	for {
		g, err := describeShareGroupOnce(ctx, s, k, sp, group)
		// As Kafka clients do, find the coordinator again while it moves
		// or loads, for at most one step budget.
		if err != nil || !coordinatorMoving(g.code) || time.Now().Add(coordinatorRetry).After(deadline) {
			return g, err
		}
		select {
		case <-ctx.Done():
			return g, nil
		case <-time.After(coordinatorRetry):
		}
	}
}

// coordinatorMoving: COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE,
// NOT_COORDINATOR.
func coordinatorMoving(code int16) bool { return code == 14 || code == 15 || code == 16 }

// describeShareGroupOnce is one FindCoordinator and ShareGroupDescribe.
func describeShareGroupOnce(ctx context.Context, s *State, k *kmsgConns, sp shareSupport, group string) (shareGroup, error) {
	g := shareGroup{ops: math.MinInt32}
	coordinator, err := findCoordinator(ctx, s, group)
	if err != nil {
		return g, err
	}
	g.coordinator = coordinator
	req := kmsg.NewPtrShareGroupDescribeRequest()
	req.Version, req.GroupIDs, req.IncludeAuthorizedOperations = sp.version(keyShareGroupDescribe, 1), []string{group}, true
	res, err := k.request(ctx, coordinator, req)
	if err != nil {
		return g, fmt.Errorf("ShareGroupDescribe: %w", err)
	}
	groups := res.(*kmsg.ShareGroupDescribeResponse).Groups
	if len(groups) != 1 {
		return g, fmt.Errorf("ShareGroupDescribe answered %d groups for one", len(groups))
	}
	d := groups[0]
	g.code, g.state, g.epoch, g.ops = d.ErrorCode, d.GroupState, d.GroupEpoch, d.AuthorizedOperations
	for _, m := range d.Members {
		g.members = append(g.members, fmt.Sprintf("%s %s@%s", m.MemberID, m.ClientID, m.ClientHost))
	}
	return g, nil
}

// probeShareRead proves Read on the group without joining it: a ShareFetch
// that only closes a share session (epoch -1, no partitions) for a member
// id that is no member. The broker checks Read on the group before the
// session, so the answer is GROUP_AUTHORIZATION_FAILED without Read and
// SHARE_SESSION_NOT_FOUND with it; nothing is fetched or acquired.
func probeShareRead(ctx context.Context, k *kmsgConns, addr string, sp shareSupport, group string) (int16, error) {
	req := kmsg.NewPtrShareFetchRequest()
	req.Version = sp.version(keyShareFetch, 1)
	req.GroupID, req.MemberID = kmsg.StringPtr(group), kmsg.StringPtr(probeMemberID)
	req.ShareSessionEpoch = -1
	res, err := k.request(ctx, addr, req)
	if err != nil {
		return 0, fmt.Errorf("ShareFetch: %w", err)
	}
	return res.(*kmsg.ShareFetchResponse).ErrorCode, nil
}

// probeMemberID is the member id of the read probe: 22 characters, as a
// share consumer's base64 UUID, and never a real member's.
const probeMemberID = "esmdoctor-read-probe00"

// groupConfig is one configuration entry of the group as the broker
// reports it.
type groupConfig struct {
	code          int16 // the resource's Kafka error code
	value, source string
}

// describeGroupConfig reads the group's share.auto.offset.reset
// (DescribeConfigs on the GROUP resource, which needs DescribeConfigs on
// the group: a mapping's principal rarely has it, and needs it not).
func describeGroupConfig(ctx context.Context, k *kmsgConns, addr string, group, name string) (groupConfig, error) {
	req := kmsg.NewPtrDescribeConfigsRequest()
	req.Version = 4
	r := kmsg.NewDescribeConfigsRequestResource()
	r.ResourceType, r.ResourceName, r.ConfigNames = configResourceGroup, group, []string{name}
	req.Resources = append(req.Resources, r)
	res, err := k.request(ctx, addr, req)
	if err != nil {
		return groupConfig{}, fmt.Errorf("DescribeConfigs: %w", err)
	}
	rs := res.(*kmsg.DescribeConfigsResponse).Resources
	if len(rs) != 1 {
		return groupConfig{}, fmt.Errorf("DescribeConfigs answered %d resources for one", len(rs))
	}
	out := groupConfig{code: rs[0].ErrorCode}
	for _, c := range rs[0].Configs {
		if c.Name == name && c.Value != nil {
			out.value, out.source = *c.Value, c.Source.String()
		}
	}
	return out, nil
}

// kafkaCodeName is a Kafka error code's name (franz-go's table covers the
// codes sarama's predates).
func kafkaCodeName(code int16) string {
	if e, ok := kerr.ErrorForCode(code).(*kerr.Error); ok {
		return e.Message
	}
	return fmt.Sprintf("UNKNOWN_ERROR_%d", code)
}
