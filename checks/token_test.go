package checks

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/IBM/sarama"
	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/probe"
	"github.com/esmdoctor/esmdoctor/resolve"
	"github.com/esmdoctor/esmdoctor/secrets"
)

// fakeJWT is an unsigned compact JWT with the given claims (esmdoctor
// never verifies signatures; the broker does).
func fakeJWT(t *testing.T, claims map[string]any) string {
	t.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(map[string]string{"alg": "RS256", "kid": "k1"}) + "." + enc(claims) + ".c2ln"
}

func oauthState(now time.Time) (*State, *oauthSource) {
	u, _ := url.Parse("https://idp.example.com/oauth2/token")
	creds := &secrets.OAuthCredentials{TokenURL: u, ClientID: "esm", Grant: secrets.GrantClientCredentials, ClientSecret: secrets.NewSecret("pw")}
	settings := &resolve.OAuthSettings{Scope: "kafka", Audience: "kafka4", LogicalCluster: "lkc-1"}
	s := &State{Cfg: Config{Auth: AuthOAuth, OAuth: settings, Now: func() time.Time { return now }}, Step: time.Second}
	s.Creds.OAuth = creds
	return s, &oauthSource{creds: creds, settings: *settings}
}

// TestClassifyTokenAnswer: the IdP's answer is classified by phase, OAuth
// error code and HTTP status, never by its words.
func TestClassifyTokenAnswer(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	s, src := oauthState(now)
	jsonCT := "application/json"
	for _, tc := range []struct {
		name string
		obs  probe.HTTPSObservation
		code string
		arg  string
		want string
	}{
		{"dns", probe.HTTPSObservation{Phase: probe.PhaseDNS, Err: &net.DNSError{Err: "no such host", Name: "idp.example.com", IsNotFound: true}}, catalog.TOKEN001, "host", "idp.example.com"},
		{"tcp", probe.HTTPSObservation{Phase: probe.PhaseTCP, Addr: "10.0.0.1:443", Err: errors.New("connect: connection refused")}, catalog.TOKEN002, "addr", "10.0.0.1:443"},
		{"untrusted", probe.HTTPSObservation{Phase: probe.PhaseTLS, Addr: "10.0.0.1:443", Err: x509.UnknownAuthorityError{}}, catalog.TOKEN003, "trust", "public root CAs"},
		{"tls broken", probe.HTTPSObservation{Phase: probe.PhaseTLS, Addr: "10.0.0.1:443", Err: errors.New("EOF")}, catalog.TOKEN012, "detail", "TLS with 10.0.0.1:443"},
		{"invalid_client", probe.HTTPSObservation{Phase: probe.PhaseHTTP, Status: 401, ContentType: jsonCT, Body: []byte(`{"error":"invalid_client","error_description":"client authentication failed"}`)}, catalog.TOKEN004, "description", `"client authentication failed"`},
		{"invalid_scope", probe.HTTPSObservation{Phase: probe.PhaseHTTP, Status: 400, Body: []byte(`{"error":"invalid_scope"}`)}, catalog.TOKEN005, "scope", "kafka"},
		{"unauthorized_client", probe.HTTPSObservation{Phase: probe.PhaseHTTP, Status: 400, Body: []byte(`{"error":"unauthorized_client"}`)}, catalog.TOKEN006, "grant", "client_credentials"},
		{"invalid_grant", probe.HTTPSObservation{Phase: probe.PhaseHTTP, Status: 400, Body: []byte(`{"error":"invalid_grant"}`)}, catalog.TOKEN007, "status", "400"},
		{"invalid_target", probe.HTTPSObservation{Phase: probe.PhaseHTTP, Status: 400, Body: []byte(`{"error":"invalid_target"}`)}, catalog.TOKEN008, "audience", "kafka4"},
		{"other OAuth error", probe.HTTPSObservation{Phase: probe.PhaseHTTP, Status: 400, Body: []byte(`{"error":"temporarily_unavailable"}`)}, catalog.TOKEN009, "error", "temporarily_unavailable"},
		{"404 page", probe.HTTPSObservation{Phase: probe.PhaseHTTP, Status: 404, ContentType: "text/html", Body: []byte("<html>")}, catalog.TOKEN010, "content_type", "text/html"},
		{"500 JSON without error", probe.HTTPSObservation{Phase: probe.PhaseHTTP, Status: 500, Body: []byte(`{"message":"boom"}`)}, catalog.TOKEN010, "status", "500"},
		{"200 page", probe.HTTPSObservation{Phase: probe.PhaseHTTP, Status: 200, ContentType: "text/html", Body: []byte("<html>")}, catalog.TOKEN011, "detail", "not JSON"},
		{"200 no token", probe.HTTPSObservation{Phase: probe.PhaseHTTP, Status: 200, Body: []byte(`{"token_type":"Bearer"}`)}, catalog.TOKEN011, "detail", "no access_token"},
		{"timeout", probe.HTTPSObservation{Phase: probe.PhaseHTTP, Err: context.DeadlineExceeded}, catalog.TOKEN012, "detail", "within the step budget"},
	} {
		tok, out, ok := classifyTokenAnswer(tc.obs, src, s)
		if ok || tok != nil || out.Code != tc.code || out.Status != model.Fail || !strings.Contains(out.Args[tc.arg], tc.want) {
			t.Errorf("%s: ok %t code %s %s=%q, want %s with %q", tc.name, ok, out.Code, tc.arg, out.Args[tc.arg], tc.code, tc.want)
		}
	}
	body, _ := json.Marshal(map[string]any{"access_token": fakeJWT(t, map[string]any{"sub": "esm", "aud": []string{"kafka4", "x"}, "exp": now.Add(time.Hour).Unix(), "iat": now.Unix(), "scope": "kafka"}), "token_type": "Bearer"})
	tok, _, ok := classifyTokenAnswer(probe.HTTPSObservation{Phase: probe.PhaseHTTP, Status: 200, Body: body}, src, s)
	if !ok || !tok.JWT || tok.Claims.Sub != "esm" || len(tok.Claims.Aud) != 2 || !tok.Claims.Exp.Equal(now.Add(time.Hour)) || tok.Claims.Scope != "kafka" || tok.Claims.Kid != "k1" {
		t.Fatalf("token %+v ok %t", tok, ok)
	}
}

