package checks

import (
	"context"
	"fmt"

	"github.com/IBM/sarama"
	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/probe"
)

// tokenProvider hands sarama the token check's token and the mapping's
// SASL extensions (sarama sends them in the OAUTHBEARER client-first
// message, RFC 7628 section 3.1).
type tokenProvider struct{ tok *Token }

// Token returns the access token with its extensions.
func (p tokenProvider) Token() (*sarama.AccessToken, error) {
	return &sarama.AccessToken{Token: p.tok.Value.Reveal(), Extensions: p.tok.Extensions}, nil
}

// runOAuthLogin logs in to every reachable bootstrap broker with
// SASL/OAUTHBEARER and the token check's token. The broker names the
// client by the token's sub (Kafka's default sasl.oauthbearer.sub.claim.name),
// so the later checks run as User:<sub>.
func runOAuthLogin(ctx context.Context, s *State) Outcome {
	tok := s.Token
	if tok == nil {
		return notApplicable("no OAuth token (see the token check)")
	}
	if tok.Claims.Sub != "" {
		s.Principal = "User:" + tok.Claims.Sub
	}
	cfg := s.saramaConfig()
	obs := make([]probe.KafkaObservation, len(s.Reachable))
	fanOut(len(s.Reachable), func(i int) { obs[i] = probe.OpenBroker(ctx, s.Reachable[i], cfg, s.Step) })
	var detail []string
	var first *Outcome
	for _, o := range obs {
		if o.Err == nil {
			s.keep(o.Addr, o.Broker)
			detail = append(detail, fmt.Sprintf("%s: OAUTHBEARER login as %s accepted, extensions %s (%s)",
				o.Addr, orNone(s.Principal), extensionList(tok.Extensions), o.Elapsed))
			continue
		}
		f := classifyOAuth(ctx, o.Addr, o.Err, s)
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

// classifyOAuth maps a rejected OAUTHBEARER login to a code. A broker
// answers every rejected token alike (SaslAuthenticate error 58, "invalid
// credentials"), so the cause is told from what esmdoctor read in the
// token itself: expired (or not yet valid) at login, else a rejection the
// broker's validation explains (audience, issuer, key, extensions), with
// the claims to compare. Any other answer is a plain SASL failure.
func classifyOAuth(ctx context.Context, addr string, err error, s *State) Outcome {
	kerr, ok := kafkaError(err)
	if !ok || kerr != sarama.ErrSASLAuthenticationFailed {
		return classifySASL(ctx, addr, err, s)
	}
	now := s.Cfg.Now()
	c := s.Token.Claims
	args := claimArgs(c, now)
	args["addr"], args["extensions"], args["broker_message"] = addr, extensionList(s.Token.Extensions), brokerMessage(err, kerr)
	if (!c.Exp.IsZero() && !now.Before(c.Exp)) || (!c.Nbf.IsZero() && c.Nbf.After(now)) {
		return fail(catalog.SASL021, args)
	}
	if s.auth() == AuthIAMOAuth {
		args["alg"] = orNone(c.Alg)
		return fail(catalog.SASL030, args) // an AWS issuer: the remediation names its JWKS
	}
	return fail(catalog.SASL020, args)
}
