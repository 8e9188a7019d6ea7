package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/IBM/sarama"
	"github.com/esmdoctor/esmdoctor/catalog"
)

// Kafka error codes of the share-group answers (KIP-932).
const (
	kcUnsupportedVersion    = 35
	kcGroupAuthorization    = 30
	kcGroupIDNotFound       = 69
	kcShareSessionNotFound  = 122
	kcInvalidShareSessEpoch = 123
	autoOffsetReset         = "share.auto.offset.reset"
)

// runShareGroup is the group check of a Queue mapping (ConsumptionMode
// Queue): the cluster serves share groups (Kafka 4.2 APIs, share.version
// finalized), the principal has Read and Describe on the share group and
// Read on the topic, and the report says what the group holds and where
// it would start reading. Read-only unless --join-group.
func runShareGroup(ctx context.Context, s *State) Outcome {
	k := newKmsgConns(s)
	defer k.close()
	group, via := s.group(), s.Meta.Via
	sp, err := readShareSupport(ctx, k, via)
	if err != nil {
		return fail(catalog.SHARE004, Args{"group": group, "detail": shortErr(err, "")})
	}
	if o, ok := shareSupportOutcome(sp, via); !ok {
		return o
	}
	detail := append(placeholderDetail(s), sp.describe())
	g, err := describeShareGroup(ctx, s, k, sp, group)
	if isKafka(err, sarama.ErrGroupAuthorizationFailed) {
		// FindCoordinator already needs Describe on the group.
		g.code, err = kcGroupAuthorization, nil
	}
	missing, o, ok := shareGroupAccess(ctx, s, k, sp, g, err)
	if !ok {
		o.Detail = append(detail, o.Detail...)
		return o
	}
	if opsKnown(s.Meta.TopicOps) && !hasOp(s.Meta.TopicOps, opRead) {
		missing = append(missing, acl{"Topic", s.topic(), "Read"})
	}
	detail = append(detail, shareGroupDetail(group, g)...)
	detail = append(detail, startDetail(ctx, k, via, group, g, sp, partitionIDs(s), s.topic())...)
	if len(missing) > 0 && s.auth() == AuthIAM {
		// An IAM listener decides by the identity's policy, not by ACLs.
		return iamGroupOutcome(s, missing, detail)
	}
	if len(missing) > 0 {
		sortACLs(missing)
		return fail(catalog.SHARE003, aclOutcomeArgs(ctx, s, via, missing), detail...)
	}
	if w, ok := readUnverified(group, g, o); ok {
		return w.withDetail(detail...)
	}
	if s.Cfg.JoinGroup {
		return shareJoinAndLeave(ctx, s, k, sp, g, detail)
	}
	return pass(detail...)
}

// shareSupportOutcome fails a cluster too old for share groups, or one
// whose share.version is not finalized.
func shareSupportOutcome(sp shareSupport, via string) (Outcome, bool) {
	var absent, early []string
	earlyAccess := false
	for _, key := range shareAPIs {
		v, ok := sp.apis[key]
		switch {
		case !ok:
			absent = append(absent, apiName(key))
		case v[1] < kafka42Version[key]:
			early = append(early, fmt.Sprintf("%s v%d-%d", apiName(key), v[0], v[1]))
			earlyAccess = earlyAccess || v[1] == 0
		}
	}
	args := Args{"broker": via}
	switch {
	case len(absent) == len(shareAPIs):
		args["detail"] = "serves none of the share-group APIs (a Kafka version before 4.0)"
	case len(absent) > 0:
		args["detail"] = "does not serve " + strings.Join(absent, ", ")
	case len(early) > 0 && earlyAccess:
		args["detail"] = "serves only the early-access share-group APIs of Kafka 4.0: " + strings.Join(early, ", ")
	case len(early) > 0:
		args["detail"] = "serves the share-group APIs of Kafka 4.1, where share groups were a preview: " + strings.Join(early, ", ")
	case sp.finalized < 1:
		supported := "no share.version level"
		if sp.supported != nil {
			supported = fmt.Sprintf("levels %d-%d", sp.supported[0], sp.supported[1])
		}
		args["finalized"], args["supported"] = fmt.Sprint(sp.finalized), supported
		args["features_fix"] = fmt.Sprintf("kafka-features --bootstrap-server %s --command-config admin.properties upgrade --feature share.version=1", via)
		return fail(catalog.SHARE002, args, sp.describe()), false
	default:
		return Outcome{}, true
	}
	return fail(catalog.SHARE001, args, sp.describe()), false
}

// describe renders the broker's share-group support for the report.
func (sp shareSupport) describe() string {
	var apis []string
	for _, key := range shareAPIs {
		if v, ok := sp.apis[key]; ok {
			apis = append(apis, fmt.Sprintf("%s v%d-%d", apiName(key), v[0], v[1]))
		} else {
			apis = append(apis, apiName(key)+" not served")
		}
	}
	return fmt.Sprintf("share-group APIs: %s; share.version finalized at %d", strings.Join(apis, ", "), sp.finalized)
}

