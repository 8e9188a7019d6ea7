package awsprobe

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
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

// JWTFacts are a JWT's public facts: its header's algorithm and key id
// and the registered claims. They hold no secret (the signature is not
// kept), and they are read without verifying the signature: whoever
// validates the token (a broker) does that.
type JWTFacts struct {
	Algorithm, KeyID string
	Issuer, Subject  string
	Audience         []string
	IssuedAt, Expiry time.Time
}

// maxJWT bounds a token parsed (STS tokens are about 1 KB; a
// JWTPayloadSizeExceeded error marks the service's own limit).
const maxJWT = 16 << 10

// errNotJWT is a token that is not a compact signed JWT.
var errNotJWT = errors.New("not a signed JWT")

// ParseJWT reads a signed JWT's facts without verifying it.
func ParseJWT(tok string) (JWTFacts, error) {
	if len(tok) > maxJWT {
		return JWTFacts{}, errNotJWT
	}
	algs := []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512, jose.ES256, jose.ES384, jose.ES512, jose.PS256, jose.PS384, jose.PS512, jose.EdDSA}
	parsed, err := jwt.ParseSigned(tok, algs)
	if err != nil || len(parsed.Headers) != 1 {
		return JWTFacts{}, errNotJWT
	}
	var c jwt.Claims
	if err := parsed.UnsafeClaimsWithoutVerification(&c); err != nil {
		return JWTFacts{}, errNotJWT
	}
	h := parsed.Headers[0]
	f := JWTFacts{Algorithm: h.Algorithm, KeyID: h.KeyID, Issuer: c.Issuer, Subject: c.Subject, Audience: []string(c.Audience)}
	if c.IssuedAt != nil {
		f.IssuedAt = c.IssuedAt.Time()
	}
	if c.Expiry != nil {
		f.Expiry = c.Expiry.Time()
	}
	return f, nil
}
