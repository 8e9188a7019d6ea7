package checks

import (
	"context"
	"errors"
	"fmt"
	"github.com/esmdoctor/esmdoctor/catalog"
	"net"
	"strconv"
	"strings"

	"github.com/IBM/sarama"
	"github.com/esmdoctor/esmdoctor/probe"
)

var saslCheck = Check{
	ID:    "sasl",
	Title: "brokers accept the SASL login",
	Needs: []string{"tls", "secret", "token"},
	Run:   runSASL,
}

func runSASL(ctx context.Context, s *State) Outcome {
	if !s.auth().LogsIn() {
		return notApplicable(fmt.Sprintf("--auth %s does not log in with SASL", s.auth()))
	}
	if s.auth() == AuthIAM {
		return runIAMLogin(ctx, s)
	}
	if s.auth().UsesToken() {
		return runOAuthLogin(ctx, s)
	}
	cfg := s.saramaConfig()
	obs := make([]probe.KafkaObservation, len(s.Reachable))
	shared := make([]bool, len(s.Reachable))
	fanOut(len(s.Reachable), func(i int) {
		addr := s.Reachable[i]
		if ss := s.borrowed(addr); ss != nil {
			obs[i], shared[i] = probe.KafkaObservation{Addr: addr, Broker: ss.broker, Elapsed: ss.login}, true
			return
		}
		obs[i] = probe.OpenBrokerOn(ctx, addr, s.takeVerified(addr), cfg, s.Step)
	})
	var detail []string
	var first *Outcome
	for i, o := range obs {
		if o.Err == nil {
			s.keep(o.Addr, o.Broker)
			how := o.Elapsed.String()
			if shared[i] {
				how += ", " + sharedNote
			} else {
				s.noteLogin(o.Addr, o.Elapsed)
			}
			detail = append(detail, fmt.Sprintf("%s: %s login as %q accepted (%s)", o.Addr, s.auth().Mechanism(), s.Creds.SASL.Username, how))
			continue
		}
		f := classifySASL(ctx, o.Addr, o.Err, s)
		detail = append(detail, fmt.Sprintf("%s: %s (%s)", o.Addr, catalogTitle(f.Code), o.Elapsed))
		if first == nil {
			first = &f
		}
	}
	if first != nil {
		return first.withDetail(detail...)
	}
	return pass(detail...)
}

// classifySASL maps a failed login to a code; for an unsupported mechanism
// it asks the broker which mechanisms it enables.
func classifySASL(ctx context.Context, addr string, err error, s *State) Outcome {
	_, portStr, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(portStr)
	args := Args{"addr": addr, "mechanism": s.auth().Mechanism(), "user": loginUser(s),
		"budget": waited(err, nil, s.Step), "ports_hint": strings.TrimPrefix(portsHint(s.auth(), port), "; "), "detail": shortErr(err, "")}
	if args["ports_hint"] == "" {
		args["ports_hint"] = "the port matches --auth " + string(s.auth())
	}
	if kerr, ok := kafkaError(err); ok {
		args["kafka_code"], args["kafka_error"] = fmt.Sprint(int16(kerr)), kafkaErrorName(kerr)
		args["broker_message"] = brokerMessage(err, kerr)
		switch kerr {
		case sarama.ErrSASLAuthenticationFailed:
			return fail(catalog.SASL001, args)
		case sarama.ErrUnsupportedSASLMechanism:
			mechs, _ := probe.SASLMechanisms(ctx, addr, s.TLS, s.auth().Mechanism(), s.Step)
			args["enabled"], args["suggest"] = mechanismAdvice(mechs)
			return fail(catalog.SASL002, args)
		case sarama.ErrIllegalSASLState:
			// Kafka answers a SaslHandshake on a listener without SASL
			// (SSL or PLAINTEXT) with ILLEGAL_SASL_STATE.
			return fail(catalog.SASL006, args)
		}
		return fail(catalog.SASL005, args)
	}
	switch {
	case isTimeout(err):
		return fail(catalog.SASL004, args)
	case isClosed(err):
		args["detail"] = closedDetail(err)
		return fail(catalog.SASL003, args)
	}
	args["kafka_code"], args["kafka_error"], args["broker_message"] = "-", "none", ": "+shortErr(err, "")
	return fail(catalog.SASL005, args)
}

