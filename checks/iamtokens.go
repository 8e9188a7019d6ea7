package checks

import (
	"context"
	"sync"

	"github.com/IBM/sarama"
	"github.com/esmdoctor/esmdoctor/awsprobe"
)

// iamTokens gives sarama a fresh MSK IAM token for every connection, as the
// mapping's client does, and remembers what the last one was signed with
// (never the token itself) for the sasl check's classification.
//
// sarama's AccessTokenProvider.Token takes no context, so the run's context
// is kept here: the documented exception to never storing one.
type iamTokens struct {
	ctx    context.Context
	gen    TokenFunc
	redact func(...string)
	mu     sync.Mutex
	last   awsprobe.TokenInfo
}

// Token implements sarama.AccessTokenProvider.
func (p *iamTokens) Token() (*sarama.AccessToken, error) {
	tok, err := p.gen(p.ctx)
	if err != nil {
		return nil, err
	}
	p.redact(tok)
	if info, err := awsprobe.ParseToken(tok); err == nil {
		p.mu.Lock()
		p.last = info
		p.mu.Unlock()
	}
	return &sarama.AccessToken{Token: tok}, nil
}

// info is what the last token was signed with.
func (p *iamTokens) info() awsprobe.TokenInfo {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.last
}

// iamTokenSource sets up the token provider for the run: the caller's
// TokenFunc (tests), or tokens signed with the session's credentials for
// the function's Region.
func (s *State) iamTokenSource(ctx context.Context) (*iamTokens, error) {
	if s.AWS.tokens != nil {
		return s.AWS.tokens, nil
	}
	a := s.Cfg.AWS
	gen := a.IAMToken
	if gen == nil {
		sess, err := s.session(ctx)
		if err != nil {
			return nil, err
		}
		region := s.region()
		gen = func(ctx context.Context) (string, error) { return sess.IAMToken(ctx, region) }
	}
	s.AWS.tokens = &iamTokens{ctx: ctx, gen: gen, redact: s.redact}
	return s.AWS.tokens, nil
}
