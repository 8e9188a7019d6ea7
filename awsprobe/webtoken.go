package awsprobe

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// WebTokenAlgorithm is the signing algorithm esmdoctor asks for: RS256,
// which every Kafka OAUTHBEARER validator (jose4j) verifies; STS also
// offers ES384.
const WebTokenAlgorithm = "RS256"

// WebToken is sts:GetWebIdentityToken's answer. Token is a credential
// (a signed JWT): never print it.
type WebToken struct {
	Endpoint   string // the STS endpoint asked
	Token      string
	Expiration time.Time
	Err        error
	Elapsed    time.Duration
}

// WebIdentityToken asks STS (the regional endpoint, or the configured
// override; the global endpoint does not serve it) for a JWT naming the
// session's identity, for audience, as a mapping with IAM_OAUTHBEARER_AUTH
// does for its execution role. The default lifetime (300 s) is kept.
func (s *Session) WebIdentityToken(ctx context.Context, budget time.Duration, audience string) WebToken {
	start := time.Now()
	ctx, cfg, done, cancel := call(ctx, s.cfg, budget)
	defer cancel()
	t := WebToken{Endpoint: s.Endpoint(ctx, STS, "")}
	out, err := sts.NewFromConfig(cfg).GetWebIdentityToken(ctx, &sts.GetWebIdentityTokenInput{
		Audience: []string{audience}, SigningAlgorithm: aws.String(WebTokenAlgorithm)})
	t.Elapsed = since(start)
	if err != nil {
		t.Err = done(err)
		return t
	}
	t.Token, t.Expiration = aws.ToString(out.WebIdentityToken), aws.ToTime(out.Expiration)
	return t
}