// TestTokenVerdict: a token already expired, opaque, or for another
// audience is a warning; the report never shows the token.
func TestTokenVerdict(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	s, _ := oauthState(now)
	mk := func(claims map[string]any) *Token {
		v := fakeJWT(t, claims)
		c, ok := decodeClaims(v)
		return &Token{Value: secrets.NewSecret(v), Claims: c, JWT: ok, Source: "test", Extensions: saslExtensions(*s.Cfg.OAuth)}
	}
	good := mk(map[string]any{"sub": "esm", "aud": "kafka4", "exp": now.Add(time.Hour).Unix(), "iat": now.Unix()})
	for _, tc := range []struct {
		name string
		tok  *Token
		code string
	}{
		{"valid", good, ""},
		{"expired", mk(map[string]any{"sub": "esm", "aud": "kafka4", "exp": now.Add(-time.Minute).Unix(), "iat": now.Add(-time.Hour).Unix()}), catalog.TOKEN101},
		{"opaque", &Token{Value: secrets.NewSecret("opaque-token-value")}, catalog.TOKEN102},
		{"other audience", mk(map[string]any{"sub": "esm", "aud": "other", "exp": now.Add(time.Hour).Unix()}), catalog.TOKEN103},
	} {
		out := tokenVerdict(s, tc.tok)
		if out.Code != tc.code {
			t.Errorf("%s: code %q, want %q", tc.name, out.Code, tc.code)
		}
		for _, line := range append(out.Detail, catalog.Format("{sub} {aud}", out.Args)) {
			if strings.Contains(line, tc.tok.Value.Reveal()) {
				t.Errorf("%s: the token appears in %q", tc.name, line)
			}
		}
	}
	if got := strings.Join(tokenLines(good), "\n"); !strings.Contains(got, "SASL extensions to send: logicalCluster=lkc-1") || !strings.Contains(got, "sub esm, iss (none), aud kafka4") {
		t.Errorf("detail lines:\n%s", got)
	}
}

// TestClassifyOAuthLogin: error 58 with a token expired at login is
// SASL021, otherwise SASL020 with the claims to compare; another Kafka
// error is the plain SASL classification.
func TestClassifyOAuthLogin(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	s, _ := oauthState(now)
	rejected := sarama.Wrap(sarama.ErrSASLAuthenticationFailed, errors.New("Authentication failed during authentication due to invalid credentials with SASL mechanism OAUTHBEARER"))
	for _, tc := range []struct {
		exp  time.Time
		code string
	}{{now.Add(time.Hour), catalog.SASL020}, {now.Add(-time.Second), catalog.SASL021}} {
		v := fakeJWT(t, map[string]any{"sub": "esm", "aud": "other", "iss": "https://idp", "exp": tc.exp.Unix()})
		c, _ := decodeClaims(v)
		s.Token = &Token{Value: secrets.NewSecret(v), Claims: c, JWT: true, Extensions: map[string]string{"logicalCluster": "lkc-1"}}
		out := classifyOAuth(context.Background(), "b:9096", rejected, s)
		cause := catalog.Format(catalogCause(out.Code), out.Args)
		if out.Code != tc.code || !strings.Contains(cause, "esm") || strings.Contains(cause, v) {
			t.Errorf("exp %s: %s %q", tc.exp, out.Code, cause)
		}
		if tc.code == catalog.SASL020 && (!strings.Contains(cause, "aud other") || !strings.Contains(cause, "extensions sent: logicalCluster=lkc-1")) {
			t.Errorf("cause lacks the claims to compare: %q", cause)
		}
	}
}

func catalogCause(code string) string {
	e, _ := catalog.Lookup(code)
	return e.Cause
}

// TestOAuthSecretKeyMustSign: a JWT-bearer key no JWS algorithm signs with
// (ECDSA P-224) fails the secret check with ESM-SECRET-034.
func TestOAuthSecretKeyMustSign(t *testing.T) {
	k, err := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(k)
	doc, _ := json.Marshal(map[string]string{"oauthTokenEndpointUrl": "https://idp/token", "oauthClientId": "c", "oauthClientEmail": "c@x",
		"oauthPrivateKey": string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))})
	s, _ := oauthState(time.Now())
	_, _, err = parseOAuthSecret(s, SecretDoc{Source: "oauth.json", Data: doc})
	if out := secretFailure("oauth.json", err); out.Code != catalog.SECRET034 || !strings.Contains(out.Args["detail"], "P-256") {
		t.Fatalf("%s %v", out.Code, out.Args)
	}
}
