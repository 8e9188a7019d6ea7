package checks

import (
	"context"
	"fmt"
	"github.com/esmdoctor/esmdoctor/catalog"
	"net"
	"strings"
	"time"

	"github.com/IBM/sarama"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/probe"
)

// MSK IAM timing rules: a token is valid for 15 minutes from its signing
// time, and MSK accepts a signing clock up to 5 minutes off its own.
const (
	iamClockTolerance = 5 * time.Minute
	// quotaRetryWait is how long to wait before retrying a rejected IAM
	// login once: MSK's new-connection quota is per second, so a second
	// later a login the quota refused succeeds, while a missing permission
	// or a bad signature is refused again.
	quotaRetryWait = time.Second
)

// runIAMLogin logs in to every reachable bootstrap broker with MSK IAM
// (SASL/OAUTHBEARER, a fresh token per connection).
func runIAMLogin(ctx context.Context, s *State) Outcome {
	region := s.region()
	if s.Cfg.AWS == nil {
		return fail(catalog.SASL013, Args{"region": "(none)", "detail": "MSK IAM needs AWS credentials and a Region (--region)"})
	}
	tokens, err := s.iamTokenSource(ctx)
	if err == nil {
		_, err = tokens.Token() // sign once first: no credentials is not the broker's answer
	}
	if err != nil {
		return fail(catalog.SASL013, Args{"region": region, "detail": shortErr(err, "")})
	}
	s.Principal = s.caller()
	cfg := s.saramaConfig()
	obs := make([]probe.KafkaObservation, len(s.Reachable))
	fanOut(len(s.Reachable), func(i int) {
		addr := s.Reachable[i]
		obs[i] = probe.OpenBrokerOn(ctx, addr, s.takeVerified(addr), cfg, s.Step)
	})
	outcomes := make([]*Outcome, len(obs))
	var retry []int
	for i, o := range obs {
		if o.Err == nil {
			continue
		}
		if f, final := classifyIAM(ctx, o.Addr, o.Err, s); final {
			outcomes[i] = &f
		} else {
			retry = append(retry, i)
		}
	}
	retryIAM(ctx, s, obs, outcomes, retry)
	return iamLoginOutcome(s, tokens, obs, outcomes)
}

// iamLoginOutcome reports every broker's login: the first failure, else
// the first warning, else a pass.
func iamLoginOutcome(s *State, tokens *iamTokens, obs []probe.KafkaObservation, outcomes []*Outcome) Outcome {
	var detail []string
	var first, warning *Outcome
	for i, o := range obs {
		f := outcomes[i]
		if f == nil {
			s.keep(o.Addr, o.Broker)
			detail = append(detail, fmt.Sprintf("%s: MSK IAM (OAUTHBEARER) login as %s accepted (%s)", o.Addr, s.caller(), o.Elapsed))
			continue
		}
		detail = append(detail, fmt.Sprintf("%s: %s (%s)", o.Addr, catalogTitle(f.Code), o.Elapsed))
		switch {
		case f.Status == model.Warn && warning == nil:
			warning = f
		case f.Status == model.Fail && first == nil:
			first = f
		}
	}
	info := tokens.info()
	detail = append(detail, fmt.Sprintf("tokens signed for %s with access key %s, valid until %s (a fresh token per connection; never shown)",
		info.Region, info.AccessKeyID, info.Expires.UTC().Format(time.RFC3339)))
	switch {
	case first != nil:
		return first.withDetail(detail...)
	case warning != nil:
		return warning.withDetail(detail...)
	}
	return pass(detail...)
}

// classifyIAM maps a failed MSK IAM login to a code. The broker says only
// "authentication failed" (Kafka error 58); the cause is told apart by what
// esmdoctor knows itself: the token's Region against the cluster's and its
// validity window against the clock (and the clock against AWS's). final
// is false for a fresh token in the right Region: only a retry (retryIAM)
// can tell the connection quota from a missing permission.
func classifyIAM(ctx context.Context, addr string, err error, s *State) (Outcome, bool) {
	kerr, isK := kafkaError(err)
	if !isK || kerr != sarama.ErrSASLAuthenticationFailed {
		return classifySASL(ctx, addr, err, s), true
	}
	args := iamArgs(addr, err, kerr, s)
	info := s.AWS.tokens.info()
	if state, bad := tokenTiming(info.SignedAt, info.Expires, s.Cfg.Now(), s); bad {
		args["token_state"] = state
		return fail(catalog.SASL012, args), true
	}
	if info.Region != "" && args["region"] != "" && info.Region != args["region"] {
		return fail(catalog.SASL011, args), true
	}
	return fail(catalog.SASL010, args), false
}

