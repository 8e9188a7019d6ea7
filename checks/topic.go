package checks

import (
	"context"
	"fmt"
	"github.com/esmdoctor/esmdoctor/catalog"
	"math"
	"sort"
	"strings"

	"github.com/IBM/sarama"
	"github.com/esmdoctor/esmdoctor/probe"
)

var topicCheck = Check{
	ID:    "topic",
	Title: "the topic exists and is describable",
	Needs: []string{"sasl"},
	Run:   runTopic,
}

// metadataVersion 9 carries KIP-430 authorized operations and the
// allow-auto-topic-creation flag (false: esmdoctor never creates topics).
const metadataVersion = 9

func metadataRequest(topics ...string) *sarama.MetadataRequest {
	req := sarama.NewMetadataRequest(kafkaVersion, topics)
	req.Version = metadataVersion
	req.AllowAutoTopicCreation = false
	req.IncludeTopicAuthorizedOperations = true
	req.IncludeClusterAuthorizedOperations = true
	return req
}

func runTopic(ctx context.Context, s *State) Outcome {
	topic := s.topic()
	md, via, silent, err := metadataFromAny(ctx, s, topic)
	if md == nil {
		return topicRequestFailure(ctx, s, err)
	}
	dropSilent(s, silent)
	meta := toTopicMeta(md, topic, via)
	var tm *sarama.TopicMetadata
	for _, t := range md.Topics {
		if t.Name == topic {
			tm = t
		}
	}
	args := Args{"addr": via, "topic": topic, "principal": principalName(s)}
	switch {
	case tm == nil:
		return fail(catalog.TOPIC003, Args{"addr": via, "detail": "the metadata response does not mention topic " + topic})
	case tm.Err == sarama.ErrUnknownTopicOrPartition:
		args["count"] = countTopics(ctx, s, via)
		return fail(catalog.TOPIC001, args)
	case tm.Err == sarama.ErrTopicAuthorizationFailed && s.auth() == AuthIAM:
		g := grantFor(s, acl{"Topic", topic, "Describe"})
		args["actions"], args["resource"], args["iam_fix"] = g.Action, g.Resource, iamFix(s, []iamGrant{g, grantFor(s, acl{"Topic", topic, "Read"})})
		return fail(catalog.TOPIC005, args)
	case tm.Err == sarama.ErrTopicAuthorizationFailed:
		args["acl_fix"] = aclOutcomeArgs(ctx, s, via, []acl{{"Topic", topic, "Describe"}, {"Topic", topic, "Read"}})["acl_fix"]
		return fail(catalog.TOPIC002, args)
	case tm.Err != sarama.ErrNoError && tm.Err != sarama.ErrLeaderNotAvailable:
		return fail(catalog.TOPIC003, Args{"addr": via, "detail": fmt.Sprintf("metadata for %s: Kafka error %d %s", topic, int16(tm.Err), kafkaErrorName(tm.Err))})
	}
	s.Meta = meta
	detail := topicDetail(meta)
	if leaderless := leaderless(meta); len(leaderless) > 0 || tm.Err == sarama.ErrLeaderNotAvailable {
		return fail(catalog.TOPIC004, Args{"topic": topic, "partitions": strings.Join(leaderless, ", "), "detail": "LEADER_NOT_AVAILABLE"}, detail...)
	}
	if len(silent) > 0 {
		return warn(catalog.TOPIC101, Args{"addr": strings.Join(silent, ", "), "budget": s.Step.String(),
			"reachable": fmt.Sprint(len(s.Reachable)), "total": fmt.Sprint(len(s.Reachable) + len(silent))}, detail...)
	}
	if w, ok := mappingTopicFindings(ctx, s, len(meta.Partitions)); ok {
		w.Detail = append(detail, w.Detail...)
		return w
	}
	return pass(detail...)
}

