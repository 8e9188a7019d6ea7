package integration

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/testbed/oauthidp"
)

// oauthRegistry fronts the bed's Apicurio with a gateway that accepts only
// "Authorization: Bearer" tokens the test IdP signed and that have not
// expired, and returns its ccompat URL. Answers come from the real
// registry. (Pointing Apicurio's own OIDC at the test IdP was not tried:
// the bed's Apicurio keeps the basic authentication the other scenarios use.)
func oauthRegistry(t *testing.T, r registryBed) string {
	t.Helper()
	pub := idpPublicKey(t, r)
	up, _ := url.Parse(r.Get("REGISTRY_URL"))
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: up.Scheme, Host: up.Host})
	direct := proxy.Director
	proxy.Director = func(req *http.Request) {
		direct(req)
		req.SetBasicAuth(r.Get("REGISTRY_USER"), r.Get("REGISTRY_PASSWORD"))
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		tok, ok := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer ")
		var claims struct {
			Exp int64 `json:"exp"`
		}
		if !ok || oauthidp.VerifyRS256(tok, pub, &claims) != nil || time.Unix(claims.Exp, 0).Before(time.Now()) {
			w.Header().Set("WWW-Authenticate", "Bearer")
			w.WriteHeader(http.StatusUnauthorized)
			_ = json.NewEncoder(w).Encode(map[string]any{"error_code": 40101, "message": "bearer token required"})
			return
		}
		proxy.ServeHTTP(w, req)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + up.Path
}

// idpPublicKey reads the test IdP's signing key (the bed's oauth folder).
func idpPublicKey(t *testing.T, r registryBed) *rsa.PublicKey {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(filepath.Dir(r.Get("LOG_DIR")), "oauth", "signing.pem"))
	if err != nil {
		t.Fatalf("the test IdP's signing key: %v", err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatal("the test IdP's signing key is not PEM")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return &k.(*rsa.PrivateKey).PublicKey
}

// OAUTHBEARER_AUTH: a token from the test IdP (client credentials) opens
// the registry; a wrong client secret stops at the token request.
func TestRegistryOAuth(t *testing.T) {
	r := requireRegistry(t)
	uri := oauthRegistry(t, r)
	secret := func(name, clientSecret string) string {
		doc, _ := json.Marshal(map[string]string{"oauthTokenEndpointUrl": r.Get("OAUTH_TOKEN_URL"), "oauthClientId": r.Get("OAUTH_CLIENT_ID"),
			"oauthClientSecret": clientSecret, "oauthIdpCaCertificate": string(r.file("CA_PEM"))})
		return r.secret(t, awsRegion, name, string(doc), "")
	}
	good := []awsprobe.AccessConfig{{Type: "OAUTHBEARER_AUTH", URI: secret("registry-oauth", r.Get("OAUTH_CLIENT_SECRET"))}}
	rs, got := r.runRegistry(t, r.Get("REGISTRY_TOPIC_AVRO"), confluent(uri, good, "VALUE"))
	wantRegistry(t, rs, got, model.Pass, "", "OAUTHBEARER_AUTH: token from the client credentials grant at "+r.Get("OAUTH_TOKEN_URL"),
		"with OAUTHBEARER_AUTH as "+r.Get("OAUTH_CLIENT_ID"), "schema id "+r.Get("REGISTRY_AVRO_ID")+" (AVRO)")

	wrong := "wrong-oauth-secret-" + r.tag
	bad := []awsprobe.AccessConfig{{Type: "OAUTHBEARER_AUTH", URI: secret("registry-oauth-wrong", wrong)}}
	rs, got = r.runRegistry(t, r.Get("REGISTRY_TOPIC_AVRO"), confluent(uri, bad, "VALUE"))
	wantRegistry(t, rs, got, model.Fail, "ESM-REGISTRY-016", "the token request failed (ESM-TOKEN-", "invalid_client")
	for _, x := range rs {
		if strings.Contains(x.Cause()+strings.Join(x.Detail, " "), wrong) {
			t.Errorf("%s: the client secret reached the results", x.ID)
		}
	}
}
