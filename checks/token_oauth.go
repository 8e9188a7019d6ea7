package checks

import (
	"context"
	"crypto/x509"
	"net/url"
	"os"

	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/jvmtls"
	"github.com/esmdoctor/esmdoctor/probe"
	"github.com/esmdoctor/esmdoctor/resolve"
	"github.com/esmdoctor/esmdoctor/secrets"
)

// oauthSource requests a token from the OAUTHBEARER_AUTH secret's token
// endpoint, as the mapping does: the client-credentials grant with HTTP
// Basic client authentication (RFC 6749 section 2.3.1: client id and
// secret URL-encoded, as Kafka's Java client sends them), or the
// JWT-bearer grant (RFC 7523) with an assertion signed by oauthPrivateKey;
// the scope and audience come from OAUTHBEARER_SCOPE and
// OAUTHBEARER_AUDIENCE.
type oauthSource struct {
	creds    *secrets.OAuthCredentials
	settings resolve.OAuthSettings
}

// Describe names the grant and the endpoint.
func (o *oauthSource) Describe() string {
	grant := "client credentials grant"
	if o.creds.Grant == secrets.GrantJWTBearer {
		grant = "JWT-bearer grant"
	}
	return grant + " at " + o.creds.TokenURL.String() + " as client " + o.creds.ClientID
}

// Fetch requests the token and classifies the IdP's answer.
func (o *oauthSource) Fetch(ctx context.Context, s *State) (*Token, Outcome, bool) {
	form, err := o.form(s)
	if err != nil {
		args := o.args()
		args["status"], args["error"], args["description"] = "-", "assertion", ": "+shortErr(err, "")
		return nil, fail(catalog.TOKEN009, args), false
	}
	req := probe.HTTPSPost{URL: o.creds.TokenURL, TLS: jvmtls.ClientConfig(idpRoots(o.creds), s.Cfg.Now), Form: form,
		Resolver: s.Cfg.Resolver, Budget: s.Step}
	if o.creds.Grant == secrets.GrantClientCredentials {
		req.BasicUser = url.QueryEscape(o.creds.ClientID)
		req.BasicPassword = url.QueryEscape(o.creds.ClientSecret.Reveal())
	}
	obs := probe.PostForm(ctx, req)
	return classifyTokenAnswer(obs, o, s)
}

// form is the token request's body.
func (o *oauthSource) form(s *State) (url.Values, error) {
	f := url.Values{"grant_type": {o.creds.Grant}}
	if o.creds.Grant == secrets.GrantJWTBearer {
		a, err := signAssertion(o.creds, s.Cfg.Now())
		if err != nil {
			return nil, err
		}
		s.redact(a)
		f.Set("assertion", a)
		f.Set("client_id", o.creds.ClientID)
	}
	if o.settings.Scope != "" {
		f.Set("scope", o.settings.Scope)
	}
	if o.settings.Audience != "" {
		f.Set("audience", o.settings.Audience)
	}
	return f, nil
}

// args are the template arguments every token code may use.
func (o *oauthSource) args() Args {
	return Args{"endpoint": o.creds.TokenURL.String(), "host": o.creds.TokenURL.Hostname(), "client_id": o.creds.ClientID,
		"grant": o.creds.Grant, "scope": orNone(o.settings.Scope), "audience": orNone(o.settings.Audience),
		"email": orNone(o.creds.ClientEmail), "trust": o.trust(), "description": ""}
}

// trust says what verifies the IdP's certificate.
func (o *oauthSource) trust() string {
	if o.creds.IdPCA != nil {
		return "oauthIdpCaCertificate"
	}
	return "the public root CAs (no oauthIdpCaCertificate)"
}

// idpRoots are the trust anchors of the token endpoint: the secret's
// oauthIdpCaCertificate, else the public roots (with the test roots, if
// any, as for the brokers).
func idpRoots(c *secrets.OAuthCredentials) []*x509.Certificate {
	if c.IdPCA != nil {
		return c.IdPCA.Certs
	}
	extra := testRoots(os.Getenv(testRootsEnv))
	if len(extra) == 0 {
		return nil
	}
	return append(jvmtls.PublicRoots(), extra...)
}
