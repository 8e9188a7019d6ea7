// Package oauthidp is the test bed's OAuth 2.0 authorization server: a small,
// strict token endpoint that checks client secrets (RFC 6749 client
// credentials, HTTP Basic or form authentication), JWT-bearer assertions
// (RFC 7523) signed with a client's registered key, the scopes each client
// may request and the audiences (RFC 8707 targets) it issues tokens for. It
// answers errors with RFC 6749 section 5.2 codes (invalid_client,
// invalid_scope, unauthorized_client, invalid_grant, invalid_target,
// unsupported_grant_type, invalid_request), issues RS256 JWT access tokens
// carrying iss, sub, aud, exp, iat, nbf, jti, scope and client_id, and
// publishes its key as a JWK Set, which Kafka's
// OAuthBearerValidatorCallbackHandler fetches. testbed/cmd/oauthidp serves it
// over HTTPS; tests can also serve it in-process (Handler).
package oauthidp

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Grant types.
const (
	GrantClientCredentials = "client_credentials"
	GrantJWTBearer         = "urn:ietf:params:oauth:grant-type:jwt-bearer"
)

// Paths the server answers on.
const (
	TokenPath = "/oauth2/token"
	JWKSPath  = "/oauth2/jwks"
	// LoginPath is a web page (HTML, 200 to any method): a token endpoint
	// URL pointing at it gets a 2xx answer that is not JSON.
	LoginPath = "/login"
)

// Config is the server's registry.
type Config struct {
	// Issuer is the iss of every token and the base URL of the endpoints
	// (https://localhost:19330).
	Issuer string `json:"issuer"`
	// Audiences are the resources it issues tokens for; a request for
	// another audience is invalid_target.
	Audiences []string `json:"audiences"`
	Clients   []Client `json:"clients"`
}

// Client is a registered OAuth client.
type Client struct {
	ID string `json:"id"`
	// Secret authenticates the client-credentials grant ("" for none).
	Secret string `json:"secret,omitempty"`
	// Grants are the grant types the client may use.
	Grants []string `json:"grants"`
	// Scopes are the scopes it may request.
	Scopes []string `json:"scopes"`
	// Audience is the aud of its tokens when the request names none.
	Audience string `json:"audience"`
	// Subject is the sub of its tokens (default: the client id).
	Subject string `json:"subject,omitempty"`
	// LifetimeSeconds is its tokens' lifetime (default 3600). A negative
	// value issues tokens that expired that many seconds ago, as an IdP
	// with a wrong clock or a misconfigured lifetime does.
	LifetimeSeconds int `json:"lifetime_seconds,omitempty"`
	// Email and PublicKeyPEM identify the client in the JWT-bearer grant:
	// the assertion's iss and sub, and the key that verifies it.
	Email        string `json:"email,omitempty"`
	PublicKeyPEM string `json:"public_key_pem,omitempty"`

	publicKey *rsa.PublicKey
}

// Server is the authorization server.
type Server struct {
	cfg   Config
	key   *rsa.PrivateKey
	kid   string
	now   func() time.Time
	mu    sync.Mutex
	count map[string]int // tokens issued per client
}

// New returns a server signing with key. Clients with a JWT-bearer key have
// it parsed here, so a bad registry fails at start.
func New(cfg Config, key *rsa.PrivateKey) (*Server, error) {
	if cfg.Issuer == "" {
		return nil, errors.New("oauthidp: no issuer")
	}
	for i := range cfg.Clients {
		c := &cfg.Clients[i]
		if c.PublicKeyPEM == "" {
			continue
		}
		pub, err := parsePublicKey(c.PublicKeyPEM)
		if err != nil {
			return nil, fmt.Errorf("oauthidp: client %s: %w", c.ID, err)
		}
		c.publicKey = pub
	}
	return &Server{cfg: cfg, key: key, kid: keyID(&key.PublicKey), now: time.Now, count: map[string]int{}}, nil
}

func parsePublicKey(p string) (*rsa.PublicKey, error) {
	block, _ := pem.Decode([]byte(p))
	if block == nil {
		return nil, errors.New("public key: no PEM block")
	}
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("public key: %w", err)
	}
	rk, ok := k.(*rsa.PublicKey)
	if !ok {
		return nil, errors.New("public key: not RSA")
	}
	return rk, nil
}

// Issued is how many tokens the server issued to a client.
func (s *Server) Issued(clientID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count[clientID]
}

// TokenURL is the token endpoint's URL.
func (s *Server) TokenURL() string { return s.cfg.Issuer + TokenPath }

// JWKSURL is the JWK Set's URL.
func (s *Server) JWKSURL() string { return s.cfg.Issuer + JWKSPath }

// Handler serves the token endpoint, the JWK Set, the discovery documents,
// a login page, and 404 (HTML) for anything else.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+TokenPath, s.token)
	mux.HandleFunc("GET "+JWKSPath, s.jwks)
	mux.HandleFunc("GET /.well-known/openid-configuration", s.discovery)
	mux.HandleFunc("GET /.well-known/oauth-authorization-server", s.discovery)
	mux.HandleFunc(LoginPath, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<!doctype html><html><head><title>Sign in</title></head><body><form method=post><input name=user></form></body></html>\n"))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("<!doctype html><html><body><h1>404 Not Found</h1></body></html>\n"))
	})
	return mux
}

func (s *Server) jwks(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"keys": []jwk{publicJWK(&s.key.PublicKey, s.kid)}})
}

func (s *Server) discovery(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer": s.cfg.Issuer, "token_endpoint": s.TokenURL(), "jwks_uri": s.JWKSURL(),
		"grant_types_supported":                 []string{GrantClientCredentials, GrantJWTBearer},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
	})
}
