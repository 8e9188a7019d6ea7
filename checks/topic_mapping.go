package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/IBM/sarama"
	"github.com/esmdoctor/esmdoctor/catalog"
)

// opWrite is Kafka's WRITE ACL operation (KIP-430 bit).
const opWrite = 4

// kafkaDestPrefix marks an on-failure destination that is a Kafka topic.
const kafkaDestPrefix = "kafka://"

// mappingTopicFindings checks what the mapping's settings ask of the
// topic and cluster, read-only: MaximumPollers against the partition count
// (more pollers than partitions buy nothing), and a kafka:// on-failure
// destination (provisioned mode, not a source topic, exists on the same
// cluster, writable by the principal per its authorized operations; never
// a produce). The first finding becomes the warning; all are detail lines.
func mappingTopicFindings(ctx context.Context, s *State, partitions int) (Outcome, bool) {
	var found []Outcome
	if max := s.maximumPollers(); max > 0 && int(max) > partitions {
		found = append(found, warn(catalog.TOPIC102, Args{"topic": s.topic(), "pollers": fmt.Sprint(max), "partitions": fmt.Sprint(partitions)}))
	}
	if dest, ok := strings.CutPrefix(s.onFailure(), kafkaDestPrefix); ok {
		found = append(found, kafkaDestination(ctx, s, dest)...)
	}
	if len(found) == 0 {
		return Outcome{}, false
	}
	out := found[0]
	for _, f := range found[1:] {
		out.Detail = append(out.Detail, "also: "+f.Code)
	}
	return out, true
}

// kafkaDestination checks a kafka://TOPIC on-failure destination.
func kafkaDestination(ctx context.Context, s *State, dest string) []Outcome {
	args := Args{"destination": kafkaDestPrefix + dest, "topic": dest, "principal": principalName(s)}
	var out []Outcome
	if s.maximumPollers() == 0 {
		out = append(out, warn(catalog.TOPIC106, args))
	}
	if dest == s.topic() {
		return append(out, warn(catalog.TOPIC105, args))
	}
	md, via, _, err := metadataFromAny(ctx, s, dest)
	if md == nil {
		args["detail"] = "metadata not read"
		if err != nil {
			args["detail"] = shortErr(err, "")
		}
		return append(out, warn(catalog.TOPIC104, args))
	}
	args["addr"] = via
	for _, t := range md.Topics {
		if t.Name != dest {
			continue
		}
		switch {
		case t.Err == sarama.ErrUnknownTopicOrPartition:
			return append(out, warn(catalog.TOPIC103, args))
		case t.Err == sarama.ErrTopicAuthorizationFailed:
			args["detail"] = "TOPIC_AUTHORIZATION_FAILED: the principal may not even describe it"
			return append(out, warn(catalog.TOPIC104, args))
		case opsKnown(t.TopicAuthorizedOperations) && !hasOp(t.TopicAuthorizedOperations, opWrite):
			args["detail"] = "its authorized operations are " + opsList(t.TopicAuthorizedOperations)
			return append(out, warn(catalog.TOPIC104, args))
		}
	}
	return out
}
