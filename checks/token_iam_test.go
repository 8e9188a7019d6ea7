package checks

import (
	"context"
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/IBM/sarama"
	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/resolve"
	"github.com/esmdoctor/esmdoctor/secrets"
)

// GetWebIdentityToken failures are told apart by STS's error codes, and a
// rejected login names the token's facts, never the token.
func TestClassifyWebIdentityToken(t *testing.T) {
	regional, global := "https://sts.eu-west-1.amazonaws.com", "https://sts.amazonaws.com"
	cases := []struct {
		err      error
		endpoint string
		want     string
	}{
		{apiErr("STS", "GetWebIdentityToken", "OutboundWebIdentityFederationDisabledException"), regional, catalog.TOKEN050},
		{apiErr("STS", "GetWebIdentityToken", "AccessDenied"), regional, catalog.TOKEN051},
		{apiErr("STS", "GetWebIdentityToken", "InvalidAction"), regional, catalog.TOKEN052},
		{apiErr("STS", "GetWebIdentityToken", "ValidationError"), global, catalog.TOKEN052},
		{apiErr("STS", "GetWebIdentityToken", "Throttling"), regional, catalog.TOKEN053},
		{apiErr("STS", "GetWebIdentityToken", "SessionDurationEscalationException"), regional, catalog.TOKEN053},
		{opErr("dial", syscall.ECONNREFUSED), regional, catalog.TOKEN054},
	}
	for _, c := range cases {
		s := awsTestState()
		s.Cfg.OAuth = &resolve.OAuthSettings{Audience: "kafka-prod"}
		o := webTokenFailure(c.err, c.endpoint, "eu-west-1", s)
		if o.Code != c.want {
			t.Errorf("%v at %s: %s, want %s", c.err, c.endpoint, o.Code, c.want)
		}
		assertFilled(t, o)
	}
}

func TestClassifyIAMOAuthLogin(t *testing.T) {
	now := time.Date(2026, 11, 30, 13, 0, 0, 0, time.UTC)
	raw := "eyJhbGciOi.secret.token"
	s := awsTestState()
	s.Cfg.Auth, s.Cfg.Now = AuthIAMOAuth, func() time.Time { return now }
	s.Token = &Token{Value: secrets.NewSecret(raw), JWT: true, Claims: Claims{Alg: "RS256", Kid: "k1", Iss: "https://x.tokens.sts.global.api.aws",
		Sub: "arn:aws:iam::123456789012:role/esm-exec", Aud: []string{"kafka-prod"}, Iat: now, Exp: now.Add(5 * time.Minute)}}
	err := errors.Join(sarama.ErrSASLAuthenticationFailed, errors.New("Authentication failed during authentication due to invalid credentials with SASL mechanism OAUTHBEARER"))
	o := classifyOAuth(context.Background(), "localhost:19302", err, s)
	if o.Code != catalog.SASL030 {
		t.Fatalf("code %s", o.Code)
	}
	assertFilled(t, o)
	for _, want := range []string{s.Token.Claims.Sub, s.Token.Claims.Iss, "kafka-prod", "k1", "RS256", "2026-11-30T13:05:00Z"} {
		found := false
		for _, v := range o.Args {
			found = found || strings.Contains(v, want)
		}
		if !found {
			t.Errorf("no argument holds %q: %v", want, o.Args)
		}
	}
	for k, v := range o.Args {
		if strings.Contains(v, raw) {
			t.Errorf("argument %s holds the token", k)
		}
	}
	// The same rejection of an expired token is the expiry's, as for OAuth.
	s.Cfg.Now = func() time.Time { return now.Add(time.Hour) }
	if o := classifyOAuth(context.Background(), "localhost:19302", err, s); o.Code != catalog.SASL021 {
		t.Fatalf("expired: %s", o.Code)
	}
}
