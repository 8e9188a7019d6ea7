package checks

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/resolve"
	"github.com/esmdoctor/esmdoctor/secrets"
)

// tokenCheck obtains the access token a mapping presents with
// SASL/OAUTHBEARER, as the mapping does before it connects to the brokers
// (between tls and sasl: the token endpoint is a separate host, reached
// with its own DNS, TCP and TLS steps, which this check reports itself).
var tokenCheck = Check{
	ID:    "token",
	Title: "the OAuth token endpoint issues a token",
	Needs: []string{"secret"},
	Run:   runToken,
}

// TokenSource is where a mode's access token comes from: the OAuth token
// endpoint of an OAUTHBEARER_AUTH secret (oauthSource), or AWS for
// IAM-issued tokens. Fetch classifies its own failures with its own codes;
// the token check reads the claims and keeps the token for sasl.
type TokenSource interface {
	// Describe says where the token comes from, for the report
	// ("client credentials grant at https://idp/oauth2/token").
	Describe() string
	// Fetch obtains a token. When ok is false, out is the failure.
	Fetch(ctx context.Context, s *State) (tok *Token, out Outcome, ok bool)
}

// Token is an access token and what esmdoctor read in it. Value is never
// printed: the token check registers it with the redactor.
type Token struct {
	Value secrets.Secret
	// Claims are the token's, when it is a JWT (JWT says so).
	Claims Claims
	JWT    bool
	// Source describes where it came from (TokenSource.Describe).
	Source string
	// Extensions are the SASL extensions sent with it at login.
	Extensions map[string]string
}

// tokenSource is the run's token source for its auth mode; nil when the
// mode logs in without a token.
func (s *State) tokenSource() TokenSource {
	if s.auth() == AuthOAuth && s.Creds.OAuth != nil {
		return &oauthSource{creds: s.Creds.OAuth, settings: s.oauthSettings()}
	}
	if s.auth() == AuthIAMOAuth {
		return &iamSource{}
	}
	return nil
}

// oauthSettings are the mapping's OAUTHBEARER_* settings (empty when none).
func (s *State) oauthSettings() resolve.OAuthSettings {
	if o := s.target().OAuth; o != nil {
		return *o
	}
	return resolve.OAuthSettings{}
}

func runToken(ctx context.Context, s *State) Outcome {
	if !s.auth().UsesToken() {
		return notApplicable(fmt.Sprintf("--auth %s does not log in with an OAuth token", s.auth()))
	}
	src := s.tokenSource()
	if src == nil {
		return notApplicable("no token source for --auth " + string(s.auth()))
	}
	tok, out, ok := src.Fetch(ctx, s)
	if !ok {
		return out
	}
	s.redact(tok.Value.Reveal())
	tok.Source = src.Describe()
	tok.Extensions = saslExtensions(s.oauthSettings())
	s.Token = tok
	return tokenVerdict(s, tok)
}

// saslExtensions are the SASL extensions the mapping sends: Confluent's
// names for OAUTHBEARER_LOGICAL_CLUSTER and OAUTHBEARER_IDENTITY_POOL.
func saslExtensions(o resolve.OAuthSettings) map[string]string {
	ext := map[string]string{}
	if o.LogicalCluster != "" {
		ext["logicalCluster"] = o.LogicalCluster
	}
	if o.IdentityPool != "" {
		ext["identityPoolId"] = o.IdentityPool
	}
	return ext
}

// tokenVerdict passes a usable token, and warns about one a broker would
// reject whatever its configuration: already expired, not a JWT, or for
// another audience than requested.
func tokenVerdict(s *State, tok *Token) Outcome {
	detail := append([]string{tok.Source}, tokenLines(tok)...)
	now := s.Cfg.Now()
	c := tok.Claims
	aud := s.oauthSettings().Audience
	switch {
	case !tok.JWT:
		return warn(catalog.TOKEN102, Args{"size": fmt.Sprint(len(tok.Value.Reveal()))}, detail...)
	case !c.Exp.IsZero() && !now.Before(c.Exp):
		return warn(catalog.TOKEN101, claimArgs(c, now), detail...)
	case aud != "" && len(c.Aud) > 0 && !slices.Contains(c.Aud, aud):
		args := claimArgs(c, now)
		args["audience"] = aud
		return warn(catalog.TOKEN103, args, detail...)
	}
	if role, other := notExecutionRole(s, c.Sub); other {
		return warn(catalog.TOKEN150, Args{"subject": c.Sub, "role": role}, detail...)
	}
	return pass(detail...)
}

// tokenLines describe a token without showing it.
func tokenLines(tok *Token) []string {
	if !tok.JWT {
		return []string{fmt.Sprintf("token: opaque, %d characters (never shown)", len(tok.Value.Reveal()))}
	}
	c := tok.Claims
	lines := []string{fmt.Sprintf("token: JWT signed with %s (key %s), never shown", orNone(c.Alg), orNone(c.Kid)),
		fmt.Sprintf("claims: sub %s, iss %s, aud %s", orNone(c.Sub), orNone(c.Iss), orNone(strings.Join(c.Aud, ","))),
		fmt.Sprintf("claims: iat %s, exp %s (lifetime %s)", stamp(c.Iat), stamp(c.Exp), lifetime(c))}
	if c.Scope != "" {
		lines = append(lines, "claims: scope "+c.Scope)
	}
	if len(tok.Extensions) > 0 {
		lines = append(lines, "SASL extensions to send: "+extensionList(tok.Extensions))
	}
	return lines
}

// claimArgs are the template arguments naming a token's claims.
func claimArgs(c Claims, now time.Time) Args {
	return Args{"sub": orNone(c.Sub), "iss": orNone(c.Iss), "aud": orNone(strings.Join(c.Aud, ",")), "kid": orNone(c.Kid),
		"exp": stamp(c.Exp), "iat": stamp(c.Iat), "now": stamp(now)}
}

// extensionList renders extensions as name=value, sorted ("none" when empty).
func extensionList(ext map[string]string) string {
	if len(ext) == 0 {
		return "none"
	}
	var parts []string
	for k, v := range ext {
		parts = append(parts, k+"="+v)
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "(none)"
	}
	return t.UTC().Format(time.RFC3339)
}

func lifetime(c Claims) string {
	if c.Exp.IsZero() || c.Iat.IsZero() {
		return "unknown"
	}
	return c.Exp.Sub(c.Iat).String()
}