// iamArgs are the template arguments of the IAM login codes.
func iamArgs(addr string, err error, kerr sarama.KError, s *State) Args {
	info := s.AWS.tokens.info()
	return Args{"addr": addr, "identity": s.caller(), "region": clusterRegion(s), "token_region": info.Region,
		"access_key": info.AccessKeyID, "signed_at": info.SignedAt.UTC().Format(time.RFC3339), "wait": quotaRetryWait.String(),
		"cluster_arn": clusterResource(s, "cluster", ""), "holder": policyHolder(s.caller()), "broker_message": brokerMessage(err, kerr),
		"retry": "no retry was possible before the deadline"}
}

// retryIAM retries, once and all at once after quotaRetryWait, the logins
// classifyIAM could not decide: accepted now means the connection-rate
// quota refused them (a warning); refused again means a missing
// kafka-cluster:Connect or bad credentials.
func retryIAM(ctx context.Context, s *State, obs []probe.KafkaObservation, outcomes []*Outcome, retry []int) {
	if len(retry) == 0 {
		return
	}
	waited := true
	select {
	case <-ctx.Done():
		waited = false
	case <-time.After(quotaRetryWait):
	}
	again := make([]probe.KafkaObservation, len(retry))
	if waited {
		cfg := s.saramaConfig()
		fanOut(len(retry), func(j int) { again[j] = probe.OpenBroker(ctx, obs[retry[j]].Addr, cfg, s.Step) })
	}
	for j, i := range retry {
		kerr, _ := kafkaError(obs[i].Err)
		args := iamArgs(obs[i].Addr, obs[i].Err, kerr, s)
		var o Outcome
		switch {
		case !waited:
			o = fail(catalog.SASL010, args)
		case again[j].Err == nil:
			obs[i].Broker = again[j].Broker
			o = warn(catalog.SASL110, args)
			s.keep(obs[i].Addr, again[j].Broker)
		default:
			args["retry"] = "a retry " + quotaRetryWait.String() + " later was rejected too, so the connection-rate quota is not the cause"
			o = fail(catalog.SASL010, args)
		}
		outcomes[i] = &o
	}
}

// tokenTiming says what is wrong with a token's validity window, if
// anything: expired, signed in the future, or signed by a skewed clock.
func tokenTiming(signed, expires, now time.Time, s *State) (string, bool) {
	ts := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	switch {
	case !expires.IsZero() && now.After(expires):
		return fmt.Sprintf("was signed at %s and expired at %s; now is %s", ts(signed), ts(expires), ts(now)), true
	case signed.After(now.Add(iamClockTolerance)):
		return fmt.Sprintf("is signed at %s, in the future (now is %s)", ts(signed), ts(now)), true
	}
	if skew, ok := s.clockSkew(); ok && (skew > iamClockTolerance || skew < -iamClockTolerance) {
		return fmt.Sprintf("was signed by a clock %s off AWS's (STS answered with Date %s)", skew.Round(time.Second),
			ts(s.AWS.identity.ServerTime)), true
	}
	return "", false
}

// clusterRegion is the Region the cluster lives in: its ARN's, else the
// one in an MSK broker hostname (b-1.<name>.<id>.c2.kafka.<region>.amazonaws.com),
// else the function's.
func clusterRegion(s *State) string {
	if s.AWS.cluster != nil && s.AWS.cluster.Region != "" {
		return s.AWS.cluster.Region
	}
	for _, hp := range s.bootstrap() {
		labels := strings.Split(strings.TrimSuffix(strings.ToLower(hp.Host), "."), ".")
		n := len(labels)
		if n >= 4 && labels[n-4] == "kafka" && labels[n-2] == "amazonaws" && net.ParseIP(hp.Host) == nil {
			return labels[n-3]
		}
	}
	return s.region()
}
