package checks

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// kcTopicAuthorization is TOPIC_AUTHORIZATION_FAILED.
const kcTopicAuthorization = 29

// shareJoinAndLeave proves Read on an existing share group by joining it
// (ShareGroupHeartbeat, epoch 0) and leaving at once (epoch -1), fetching
// nothing: only with --join-group. A group that does not exist yet is not
// joined: the join would create it and fix its start offsets now, before
// Lambda's pollers ever read.
func shareJoinAndLeave(ctx context.Context, s *State, k *kmsgConns, sp shareSupport, g shareGroup, detail []string) Outcome {
	group := s.group()
	if g.code == kcGroupIDNotFound {
		return pass(append(detail, "--join-group not attempted: the share group does not exist yet, and joining would create it and fix its start offsets now (the ShareFetch probe proved Read instead)")...)
	}
	member, err := newMemberID()
	if err != nil {
		return fail(catalog.SHARE006, Args{"group": group, "kafka_code": "-", "kafka_error": "no member id: " + err.Error()}, detail...)
	}
	epoch, code, err := heartbeat(ctx, k, g.coordinator, sp, group, member, 0, []string{s.topic()})
	if err == nil && code == 0 {
		_, _, _ = heartbeat(ctx, k, g.coordinator, sp, group, member, -1, nil)
	}
	switch {
	case err != nil:
		return fail(catalog.SHARE004, Args{"group": group, "detail": "ShareGroupHeartbeat: " + shortErr(err, "")}, detail...)
	case code == kcGroupAuthorization:
		return fail(catalog.SHARE003, aclOutcomeArgs(ctx, s, s.Meta.Via, []acl{{"Group", group, "Read"}}), detail...)
	case code == kcTopicAuthorization:
		return fail(catalog.SHARE003, aclOutcomeArgs(ctx, s, s.Meta.Via, []acl{{"Topic", s.topic(), "Read"}}), detail...)
	case code != 0:
		return fail(catalog.SHARE006, Args{"group": group, "kafka_code": fmt.Sprint(code), "kafka_error": kafkaCodeName(code)}, detail...)
	}
	return pass(append(detail, fmt.Sprintf("--join-group: joined share group %s as member %s (epoch %d) and left at once; nothing was fetched or acknowledged", group, member, epoch))...)
}

// heartbeat sends one ShareGroupHeartbeat; epoch 0 joins, -1 leaves.
func heartbeat(ctx context.Context, k *kmsgConns, coordinator string, sp shareSupport, group, member string, epoch int32, topics []string) (int32, int16, error) {
	req := kmsg.NewPtrShareGroupHeartbeatRequest()
	req.Version = sp.version(keyShareGroupHeartbeat, 1)
	req.GroupID, req.MemberID, req.MemberEpoch, req.SubscribedTopicNames = group, member, epoch, topics
	res, err := k.request(ctx, coordinator, req)
	if err != nil {
		return 0, 0, err
	}
	r := res.(*kmsg.ShareGroupHeartbeatResponse)
	return r.MemberEpoch, r.ErrorCode, nil
}

// newMemberID is a member id as a share consumer makes it: a random UUID
// in URL-safe base64 without padding (22 characters).
func newMemberID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}
