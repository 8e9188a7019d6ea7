package integration

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/resolve"
)

// oauthKeys are the state-file keys the OAuth scenarios need (a bed
// started from a tree without the kafka4 node lacks them).
var oauthKeys = []string{"KAFKA4_OAUTH", "KAFKA4_OAUTH_EXT", "OAUTH_TOKEN_URL", "OAUTH_CLIENT_ID", "OAUTH_JWT_CLIENT_KEY_PEM"}

// oauthDoc is an OAUTHBEARER_AUTH secret with the given fields.
func oauthDoc(fields map[string]string) *checks.SecretDoc {
	data, _ := json.Marshal(fields)
	return &checks.SecretDoc{Source: "secret:oauth", Data: data}
}

// clientCredentials is the client-credentials secret of a test IdP client,
// trusting the IdP's CA (the test bed's CA_PEM).
func (b bed) clientCredentials(clientKey, secret string) map[string]string {
	return map[string]string{"oauthTokenEndpointUrl": b.Get("OAUTH_TOKEN_URL"), "oauthClientId": b.Get(clientKey),
		"oauthClientSecret": secret, "oauthIdpCaCertificate": string(b.file("CA_PEM"))}
}

// oauthCfg is a mapping with OAUTHBEARER_AUTH against a kafka4 listener,
// scope and audience as the IdP and the broker expect.
func oauthCfg(b bed, addrKey string, secret map[string]string) checks.Config {
	b.need(oauthKeys...)
	return checks.Config{Bootstrap: b.hostPorts(b.Get(addrKey)), Topic: b.Get("TOPIC"), Auth: checks.AuthOAuth,
		Secret: oauthDoc(secret), CA: b.ca("CA_PEM"), ConsumerGroup: b.Get("ESM_UUID"),
		OAuth: &resolve.OAuthSettings{Scope: b.Get("OAUTH_SCOPE"), Audience: b.Get("OAUTH_AUDIENCE")}}
}

func oauthOK(b bed) checks.Config {
	return oauthCfg(b, "KAFKA4_OAUTH", b.clientCredentials("OAUTH_CLIENT_ID", b.Get("OAUTH_CLIENT_SECRET")))
}

func withOAuth(mod func(b bed, c *checks.Config)) func(b bed) checks.Config {
	return with(oauthOK, mod)
}

// jwtBearer is the JWT-bearer secret of the test IdP's JWT client.
func (b bed) jwtBearer(keyPEM string) map[string]string {
	return map[string]string{"oauthTokenEndpointUrl": b.Get("OAUTH_TOKEN_URL"), "oauthClientId": b.Get("OAUTH_JWT_CLIENT_ID"),
		"oauthClientEmail": b.Get("OAUTH_JWT_CLIENT_EMAIL"), "oauthPrivateKey": keyPEM, "oauthTokenExpirationSeconds": "300",
		"oauthIdpCaCertificate": string(b.file("CA_PEM"))}
}

