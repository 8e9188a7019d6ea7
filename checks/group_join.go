package checks

import (
	"context"
	"fmt"
	"github.com/esmdoctor/esmdoctor/catalog"

	"github.com/IBM/sarama"
	"github.com/esmdoctor/esmdoctor/probe"
)

// joinAndLeave proves Read on the group the only way a broker that does not
// report authorized operations allows: JoinGroup, then LeaveGroup at once.
// Only with --join-group, and never when the group has members (the caller
// checks), so a live consumer is never rebalanced.
func joinAndLeave(ctx context.Context, s *State, f groupFacts, detail []string) Outcome {
	group := s.group()
	// A connection of its own, whose reads may wait for the coordinator's
	// initial rebalance delay (the shared ones time out after one step).
	cfg := s.saramaConfig()
	cfg.Net.ReadTimeout = joinBudget(s.Step)
	conn := probe.OpenBroker(ctx, f.coordinator, cfg, s.Step)
	if conn.Err != nil {
		return fail(catalog.GROUP002, Args{"group": group, "detail": "connecting to the coordinator to join: " + shortErr(conn.Err, "")}, detail...)
	}
	defer conn.Broker.Close()
	memberID, err := join(ctx, s, conn.Broker, "")
	if isKafka(err, sarama.ErrMemberIdRequired) {
		memberID, err = join(ctx, s, conn.Broker, memberID)
	}
	if memberID != "" {
		_, _ = probe.Request(ctx, conn.Broker, s.Step, func(b *sarama.Broker) (*sarama.LeaveGroupResponse, error) {
			return b.LeaveGroup(&sarama.LeaveGroupRequest{Version: 3, GroupId: group, Members: []sarama.MemberIdentity{{MemberId: memberID}}})
		})
	}
	kerr, isK := kafkaError(err)
	switch {
	case isKafka(err, sarama.ErrGroupAuthorizationFailed) && s.auth() == AuthIAM:
		return iamGroupOutcome(s, []acl{{"Group", group, "Read"}}, detail)
	case isKafka(err, sarama.ErrGroupAuthorizationFailed):
		missing := []acl{{"Group", group, "Read"}}
		return fail(catalog.GROUP001, aclOutcomeArgs(ctx, s, s.Meta.Via, missing), detail...)
	case isK:
		return fail(catalog.GROUP004, Args{"group": group, "kafka_code": fmt.Sprint(int16(kerr)), "kafka_error": kafkaErrorName(kerr),
			"acl_fix": "check the broker log for the JoinGroup error"}, detail...)
	case err != nil:
		return fail(catalog.GROUP002, Args{"group": group, "detail": "JoinGroup: " + shortErr(err, "")}, detail...)
	}
	return pass(append(detail, "--join-group: joined as "+memberID+" and left at once")...)
}

// join sends one JoinGroup; it returns the member id the coordinator gave
// (also on MEMBER_ID_REQUIRED) and the Kafka error, if any.
func join(ctx context.Context, s *State, coordinator *sarama.Broker, memberID string) (string, error) {
	req := &sarama.JoinGroupRequest{Version: 5, GroupId: s.group(), SessionTimeout: 10000,
		RebalanceTimeout: int32(joinBudget(s.Step).Milliseconds()), MemberId: memberID, ProtocolType: "consumer"}
	if err := req.AddGroupProtocolMetadata("range", &sarama.ConsumerGroupMemberMetadata{Topics: []string{s.topic()}}); err != nil {
		return "", err
	}
	res, err := probe.Request(ctx, coordinator, joinBudget(s.Step), func(b *sarama.Broker) (*sarama.JoinGroupResponse, error) {
		return b.JoinGroup(req)
	})
	if err != nil {
		return "", err
	}
	if res.Err != sarama.ErrNoError {
		return res.MemberId, res.Err
	}
	return res.MemberId, nil
}
