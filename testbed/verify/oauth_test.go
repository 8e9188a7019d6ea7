package verify

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/IBM/sarama"

	"github.com/esmdoctor/esmdoctor/testbed/tbenv"
)

// idpAnswer is a token endpoint's answer: a token or an RFC 6749 error.
type idpAnswer struct {
	Status int
	Token  string `json:"access_token"`
	Error  string `json:"error"`
}

// requestToken asks the test IdP for a client-credentials token (HTTP
// Basic client authentication, as Kafka's Java client does).
func requestToken(t *testing.T, env tbenv.Env, clientID, secret string, form url.Values) idpAnswer {
	t.Helper()
	pem, err := os.ReadFile(env.Get("CA_PEM"))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	form.Set("grant_type", "client_credentials")
	req, err := http.NewRequest(http.MethodPost, env.Get("OAUTH_TOKEN_URL"), strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(secret))
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	a := idpAnswer{Status: resp.StatusCode}
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatalf("token endpoint answered HTTP %d, not JSON: %v", resp.StatusCode, err)
	}
	return a
}

type extToken struct {
	token string
	ext   map[string]string
}

func (e extToken) Token() (*sarama.AccessToken, error) {
	return &sarama.AccessToken{Token: e.token, Extensions: e.ext}, nil
}

// oauthLogin logs in to a kafka4 OAUTHBEARER listener with token and extensions.
func oauthLogin(t *testing.T, addrKey, token string, ext map[string]string) (*sarama.Broker, error) {
	c := newClient(t).tls("CA_PEM")
	c.cfg.Net.SASL.Enable = true
	c.cfg.Net.SASL.Mechanism = sarama.SASLTypeOAuth
	c.cfg.Net.SASL.TokenProvider = extToken{token, ext}
	return c.connect(addrKey)
}

// TestOAuthIdPAnswers: the test IdP checks the client secret, the scope, the
// audience and the grant, with RFC 6749 error codes.
func TestOAuthIdPAnswers(t *testing.T) {
	env := tbenv.Require(t)
	id, secret := env.Get("OAUTH_CLIENT_ID"), env.Get("OAUTH_CLIENT_SECRET")
	for _, tc := range []struct {
		name, client, secret string
		form                 url.Values
		status               int
		code                 string
	}{
		{"valid", id, secret, url.Values{"scope": {env.Get("OAUTH_SCOPE")}, "audience": {env.Get("OAUTH_AUDIENCE")}}, 200, ""},
		{"wrong secret", id, "wrong", url.Values{}, 401, "invalid_client"},
		{"unknown client", "nobody", secret, url.Values{}, 401, "invalid_client"},
		{"scope not allowed", id, secret, url.Values{"scope": {"kafka.admin"}}, 400, "invalid_scope"},
		{"unknown audience", id, secret, url.Values{"audience": {"nowhere"}}, 400, "invalid_target"},
		{"grant not allowed", env.Get("OAUTH_NOCC_CLIENT_ID"), secret, url.Values{}, 400, "unauthorized_client"},
	} {
		a := requestToken(t, env, tc.client, tc.secret, tc.form)
		if a.Status != tc.status || a.Error != tc.code || (tc.status == 200) != (a.Token != "") {
			t.Errorf("%s: HTTP %d error %q token %t, want HTTP %d error %q", tc.name, a.Status, a.Error, a.Token != "", tc.status, tc.code)
		}
	}
}

// TestOAuthBearerListener: kafka4's OAUTHBEARER listener (Kafka's own JWT
// validator against the IdP's JWKS) accepts the IdP's token for its
// audience, and rejects with SaslAuthenticate error 58 a token for another
// audience, an expired one and a forged one; the extension listener also
// rejects a valid token sent without its required extensions.
func TestOAuthBearerListener(t *testing.T) {
	env := tbenv.Require(t)
	id, secret := env.Get("OAUTH_CLIENT_ID"), env.Get("OAUTH_CLIENT_SECRET")
	good := requestToken(t, env, id, secret, url.Values{"scope": {env.Get("OAUTH_SCOPE")}})
	other := requestToken(t, env, id, secret, url.Values{"audience": {env.Get("OAUTH_OTHER_AUDIENCE")}})
	expired := requestToken(t, env, env.Get("OAUTH_EXPIRED_CLIENT_ID"), secret, url.Values{})
	ext := map[string]string{"logicalCluster": env.Get("OAUTH_LOGICAL_CLUSTER"), "identityPoolId": env.Get("OAUTH_IDENTITY_POOL")}

	b, err := oauthLogin(t, "KAFKA4_OAUTH", good.Token, nil)
	if err != nil {
		t.Fatalf("valid token: %v", err)
	}
	md, err := b.GetMetadata(&sarama.MetadataRequest{Version: 9, Topics: []string{env.Get("TOPIC")}})
	_ = b.Close()
	if err != nil || len(md.Topics) != 1 || md.Topics[0].Err != sarama.ErrNoError {
		t.Fatalf("metadata of %s as %s: %v %+v", env.Get("TOPIC"), id, err, md)
	}
	if b, err := oauthLogin(t, "KAFKA4_OAUTH_EXT", good.Token, ext); err != nil {
		t.Errorf("extension listener, valid token with both extensions: %v", err)
	} else {
		_ = b.Close()
	}
	forged := good.Token[:strings.LastIndexByte(good.Token, '.')+1] + "AAAA"
	for _, tc := range []struct {
		name, addr, token string
		ext               map[string]string
	}{
		{"other audience", "KAFKA4_OAUTH", other.Token, nil},
		{"expired", "KAFKA4_OAUTH", expired.Token, nil},
		{"bad signature", "KAFKA4_OAUTH", forged, nil},
		{"missing extensions", "KAFKA4_OAUTH_EXT", good.Token, nil},
		{"wrong extension", "KAFKA4_OAUTH_EXT", good.Token, map[string]string{"logicalCluster": "lkc-other", "identityPoolId": env.Get("OAUTH_IDENTITY_POOL")}},
	} {
		b, err := oauthLogin(t, tc.addr, tc.token, tc.ext)
		if err == nil {
			_ = b.Close()
		}
		wantKErr(t, tc.name, err, sarama.ErrSASLAuthenticationFailed)
	}
	// The SCRAM listener of the 3.9 broker does not enable OAUTHBEARER.
	b, err = oauthLogin(t, "SASL_SSL", good.Token, nil)
	if err == nil {
		_ = b.Close()
	}
	wantKErr(t, "SCRAM listener", err, sarama.ErrUnsupportedSASLMechanism)
}
