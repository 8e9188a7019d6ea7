package oauthidp

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func newTestServer(t *testing.T) (*Server, *rsa.PrivateKey) {
	t.Helper()
	signing, _ := rsa.GenerateKey(rand.Reader, 2048)
	client, _ := rsa.GenerateKey(rand.Reader, 2048)
	der, _ := x509.MarshalPKIXPublicKey(&client.PublicKey)
	cfg := Config{Issuer: "https://idp.test", Audiences: []string{"kafka"}, Clients: []Client{
		{ID: "cc", Secret: "s", Grants: []string{GrantClientCredentials}, Scopes: []string{"kafka"}, Audience: "kafka"},
		{ID: "jb", Grants: []string{GrantJWTBearer}, Scopes: []string{"kafka"}, Audience: "kafka", Email: "jb@test",
			PublicKeyPEM: string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))},
	}}
	s, err := New(cfg, signing)
	if err != nil {
		t.Fatal(err)
	}
	return s, client
}

func post(s *Server, form url.Values, basic ...string) (int, map[string]any) {
	r := httptest.NewRequest(http.MethodPost, TokenPath, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if len(basic) == 2 {
		r.SetBasicAuth(basic[0], basic[1])
	}
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, r)
	var body map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &body)
	return w.Code, body
}

// TestJWTBearer: an assertion signed by the registered key, for the token
// endpoint, within its lifetime, gets a token whose signature the JWKS
// verifies; any other gets invalid_grant.
func TestJWTBearer(t *testing.T) {
	s, key := newTestServer(t)
	now := time.Now()
	claims := func(mod func(map[string]any)) map[string]any {
		c := map[string]any{"iss": "jb@test", "sub": "jb@test", "aud": s.TokenURL(), "iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix()}
		if mod != nil {
			mod(c)
		}
		return c
	}
	sign := func(k *rsa.PrivateKey, c map[string]any) string {
		a, err := SignAssertion(k, c)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	code, body := post(s, url.Values{"grant_type": {GrantJWTBearer}, "assertion": {sign(key, claims(nil))}, "scope": {"kafka"}})
	tok, _ := body["access_token"].(string)
	var got map[string]any
	if code != 200 || verifyRS256(tok, &s.key.PublicKey, &got) != nil || got["sub"] != "jb" || got["aud"] != "kafka" {
		t.Fatalf("valid assertion: %d %v claims %v", code, body, got)
	}
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	for name, a := range map[string]string{
		"foreign key":  sign(other, claims(nil)),
		"wrong aud":    sign(key, claims(func(c map[string]any) { c["aud"] = "https://elsewhere/token" })),
		"expired":      sign(key, claims(func(c map[string]any) { c["exp"] = now.Add(-time.Minute).Unix() })),
		"too long":     sign(key, claims(func(c map[string]any) { c["exp"] = now.Add(2 * time.Hour).Unix() })),
		"unknown iss":  sign(key, claims(func(c map[string]any) { c["iss"] = "x@test" })),
		"not a JWT":    "garbage",
		"sub mismatch": sign(key, claims(func(c map[string]any) { c["sub"] = "y@test" })),
	} {
		code, body := post(s, url.Values{"grant_type": {GrantJWTBearer}, "assertion": {a}})
		if code != 400 || body["error"] != "invalid_grant" {
			t.Errorf("%s: %d %v", name, code, body)
		}
	}
	if code, body := post(s, url.Values{"grant_type": {GrantClientCredentials}}, "jb", ""); code != 401 || body["error"] != "invalid_client" {
		t.Errorf("client credentials for a JWT-bearer client: %d %v", code, body)
	}
	if s.Issued("jb") != 1 {
		t.Errorf("issued %d tokens to jb, want 1", s.Issued("jb"))
	}
}

// TestClientCredentialsForm: form authentication works like Basic; an
// expired-lifetime client gets a token whose exp is in the past.
func TestClientCredentialsForm(t *testing.T) {
	s, _ := newTestServer(t)
	code, body := post(s, url.Values{"grant_type": {GrantClientCredentials}, "client_id": {"cc"}, "client_secret": {"s"}})
	if code != 200 || body["token_type"] != "Bearer" {
		t.Fatalf("%d %v", code, body)
	}
	s.cfg.Clients[0].LifetimeSeconds = -600
	_, body = post(s, url.Values{"grant_type": {GrantClientCredentials}}, "cc", "s")
	var c struct{ Exp, Iat int64 }
	if err := verifyRS256(body["access_token"].(string), &s.key.PublicKey, &c); err != nil || c.Exp >= time.Now().Unix() || c.Iat >= c.Exp {
		t.Fatalf("expired token: %+v %v", c, err)
	}
}