// apiName is "ShareFetch (78)".
func apiName(key int16) string {
	names := map[int16]string{keyShareGroupHeartbeat: "ShareGroupHeartbeat", keyShareGroupDescribe: "ShareGroupDescribe",
		keyShareFetch: "ShareFetch", keyShareAcknowledge: "ShareAcknowledge"}
	return fmt.Sprintf("%s (%d)", names[key], key)
}

// shareGroupAccess classifies ShareGroupDescribe's answer: the group ACLs
// found missing, or an outcome that ends the check (ok false). A group
// that does not exist yet is described by nothing, so Read is then proven
// by the ShareFetch probe; the returned Outcome (a warning, Status set)
// says when that probe could not decide.
func shareGroupAccess(ctx context.Context, s *State, k *kmsgConns, sp shareSupport, g shareGroup, err error) ([]acl, Outcome, bool) {
	group := s.group()
	noDescribe := []acl{{"Group", group, "Describe"}, {"Group", group, "Read"}}
	switch {
	case err != nil:
		return nil, fail(catalog.SHARE004, Args{"group": group, "detail": shortErr(err, "")}), false
	case g.code == kcGroupAuthorization:
		return noDescribe, Outcome{}, true
	case g.code == kcUnsupportedVersion:
		return nil, fail(catalog.SHARE002, Args{"broker": g.coordinator, "finalized": fmt.Sprint(sp.finalized), "supported": "share groups",
			"features_fix": fmt.Sprintf("kafka-features --bootstrap-server %s --command-config admin.properties upgrade --feature share.version=1", s.Meta.Via)}), false
	case g.code == kcGroupIDNotFound:
		if o, taken := consumerGroupOwns(ctx, s, group); taken {
			return nil, o, false
		}
		return readByProbe(ctx, s, k, sp, group)
	case g.code != 0:
		return nil, fail(catalog.SHARE004, Args{"group": group, "detail": fmt.Sprintf("ShareGroupDescribe: Kafka error %d %s", g.code, kafkaCodeName(g.code))}), false
	case opsKnown(g.ops) && !hasOp(g.ops, opRead):
		return []acl{{"Group", group, "Read"}}, Outcome{}, true
	}
	return nil, Outcome{}, true
}

// consumerGroupOwns fails when a consumer group holds the id: the broker
// then answers every share-group request GROUP_ID_NOT_FOUND.
func consumerGroupOwns(ctx context.Context, s *State, group string) (Outcome, bool) {
	f, err := describeGroup(ctx, s, group)
	if err != nil || f.state == "" || f.state == "Dead" {
		return Outcome{}, false
	}
	example := fmt.Sprintf(`--self-managed-kafka-event-source-config '{"ConsumerGroupId":"%s-queue","ConsumptionMode":"Queue"}'`, group)
	return fail(catalog.SHARE005, Args{"group": group, "state": f.state, "protocol": orNone(f.protocol), "example": example},
		groupDetail(group, f, nil)...), true
}

// readByProbe proves Read on a group that does not exist yet.
func readByProbe(ctx context.Context, s *State, k *kmsgConns, sp shareSupport, group string) ([]acl, Outcome, bool) {
	code, err := probeShareRead(ctx, k, s.Meta.Via, sp, group)
	switch {
	case err != nil:
		return nil, warn(catalog.SHARE101, Args{"group": group, "detail": "the ShareFetch that proves Read failed: " + shortErr(err, "")}), true
	case code == kcGroupAuthorization:
		return []acl{{"Group", group, "Read"}}, Outcome{}, true
	case code == kcShareSessionNotFound, code == kcInvalidShareSessEpoch, code == 0:
		return nil, Outcome{}, true
	}
	return nil, warn(catalog.SHARE101, Args{"group": group, "detail": fmt.Sprintf("the ShareFetch that proves Read answered Kafka error %d %s", code, kafkaCodeName(code))}), true
}

// readUnverified is the warning readByProbe left, or one for a broker
// that reports no authorized operations for an existing group.
func readUnverified(group string, g shareGroup, o Outcome) (Outcome, bool) {
	if o.Status != "" {
		return o, true
	}
	if g.code == 0 && !opsKnown(g.ops) {
		return warn(catalog.SHARE101, Args{"group": group, "detail": "the broker reports no authorized operations for it (KIP-430)"}), true
	}
	return Outcome{}, false
}

// partitionIDs are the topic's partitions as the topic check read them.
func partitionIDs(s *State) []int32 {
	var ids []int32
	for _, p := range s.Meta.Partitions {
		ids = append(ids, p.ID)
	}
	return ids
}
