package checks

import (
	"context"
	"fmt"
	"github.com/esmdoctor/esmdoctor/catalog"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/IBM/sarama"
)

var groupCheck = Check{
	ID:    "group",
	Title: "the principal may use the mapping's consumer group",
	TitleFor: func(s *State) string {
		if s.kafkaConfig().Queue() {
			return "the principal may use the mapping's share group"
		}
		return "the principal may use the mapping's consumer group"
	},
	Needs: []string{"brokers"},
	Run:   runGroup,
}

// ACL operation numbers in KIP-430 authorized-operations bitfields.
const (
	opRead            = 3
	opDescribe        = 8
	opDescribeConfigs = 10
)

// opsKnown says whether a bitfield was filled in by the broker.
func opsKnown(ops int32) bool { return ops != math.MinInt32 }

func hasOp(ops int32, op uint) bool { return ops&(1<<op) != 0 }

// groupFacts is what the read-only group probes observed.
type groupFacts struct {
	coordinator string
	state       string
	members     int
	clients     []string
	groupOps    int32
	protocol    string // ProtocolType: consumer, connect, ...
}

func runGroup(ctx context.Context, s *State) Outcome {
	if s.kafkaConfig().Queue() {
		return runShareGroup(ctx, s)
	}
	group, topic := s.group(), s.topic()
	var missing []acl
	facts, err := describeGroup(ctx, s, group)
	kerr, isK := kafkaError(err)
	switch {
	case isKafka(err, sarama.ErrGroupAuthorizationFailed):
		missing = append(missing, acl{"Group", group, "Describe"}, acl{"Group", group, "Read"})
	case isK:
		return fail(catalog.GROUP002, Args{"group": group, "detail": fmt.Sprintf("Kafka error %d %s", int16(kerr), kafkaErrorName(kerr))})
	case err != nil:
		return fail(catalog.GROUP002, Args{"group": group, "detail": shortErr(err, "")})
	case opsKnown(facts.groupOps) && !hasOp(facts.groupOps, opRead):
		missing = append(missing, acl{"Group", group, "Read"})
	}
	if opsKnown(s.Meta.TopicOps) && !hasOp(s.Meta.TopicOps, opRead) {
		missing = append(missing, acl{"Topic", topic, "Read"})
	}
	if ok, err := canDescribeClusterConfigs(ctx, s); err != nil {
		return fail(catalog.GROUP002, Args{"group": group, "detail": "DescribeConfigs: " + shortErr(err, "")})
	} else if !ok {
		missing = append(missing, acl{"Cluster", "kafka-cluster", "DescribeConfigs"})
	}
	detail := append(placeholderDetail(s), groupDetail(group, facts, err)...)
	if err == nil {
		detail = append(detail, committedOffsets(ctx, s, facts.coordinator)...)
	}
	if len(missing) > 0 && s.auth() == AuthIAM {
		return iamGroupOutcome(s, missing, detail)
	}
	if len(missing) > 0 {
		sortACLs(missing)
		return fail(catalog.GROUP001, aclOutcomeArgs(ctx, s, s.Meta.Via, missing), detail...)
	}
	if facts.members > 0 {
		return warn(catalog.GROUP102, Args{"group": group, "state": facts.state, "members": fmt.Sprint(facts.members),
			"clients": clientList(facts.clients)}, append(detail, "--join-group not attempted: the group has active members")...)
	}
	if s.Cfg.JoinGroup {
		return joinAndLeave(ctx, s, facts, detail)
	}
	if !opsKnown(facts.groupOps) {
		return warn(catalog.GROUP101, Args{"group": group}, detail...)
	}
	return pass(detail...)
}

// iamGroupOutcome reports missing permissions on an MSK IAM listener as the
// kafka-cluster actions and resource ARNs a policy must allow. The cluster
// action (DescribeClusterDynamicConfiguration) is only a warning: older
// documentation listed it, current Lambda does not need it.
func iamGroupOutcome(s *State, missing []acl, detail []string) Outcome {
	sortACLs(missing)
	var grants []iamGrant
	var clusterGrant *iamGrant
	for _, a := range missing {
		g := grantFor(s, a)
		if a.Resource == "Cluster" {
			clusterGrant = &g
			continue
		}
		grants = append(grants, g)
	}
	if len(grants) == 0 {
		return warn(catalog.GROUP103, Args{"principal": principalName(s), "resource": clusterGrant.Resource,
			"iam_fix": iamFix(s, []iamGrant{*clusterGrant})}, detail...)
	}
	if clusterGrant != nil {
		detail = append(detail, "also missing (a warning only): "+clusterGrant.String())
	}
	return fail(catalog.GROUP005, Args{"principal": principalName(s), "missing": grantList(grants), "iam_fix": iamFix(s, grants),
		"group": s.group()}, detail...)
}