func freshKeyPEM(t testing.TB) string {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(k)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// oauthScenario is one OAuth situation and what esmdoctor must report:
// the check and code (status from the code), and facts its cause or
// detail must hold.
type oauthScenario struct {
	name      string
	cfg       func(b bed) checks.Config
	check     string // the check that fails or warns ("" when all pass)
	code      string
	problem   catalog.ProblemID
	facts     map[string][]string // check id -> substrings of its cause or detail
	principal string              // the principal later checks run as
}

func oauthScenarios(b bed) []oauthScenario {
	sub := b.Get("OAUTH_CLIENT_ID")
	return []oauthScenario{
		{name: "client-credentials-healthy", cfg: oauthOK, principal: "User:" + sub, facts: map[string][]string{
			"token": {"client credentials grant at " + b.Get("OAUTH_TOKEN_URL"), "sub " + sub + ", iss " + b.Get("OAUTH_ISSUER") + ", aud " + b.Get("OAUTH_AUDIENCE"), "scope " + b.Get("OAUTH_SCOPE")},
			"sasl":  {"OAUTHBEARER login as User:" + sub + " accepted, extensions none"},
			"poll":  {"fetched 6 record(s)"}}},
		{name: "extensions-healthy", cfg: func(b bed) checks.Config {
			c := oauthCfg(b, "KAFKA4_OAUTH_EXT", b.clientCredentials("OAUTH_CLIENT_ID", b.Get("OAUTH_CLIENT_SECRET")))
			c.OAuth.LogicalCluster, c.OAuth.IdentityPool = b.Get("OAUTH_LOGICAL_CLUSTER"), b.Get("OAUTH_IDENTITY_POOL")
			return c
		}, principal: "User:" + sub, facts: map[string][]string{
			"sasl": {"extensions identityPoolId=" + b.Get("OAUTH_IDENTITY_POOL") + ", logicalCluster=" + b.Get("OAUTH_LOGICAL_CLUSTER")}}},
		{name: "jwt-bearer-healthy", cfg: func(b bed) checks.Config {
			return oauthCfg(b, "KAFKA4_OAUTH", b.jwtBearer(string(b.file("OAUTH_JWT_CLIENT_KEY_PEM"))))
		}, principal: "User:" + b.Get("OAUTH_JWT_CLIENT_ID"), facts: map[string][]string{"token": {"JWT-bearer grant at", "sub " + b.Get("OAUTH_JWT_CLIENT_ID")}}},

		{name: "wrong-client-secret", cfg: func(b bed) checks.Config {
			return oauthCfg(b, "KAFKA4_OAUTH", b.clientCredentials("OAUTH_CLIENT_ID", "not-the-secret"))
		}, check: "token", code: catalog.TOKEN004, problem: "P4", facts: map[string][]string{"token": {"HTTP 401 invalid_client for client " + sub}}},
		{name: "wrong-scope", cfg: withOAuth(func(b bed, c *checks.Config) { c.OAuth.Scope = "kafka.admin" }),
			check: "token", code: catalog.TOKEN005, problem: "P4", facts: map[string][]string{"token": {"HTTP 400 invalid_scope for client " + sub + ", scope kafka.admin"}}},
		{name: "grant-not-allowed", cfg: func(b bed) checks.Config {
			return oauthCfg(b, "KAFKA4_OAUTH", b.clientCredentials("OAUTH_NOCC_CLIENT_ID", b.Get("OAUTH_CLIENT_SECRET")))
		}, check: "token", code: catalog.TOKEN006, problem: "P4", facts: map[string][]string{"token": {"unauthorized_client for client " + b.Get("OAUTH_NOCC_CLIENT_ID") + ", grant client_credentials"}}},
		{name: "audience-unknown-to-idp", cfg: withOAuth(func(b bed, c *checks.Config) { c.OAuth.Audience = "nowhere" }),
			check: "token", code: catalog.TOKEN008, problem: "P4", facts: map[string][]string{"token": {"invalid_target for audience nowhere"}}},
		{name: "jwt-bearer-unregistered-key", cfg: func(b bed) checks.Config {
			return oauthCfg(b, "KAFKA4_OAUTH", b.jwtBearer(freshKeyPEM(b.t)))
		}, check: "token", code: catalog.TOKEN007, problem: "P4", facts: map[string][]string{"token": {"invalid_grant for " + b.Get("OAUTH_JWT_CLIENT_ID"), b.Get("OAUTH_JWT_CLIENT_EMAIL")}}},
		{name: "idp-untrusted-ca", cfg: withOAuth(func(b bed, c *checks.Config) {
			s := b.clientCredentials("OAUTH_CLIENT_ID", b.Get("OAUTH_CLIENT_SECRET"))
			s["oauthIdpCaCertificate"] = string(b.file("OTHER_CA_PEM"))
			c.Secret = oauthDoc(s)
		}), check: "token", code: catalog.TOKEN003, problem: "P4", facts: map[string][]string{"token": {"verified against oauthIdpCaCertificate"}}},
		{name: "idp-private-ca-not-given", cfg: withOAuth(func(b bed, c *checks.Config) {
			s := b.clientCredentials("OAUTH_CLIENT_ID", b.Get("OAUTH_CLIENT_SECRET"))
			delete(s, "oauthIdpCaCertificate")
			c.Secret = oauthDoc(s)
		}), check: "token", code: catalog.TOKEN003, problem: "P4", facts: map[string][]string{"token": {"the public root CAs (no oauthIdpCaCertificate)"}}},
		{name: "token-url-is-a-web-page", cfg: withOAuth(func(b bed, c *checks.Config) {
			s := b.clientCredentials("OAUTH_CLIENT_ID", b.Get("OAUTH_CLIENT_SECRET"))
			s["oauthTokenEndpointUrl"] = b.Get("OAUTH_ISSUER") + "/login"
			c.Secret = oauthDoc(s)
		}), check: "token", code: catalog.TOKEN011, problem: "P4", facts: map[string][]string{"token": {"HTTP 200 (text/html; charset=utf-8", "the body is not JSON"}}},
		{name: "token-url-wrong-path", cfg: withOAuth(func(b bed, c *checks.Config) {
			s := b.clientCredentials("OAUTH_CLIENT_ID", b.Get("OAUTH_CLIENT_SECRET"))
			s["oauthTokenEndpointUrl"] = b.Get("OAUTH_ISSUER") + "/oauth2/v2/token"
			c.Secret = oauthDoc(s)
		}), check: "token", code: catalog.TOKEN010, problem: "P4", facts: map[string][]string{"token": {"HTTP 404 (text/html"}}},
		{name: "idp-unresolvable", cfg: withOAuth(func(b bed, c *checks.Config) {
			s := b.clientCredentials("OAUTH_CLIENT_ID", b.Get("OAUTH_CLIENT_SECRET"))
			s["oauthTokenEndpointUrl"] = "https://no-such-idp.invalid/oauth2/token"
			c.Secret = oauthDoc(s)
		}), check: "token", code: catalog.TOKEN001, problem: "P4", facts: map[string][]string{"token": {"DNS lookup of no-such-idp.invalid"}}},
		{name: "idp-port-closed", cfg: withOAuth(func(b bed, c *checks.Config) {
			s := b.clientCredentials("OAUTH_CLIENT_ID", b.Get("OAUTH_CLIENT_SECRET"))
			s["oauthTokenEndpointUrl"] = "https://" + closedPort(b.t) + "/oauth2/token"
			c.Secret = oauthDoc(s)
		}), check: "token", code: catalog.TOKEN002, problem: "P4", facts: map[string][]string{"token": {"connection refused"}}},
		{name: "secret-http-url", cfg: withOAuth(func(b bed, c *checks.Config) {
			s := b.clientCredentials("OAUTH_CLIENT_ID", b.Get("OAUTH_CLIENT_SECRET"))
			s["oauthTokenEndpointUrl"] = strings.Replace(b.Get("OAUTH_TOKEN_URL"), "https://", "http://", 1)
			c.Secret = oauthDoc(s)
		}), check: "secret", code: catalog.SECRET030, problem: "P4", facts: map[string][]string{"secret": {`its scheme is "http"`}}},
		{name: "secret-both-grants", cfg: withOAuth(func(b bed, c *checks.Config) {
			s := b.clientCredentials("OAUTH_CLIENT_ID", b.Get("OAUTH_CLIENT_SECRET"))
			s["oauthClientEmail"] = b.Get("OAUTH_JWT_CLIENT_EMAIL")
			c.Secret = oauthDoc(s)
		}), check: "secret", code: catalog.SECRET031, problem: "P4", facts: map[string][]string{"secret": {"fields of both OAuth grants"}}},

		{name: "wrong-audience", cfg: withOAuth(func(b bed, c *checks.Config) { c.OAuth.Audience = b.Get("OAUTH_OTHER_AUDIENCE") }),
			check: "sasl", code: catalog.SASL020, problem: "P4", facts: map[string][]string{
				"sasl": {"aud " + b.Get("OAUTH_OTHER_AUDIENCE"), "iss " + b.Get("OAUTH_ISSUER"), "Kafka error 58 SASL_AUTHENTICATION_FAILED"}}},
		{name: "expired-token", cfg: func(b bed) checks.Config {
			return oauthCfg(b, "KAFKA4_OAUTH", b.clientCredentials("OAUTH_EXPIRED_CLIENT_ID", b.Get("OAUTH_CLIENT_SECRET")))
		}, check: "sasl", code: catalog.SASL021, problem: "P4", facts: map[string][]string{
			"token": {"sub " + b.Get("OAUTH_EXPIRED_CLIENT_ID")},
			"sasl":  {"the token of " + b.Get("OAUTH_EXPIRED_CLIENT_ID") + " expired at", "Kafka error 58"}}},
		{name: "missing-extensions", cfg: func(b bed) checks.Config {
			return oauthCfg(b, "KAFKA4_OAUTH_EXT", b.clientCredentials("OAUTH_CLIENT_ID", b.Get("OAUTH_CLIENT_SECRET")))
		}, check: "sasl", code: catalog.SASL020, problem: "P4", facts: map[string][]string{
			"sasl": {"extensions sent: none", "extensions are invalid"}}},
		{name: "listener-without-oauthbearer", cfg: withOAuth(func(b bed, c *checks.Config) { c.Bootstrap = b.hostPorts(b.Get("SASL_SSL")) }),
			check: "sasl", code: catalog.SASL002, problem: "P4", facts: map[string][]string{
				"sasl": {"OAUTHBEARER is not enabled on this listener", "SCRAM-SHA-512"}}},
		{name: "principal-without-acls", cfg: func(b bed) checks.Config {
			return oauthCfg(b, "KAFKA4_OAUTH", b.clientCredentials("OAUTH_NOACL_CLIENT_ID", b.Get("OAUTH_CLIENT_SECRET")))
		}, check: "topic", code: catalog.TOPIC002, problem: "P5", principal: "User:" + b.Get("OAUTH_NOACL_CLIENT_ID"),
			facts: map[string][]string{"topic": {"TOPIC_AUTHORIZATION_FAILED for User:" + b.Get("OAUTH_NOACL_CLIENT_ID")}}},
	}
}

// TestOAuthScenarios runs the pipeline against kafka4's OAUTHBEARER
// listeners and the test IdP, one scenario per way OAUTHBEARER_AUTH
// fails, and asserts check, status, code, PROBLEM text and the cause's
// key facts; no scenario's output holds the token or the client secret.
func TestOAuthScenarios(t *testing.T) {
	b := requireBed(t)
	b.need(oauthKeys...)
	for _, sc := range oauthScenarios(b) {
		t.Run(sc.name, func(t *testing.T) {
			b := bed{Env: b.Env, t: t}
			cfg := sc.cfg(b)
			cfg.Timeout = matrixTimeout
			var learned []string
			cfg.Redact = func(v ...string) { learned = append(learned, v...) }
			start := time.Now()
			rs := checks.Run(context.Background(), cfg, nil)
			if d := time.Since(start); d > matrixTimeout+matrixSlack {
				t.Errorf("run took %s", d)
			}
			assertOAuth(t, sc, rs)
			if sc.check != "token" && sc.check != "secret" && len(learned) == 0 {
				t.Errorf("the token was never handed to the redactor")
			}
			assertNoOAuthSecrets(t, b, rs, learned)
		})
	}
}

func assertOAuth(t *testing.T, sc oauthScenario, rs []model.Result) {
	t.Helper()
	byID := map[string]model.Result{}
	for _, r := range rs {
		byID[r.ID] = r
	}
	if sc.check == "" {
		if first, failed := firstFailure(rs); failed {
			t.Fatalf("%s failed with %s, want every check to pass\n%s", first.ID, first.Code, dump(rs))
		}
	} else {
		r := byID[sc.check]
		e, _ := catalog.Lookup(sc.code)
		want := model.Status(e.Severity)
		if r.Code != sc.code || r.Status != want {
			t.Fatalf("%s: %s %s, want %s %s\n%s", sc.check, r.Status, r.Code, want, sc.code, dump(rs))
		}
		if first, _ := firstFailure(rs); first.ID != sc.check {
			t.Errorf("first failure %s %s, want %s", first.ID, first.Code, sc.check)
		}
		p, _ := r.Problem()
		if wantP, _ := catalog.ProblemByID(sc.problem); p.ID != sc.problem || p.Text != wantP.Text {
			t.Errorf("PROBLEM %s %q, want %s %q", p.ID, p.Text, sc.problem, wantP.Text)
		}
		if strings.Contains(r.Cause(), "?") && !strings.Contains(r.Cause(), "?\"") {
			t.Errorf("cause has an unfilled placeholder: %s", r.Cause())
		}
	}
	for id, facts := range sc.facts {
		r := byID[id]
		text := r.Cause() + "\n" + strings.Join(r.Detail, "\n")
		for _, f := range facts {
			if !strings.Contains(text, f) {
				t.Errorf("%s does not say %q:\n%s", id, f, text)
			}
		}
	}
	if sc.principal != "" {
		if g := byID["group"]; sc.check == "" && !strings.Contains(strings.Join(g.Detail, "\n"), "authorized operations on the group: Read, Describe") {
			t.Errorf("group check as %s:\n%s", sc.principal, dump(rs))
		}
		if r := byID["sasl"]; sc.check != "topic" && !strings.Contains(strings.Join(r.Detail, "\n"), "login as "+sc.principal+" accepted") {
			t.Errorf("sasl does not log in as %s:\n%s", sc.principal, dump(rs))
		}
	}
}

// assertNoOAuthSecrets: the client secret and every value handed to the
// redactor (the token) are absent from every result before redaction
// even runs, so no renderer can print them.
func assertNoOAuthSecrets(t *testing.T, b bed, rs []model.Result, learned []string) {
	t.Helper()
	needles := append([]string{b.Get("OAUTH_CLIENT_SECRET")}, learned...)
	for _, r := range rs {
		text := r.Cause() + r.Remediation() + r.Reason + strings.Join(r.Detail, "\n")
		for _, n := range needles {
			if len(n) >= 8 && strings.Contains(text, n) {
				t.Errorf("%s shows a secret value (%d characters)", r.ID, len(n))
			}
		}
	}
}