// loginUser names who logs in: the SASL username, the OAuth token's
// subject, or the IAM identity.
func loginUser(s *State) string {
	if s.Creds.SASL != nil {
		return strconv.Quote(s.Creds.SASL.Username)
	}
	if s.Token != nil {
		return "the token of " + orNone(s.Token.Claims.Sub)
	}
	return s.caller()
}

// brokerMessage extracts the broker's own error message that sarama wraps
// around the Kafka error code (SaslAuthenticate's ErrorMessage field).
func brokerMessage(err error, kerr sarama.KError) string {
	var wrapped interface{ Unwrap() []error }
	if errors.As(err, &wrapped) {
		for _, e := range wrapped.Unwrap() {
			var k sarama.KError
			if !errors.As(e, &k) {
				return ` ("` + e.Error() + `")`
			}
		}
	}
	return ""
}

var mechanismTypes = map[string]string{
	"PLAIN": "BASIC_AUTH (--auth sasl-plain)", "SCRAM-SHA-256": "SASL_SCRAM_256_AUTH (--auth sasl-scram-256)",
	"SCRAM-SHA-512": "SASL_SCRAM_512_AUTH (--auth sasl-scram-512)", "OAUTHBEARER": "OAUTHBEARER_AUTH (--auth oauth) or MSK IAM (no secret)",
}

func mechanismAdvice(mechs []string) (enabled, suggest string) {
	if len(mechs) == 0 {
		return "no mechanism esmdoctor could read", "the type the broker's listener expects"
	}
	var types []string
	for _, m := range mechs {
		if t, ok := mechanismTypes[m]; ok {
			types = append(types, t)
		}
	}
	if len(types) == 0 {
		types = []string{"none Lambda supports"}
	}
	return strings.Join(mechs, ", "), strings.Join(types, " or ")
}

// kafkaErrorName renders a Kafka error code's protocol name.
func kafkaErrorName(k sarama.KError) string {
	if n, ok := kafkaErrorNames[k]; ok {
		return n
	}
	return "(" + k.Error() + ")"
}

var kafkaErrorNames = map[sarama.KError]string{
	sarama.ErrUnknownTopicOrPartition:         "UNKNOWN_TOPIC_OR_PARTITION",
	sarama.ErrLeaderNotAvailable:              "LEADER_NOT_AVAILABLE",
	sarama.ErrNotLeaderForPartition:           "NOT_LEADER_OR_FOLLOWER",
	sarama.ErrConsumerCoordinatorNotAvailable: "COORDINATOR_NOT_AVAILABLE",
	sarama.ErrNotCoordinatorForConsumer:       "NOT_COORDINATOR",
	sarama.ErrTopicAuthorizationFailed:        "TOPIC_AUTHORIZATION_FAILED",
	sarama.ErrGroupAuthorizationFailed:        "GROUP_AUTHORIZATION_FAILED",
	sarama.ErrClusterAuthorizationFailed:      "CLUSTER_AUTHORIZATION_FAILED",
	sarama.ErrUnsupportedSASLMechanism:        "UNSUPPORTED_SASL_MECHANISM",
	sarama.ErrIllegalSASLState:                "ILLEGAL_SASL_STATE",
	sarama.ErrSASLAuthenticationFailed:        "SASL_AUTHENTICATION_FAILED",
	sarama.ErrUnsupportedVersion:              "UNSUPPORTED_VERSION",
	sarama.ErrMemberIdRequired:                "MEMBER_ID_REQUIRED",
	sarama.ErrRebalanceInProgress:             "REBALANCE_IN_PROGRESS",
	sarama.ErrOffsetsLoadInProgress:           "COORDINATOR_LOAD_IN_PROGRESS",
	sarama.ErrRequestTimedOut:                 "REQUEST_TIMED_OUT",
	sarama.ErrInvalidSessionTimeout:           "INVALID_SESSION_TIMEOUT",
}