// describeGroup finds the coordinator and describes the group with KIP-430
// authorized operations; both requests are read-only.
func describeGroup(ctx context.Context, s *State, group string) (groupFacts, error) {
	f := groupFacts{groupOps: math.MinInt32}
	coordinator, err := findCoordinator(ctx, s, group)
	if err != nil {
		return f, err
	}
	f.coordinator = coordinator
	dg, err := ask(ctx, s, f.coordinator, "DescribeGroups "+group, nil, func(b *sarama.Broker) (*sarama.DescribeGroupsResponse, error) {
		return b.DescribeGroups(&sarama.DescribeGroupsRequest{Version: 4, Groups: []string{group}, IncludeAuthorizedOperations: true})
	})
	if err != nil {
		return f, err
	}
	if len(dg.Groups) != 1 {
		return f, fmt.Errorf("describe groups answered %d groups for one", len(dg.Groups))
	}
	g := dg.Groups[0]
	if g.Err != sarama.ErrNoError {
		return f, g.Err
	}
	f.state, f.members, f.groupOps, f.protocol = g.State, len(g.Members), g.AuthorizedOperations, g.ProtocolType
	for _, m := range g.Members {
		f.clients = append(f.clients, m.ClientId+"@"+m.ClientHost)
	}
	sort.Strings(f.clients)
	return f, nil
}

// canDescribeClusterConfigs sends DescribeConfigs for the default broker
// configuration, which needs DescribeConfigs on the Cluster resource.
func canDescribeClusterConfigs(ctx context.Context, s *State) (bool, error) {
	res, err := ask(ctx, s, s.Meta.Via, "DescribeConfigs broker default log.retention.hours", nil, func(b *sarama.Broker) (*sarama.DescribeConfigsResponse, error) {
		return b.DescribeConfigs(&sarama.DescribeConfigsRequest{Version: 1,
			Resources: []*sarama.ConfigResource{{Type: sarama.BrokerResource, Name: "", ConfigNames: []string{"log.retention.hours"}}}})
	})
	if err != nil {
		return false, err
	}
	for _, r := range res.Resources {
		switch sarama.KError(r.ErrorCode) {
		case sarama.ErrClusterAuthorizationFailed:
			return false, nil
		case sarama.ErrNoError:
		default:
			return false, sarama.KError(r.ErrorCode)
		}
	}
	return true, nil
}

func groupDetail(group string, f groupFacts, err error) []string {
	if err != nil {
		return []string{fmt.Sprintf("group %s: %s", group, err)}
	}
	ops := "not reported by the broker"
	if opsKnown(f.groupOps) {
		ops = opsList(f.groupOps)
	}
	return []string{
		fmt.Sprintf("group %s: coordinator %s, state %s, %d member(s)", group, f.coordinator, f.state, f.members),
		"authorized operations on the group: " + ops,
	}
}

var opNames = map[uint]string{2: "All", 3: "Read", 4: "Write", 5: "Create", 6: "Delete", 7: "Alter", 8: "Describe",
	9: "ClusterAction", 10: "DescribeConfigs", 11: "AlterConfigs", 12: "IdempotentWrite"}

func opsList(ops int32) string {
	var names []string
	for bit := uint(2); bit <= 12; bit++ {
		if hasOp(ops, bit) {
			names = append(names, opNames[bit])
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

func clientList(clients []string) string {
	if len(clients) == 0 {
		return ""
	}
	return " (" + strings.Join(clients, ", ") + ")"
}

// sortACLs puts missing ACLs in the reference's order: cluster, group, topic.
func sortACLs(a []acl) {
	rank := map[string]int{"Cluster": 0, "Group": 1, "Topic": 2}
	sort.SliceStable(a, func(i, j int) bool { return rank[a[i].Resource] < rank[a[j].Resource] })
}

// coordinatorRetry is the pause between FindCoordinator attempts while the
// coordinator is still coming up.
const coordinatorRetry = 200 * time.Millisecond

// findCoordinator asks for the group's coordinator. A new cluster answers
// COORDINATOR_NOT_AVAILABLE until it has created __consumer_offsets, and a
// moving coordinator COORDINATOR_LOAD_IN_PROGRESS: as Kafka clients do, it
// asks again, for at most one step budget.
func findCoordinator(ctx context.Context, s *State, group string) (string, error) {
	deadline := time.Now().Add(s.Step)
	for {
		// An answer to ask again (the coordinator not ready) is not shared.
		settled := func(r *sarama.FindCoordinatorResponse) bool { return r.Err == sarama.ErrNoError }
		fc, err := ask(ctx, s, s.Meta.Via, "FindCoordinator group "+group, settled, func(b *sarama.Broker) (*sarama.FindCoordinatorResponse, error) {
			return b.FindCoordinator(&sarama.FindCoordinatorRequest{Version: 2, CoordinatorKey: group, CoordinatorType: sarama.CoordinatorGroup})
		})
		switch {
		case err != nil:
			return "", err
		case fc.Err == sarama.ErrNoError:
			return fc.Coordinator.Addr(), nil
		case fc.Err != sarama.ErrConsumerCoordinatorNotAvailable && fc.Err != sarama.ErrOffsetsLoadInProgress,
			time.Now().Add(coordinatorRetry).After(deadline):
			return "", fc.Err
		}
		select {
		case <-ctx.Done():
			return "", fc.Err
		case <-time.After(coordinatorRetry):
		}
	}
}
