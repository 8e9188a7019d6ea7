package secrets

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
	"time"
)

func oauthDoc(t *testing.T, fields map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(fields)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func oauthKeyPEM(t *testing.T) string {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

func TestParseOAuthGrants(t *testing.T) {
	now := time.Now()
	key := oauthKeyPEM(t)
	cc := map[string]any{"oauthTokenEndpointUrl": "https://idp.example.com/oauth2/token", "oauthClientId": "esm", "oauthClientSecret": "s3cr3t-value"}
	c, err := ParseOAuth(oauthDoc(t, cc), now)
	if err != nil || c.Grant != GrantClientCredentials || c.ClientSecret.Reveal() != "s3cr3t-value" || c.TokenURL.Host != "idp.example.com" {
		t.Fatalf("client credentials: %+v %v", c, err)
	}
	jb := map[string]any{"oauthTokenEndpointUrl": "https://idp.example.com/token", "oauthClientId": "esm",
		"oauthClientEmail": "esm@example.com", "oauthPrivateKey": key, "oauthTokenExpirationSeconds": "300"}
	c, err = ParseOAuth(oauthDoc(t, jb), now)
	if err != nil || c.Grant != GrantJWTBearer || c.Key == nil || c.Expiration != 5*time.Minute {
		t.Fatalf("JWT bearer: %+v %v", c, err)
	}
	for _, tc := range []struct {
		name   string
		fields map[string]any
		kind   Kind
		field  string
	}{
		{"http URL", map[string]any{"oauthTokenEndpointUrl": "http://idp/token", "oauthClientId": "a", "oauthClientSecret": "b"}, KindNotHTTPS, "oauthTokenEndpointUrl"},
		{"relative URL", map[string]any{"oauthTokenEndpointUrl": "/token", "oauthClientId": "a", "oauthClientSecret": "b"}, KindNotHTTPS, "oauthTokenEndpointUrl"},
		{"no URL", map[string]any{"oauthClientId": "a", "oauthClientSecret": "b"}, KindMissingKey, "oauthTokenEndpointUrl"},
		{"no client id", map[string]any{"oauthTokenEndpointUrl": "https://idp/token", "oauthClientSecret": "b"}, KindMissingKey, "oauthClientId"},
		{"both grants", map[string]any{"oauthTokenEndpointUrl": "https://idp/token", "oauthClientId": "a", "oauthClientSecret": "b", "oauthClientEmail": "e@x"}, KindMixedGrants, ""},
		{"no grant", map[string]any{"oauthTokenEndpointUrl": "https://idp/token", "oauthClientId": "a"}, KindNoGrant, ""},
		{"email without key", map[string]any{"oauthTokenEndpointUrl": "https://idp/token", "oauthClientId": "a", "oauthClientEmail": "e@x"}, KindMissingKey, "oauthPrivateKey"},
		{"bad key", map[string]any{"oauthTokenEndpointUrl": "https://idp/token", "oauthClientId": "a", "oauthClientEmail": "e@x", "oauthPrivateKey": "not pem"}, KindNoPEM, "oauthPrivateKey"},
		{"bad expiration", map[string]any{"oauthTokenEndpointUrl": "https://idp/token", "oauthClientId": "a", "oauthClientEmail": "e@x", "oauthPrivateKey": key, "oauthTokenExpirationSeconds": "-5"}, KindBadNumber, "oauthTokenExpirationSeconds"},
		{"bad IdP CA", map[string]any{"oauthTokenEndpointUrl": "https://idp/token", "oauthClientId": "a", "oauthClientSecret": "b", "oauthIdpCaCertificate": "x"}, KindNoPEM, "oauthIdpCaCertificate"},
	} {
		_, err := ParseOAuth(oauthDoc(t, tc.fields), now)
		var e *Error
		if !errors.As(err, &e) || e.Kind != tc.kind || e.Field != tc.field {
			t.Errorf("%s: got %v (%#v), want kind %s field %q", tc.name, err, e, tc.kind, tc.field)
			continue
		}
		if strings.Contains(err.Error(), "not pem") || strings.Contains(err.Error(), `"b"`) {
			t.Errorf("%s: error quotes a value: %v", tc.name, err)
		}
	}
}

// TestOAuthErrorsNeverLeak: no error about an OAuth secret, nor any
// wrapped cause or formatting of it, holds the client secret or the key.
func TestOAuthErrorsNeverLeak(t *testing.T) {
	keyCanary := "-----BEGIN PRIVATE KEY-----\n" + canary + canary + "\n-----END PRIVATE KEY-----\n"
	docs := []map[string]any{
		{"oauthTokenEndpointUrl": "https://user:" + canary + "@idp/token", "oauthClientId": "c", "oauthClientSecret": canary},
		{"oauthTokenEndpointUrl": "http://idp/" + canary, "oauthClientId": "c", "oauthClientSecret": canary},
		{"oauthTokenEndpointUrl": "https://idp/token", "oauthClientId": "c", "oauthClientSecret": canary, "oauthPrivateKey": keyCanary},
		{"oauthTokenEndpointUrl": "https://idp/token", "oauthClientId": "c", "oauthClientEmail": "e@x", "oauthPrivateKey": keyCanary},
		{"oauthTokenEndpointUrl": "https://idp/token", "oauthClientId": "c", "oauthClientEmail": "e@x", "oauthPrivateKey": canary},
		{"oauthTokenEndpointUrl": "https://idp/token", "oauthClientId": "c", "oauthClientSecret": 42},
		{"oauthTokenEndpointUrl": "https://idp/token", "oauthClientId": "c", "oauthClientSecret": canary, "oauthIdpCaCertificate": canary},
	}
	for i, fields := range docs {
		_, err := ParseOAuth(oauthDoc(t, fields), time.Now())
		if err == nil {
			t.Fatalf("doc %d: no error", i)
		}
		for _, text := range errorTexts(err) {
			if strings.Contains(text, canary) || strings.Contains(text, "Canary") {
				t.Errorf("doc %d: %q leaks the secret", i, text)
			}
		}
	}
}