// metadataFromAny asks every reachable bootstrap server at once (so
// blackholed ones cost one step budget, not one each) and uses the first
// answer in bootstrap order; with none, it returns the first error. silent
// lists the servers that did not answer in time while another did.
func metadataFromAny(ctx context.Context, s *State, topic string) (md *sarama.MetadataResponse, via string, silent []string, err error) {
	res := make([]*sarama.MetadataResponse, len(s.Reachable))
	errs := make([]error, len(s.Reachable))
	fanOut(len(s.Reachable), func(i int) {
		res[i], errs[i] = ask(ctx, s, s.Reachable[i], "Metadata "+topic, nil, func(b *sarama.Broker) (*sarama.MetadataResponse, error) {
			return b.GetMetadata(metadataRequest(topic))
		})
	})
	for i, r := range res {
		if errs[i] == nil && md == nil {
			md, via = r, s.Reachable[i]
		}
		if errs[i] != nil && isTimeout(errs[i]) {
			silent = append(silent, s.Reachable[i])
		}
	}
	if md != nil {
		return md, via, silent, nil
	}
	if len(errs) == 0 {
		return nil, "", nil, nil
	}
	return nil, "", nil, errs[0]
}

func toTopicMeta(md *sarama.MetadataResponse, topic, via string) *TopicMeta {
	m := &TopicMeta{Topic: topic, Via: via, Brokers: map[int32]string{}, TopicOps: math.MinInt32, ClusterOps: md.ClusterAuthorizedOperations}
	for _, b := range md.Brokers {
		m.Brokers[b.ID()] = b.Addr()
	}
	for _, t := range md.Topics {
		if t.Name != topic {
			continue
		}
		m.TopicOps = t.TopicAuthorizedOperations
		for _, p := range t.Partitions {
			m.Partitions = append(m.Partitions, PartitionMeta{ID: p.ID, Leader: p.Leader, Err: p.Err})
		}
	}
	sort.Slice(m.Partitions, func(i, j int) bool { return m.Partitions[i].ID < m.Partitions[j].ID })
	return m
}

func leaderless(m *TopicMeta) []string {
	var out []string
	for _, p := range m.Partitions {
		if p.Leader < 0 {
			out = append(out, fmt.Sprint(p.ID))
		}
	}
	return out
}

func topicDetail(m *TopicMeta) []string {
	var parts []string
	for _, p := range m.Partitions {
		parts = append(parts, fmt.Sprintf("p%d->broker %d (%s)", p.ID, p.Leader, m.Brokers[p.Leader]))
	}
	return []string{
		fmt.Sprintf("topic %s: %d partitions, read via %s", m.Topic, len(m.Partitions), m.Via),
		"leaders: " + strings.Join(parts, ", "),
	}
}

// countTopics lists the topics this principal can see, to show an unknown
// topic is not a visibility problem.
func countTopics(ctx context.Context, s *State, addr string) string {
	md, err := request(ctx, s, addr, func(b *sarama.Broker) (*sarama.MetadataResponse, error) {
		req := metadataRequest()
		req.Topics = nil
		return b.GetMetadata(req)
	})
	if err != nil {
		return "an unknown number of"
	}
	return fmt.Sprint(len(md.Topics))
}

// topicRequestFailure classifies a metadata request that failed outright. A
// plaintext request to a TLS listener is closed by the broker: say so when a
// TLS handshake on the same port succeeds.
func topicRequestFailure(ctx context.Context, s *State, err error) Outcome {
	addr := ""
	if len(s.Reachable) > 0 {
		addr = s.Reachable[0]
	}
	args := Args{"addr": addr, "detail": shortErr(err, "no broker answered")}
	kerr, isK := kafkaError(err)
	switch {
	case isK:
		args["detail"] = fmt.Sprintf("Kafka error %d %s", int16(kerr), kafkaErrorName(kerr))
	case isTimeout(err):
		args["detail"] = "no answer to a metadata request within " + waited(err, nil, s.Step)
	case isClosed(err):
		args["detail"] = closedDetail(err) + " on a metadata request"
		if !s.auth().UsesTLS() {
			tlsObs := probe.Handshake(ctx, addr, nil, s.Step)
			if tlsObs.Err == nil || len(tlsObs.PeerChain) > 0 {
				args["detail"] += "; the port completes a TLS handshake, so it is a TLS listener: use --auth tls (or the mapping's TLS/SASL_SSL settings)"
			}
		}
	}
	return fail(catalog.TOPIC003, args)
}

func principalName(s *State) string {
	if s.Principal != "" {
		return s.Principal
	}
	return "User:ANONYMOUS"
}
