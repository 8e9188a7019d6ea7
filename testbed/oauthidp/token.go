package oauthidp

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// maxForm bounds a token request's body.
const maxForm = 64 << 10

// maxAssertionLifetime is the longest JWT-bearer assertion accepted (exp -
// iat), Google's rule for service-account assertions.
const maxAssertionLifetime = time.Hour

// oauthError is an RFC 6749 section 5.2 error answer.
type oauthError struct {
	status int
	code   string
	desc   string
}

func (e *oauthError) write(w http.ResponseWriter, basic bool) {
	if e.status == http.StatusUnauthorized && basic {
		w.Header().Set("WWW-Authenticate", `Basic realm="esmdoctor-testbed"`)
	}
	writeJSON(w, e.status, map[string]string{"error": e.code, "error_description": e.desc})
}

func bad(code, desc string) *oauthError { return &oauthError{http.StatusBadRequest, code, desc} }

// token answers a token request.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	_, _, basic := r.BasicAuth()
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		bad("invalid_request", "the request body must be application/x-www-form-urlencoded").write(w, basic)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		bad("invalid_request", "the request body does not parse").write(w, basic)
		return
	}
	f := r.PostForm
	var c *Client
	var e *oauthError
	switch g := f.Get("grant_type"); g {
	case GrantClientCredentials:
		c, e = s.clientCredentials(r, f)
	case GrantJWTBearer:
		c, e = s.jwtBearer(f)
	case "":
		e = bad("invalid_request", "grant_type is missing")
	default:
		e = bad("unsupported_grant_type", "grant type "+g+" is not supported")
	}
	if e == nil {
		e = s.issue(w, c, f)
	}
	if e != nil {
		e.write(w, basic)
	}
}

// clientCredentials authenticates the client (HTTP Basic with URL-encoded
// id and secret, RFC 6749 section 2.3.1, or client_id/client_secret in
// the body) and checks it may use the grant.
func (s *Server) clientCredentials(r *http.Request, f url.Values) (*Client, *oauthError) {
	id, secret, basic := r.BasicAuth()
	if basic {
		var err1, err2 error
		id, err1 = url.QueryUnescape(id)
		secret, err2 = url.QueryUnescape(secret)
		if err1 != nil || err2 != nil {
			return nil, &oauthError{http.StatusUnauthorized, "invalid_client", "the Basic credentials are not URL-encoded"}
		}
	} else {
		id, secret = f.Get("client_id"), f.Get("client_secret")
	}
	c := s.client(id)
	if id == "" || c == nil || c.Secret == "" || c.Secret != secret {
		return nil, &oauthError{http.StatusUnauthorized, "invalid_client", "client authentication failed"}
	}
	if !slices.Contains(c.Grants, GrantClientCredentials) {
		return nil, bad("unauthorized_client", "the client may not use the client_credentials grant")
	}
	return c, nil
}

// assertion is the claims of a JWT-bearer assertion (RFC 7523 section 3).
type assertion struct {
	Iss string `json:"iss"`
	Sub string `json:"sub"`
	Aud any    `json:"aud"`
	Exp int64  `json:"exp"`
	Iat int64  `json:"iat"`
}

// jwtBearer verifies the assertion with the key of the client whose email
// is its issuer.
func (s *Server) jwtBearer(f url.Values) (*Client, *oauthError) {
	raw := f.Get("assertion")
	if raw == "" {
		return nil, bad("invalid_request", "assertion is missing")
	}
	var unverified assertion
	if err := decodeUnverified(raw, &unverified); err != nil {
		return nil, bad("invalid_grant", "the assertion is not a JWT")
	}
	var c *Client
	for i := range s.cfg.Clients {
		if s.cfg.Clients[i].Email != "" && s.cfg.Clients[i].Email == unverified.Iss {
			c = &s.cfg.Clients[i]
		}
	}
	if c == nil || c.publicKey == nil {
		return nil, bad("invalid_grant", "the assertion's issuer is not a registered client")
	}
	var a assertion
	if err := verifyRS256(raw, c.publicKey, &a); err != nil {
		return nil, bad("invalid_grant", "the assertion's signature does not verify")
	}
	if id := f.Get("client_id"); id != "" && id != c.ID {
		return nil, &oauthError{http.StatusUnauthorized, "invalid_client", "client_id does not match the assertion"}
	}
	if !slices.Contains(c.Grants, GrantJWTBearer) {
		return nil, bad("unauthorized_client", "the client may not use the JWT-bearer grant")
	}
	now := s.now().Unix()
	switch {
	case a.Sub != c.Email:
		return nil, bad("invalid_grant", "the assertion's sub is not the client")
	case !audienceHas(a.Aud, s.TokenURL()) && !audienceHas(a.Aud, s.cfg.Issuer):
		return nil, bad("invalid_grant", "the assertion's aud is neither the token endpoint nor the issuer")
	case a.Exp <= now:
		return nil, bad("invalid_grant", "the assertion has expired")
	case a.Iat > now+60:
		return nil, bad("invalid_grant", "the assertion is issued in the future")
	case time.Duration(a.Exp-a.Iat)*time.Second > maxAssertionLifetime:
		return nil, bad("invalid_grant", "the assertion's lifetime exceeds one hour")
	}
	return c, nil
}

func audienceHas(aud any, want string) bool {
	switch v := aud.(type) {
	case string:
		return v == want
	case []any:
		for _, a := range v {
			if a == want {
				return true
			}
		}
	}
	return false
}

// issue checks the scope and audience and answers with a token.
func (s *Server) issue(w http.ResponseWriter, c *Client, f url.Values) *oauthError {
	scopes := strings.Fields(f.Get("scope"))
	for _, sc := range scopes {
		if !slices.Contains(c.Scopes, sc) {
			return bad("invalid_scope", "scope "+sc+" is not allowed for this client")
		}
	}
	aud := c.Audience
	for _, key := range []string{"audience", "resource"} {
		if v := f.Get(key); v != "" {
			if !slices.Contains(s.cfg.Audiences, v) {
				return bad("invalid_target", "no resource is registered for the audience "+v)
			}
			aud = v
		}
	}
	life := time.Duration(c.LifetimeSeconds) * time.Second
	if c.LifetimeSeconds == 0 {
		life = time.Hour
	}
	now := s.now()
	exp := now.Add(life)
	iat := now
	if life < 0 {
		iat = exp.Add(-time.Hour)
	}
	sub := c.Subject
	if sub == "" {
		sub = c.ID
	}
	claims := map[string]any{"iss": s.cfg.Issuer, "sub": sub, "aud": aud, "exp": exp.Unix(), "iat": iat.Unix(),
		"nbf": iat.Unix(), "jti": newJTI(), "client_id": c.ID}
	if len(scopes) > 0 {
		claims["scope"] = strings.Join(scopes, " ")
	}
	tok, err := signRS256(s.key, s.kid, claims)
	if err != nil {
		return &oauthError{http.StatusInternalServerError, "server_error", "cannot sign"}
	}
	s.mu.Lock()
	s.count[c.ID]++
	s.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	resp := map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": int64(life / time.Second)}
	if len(scopes) > 0 {
		resp["scope"] = strings.Join(scopes, " ")
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func (s *Server) client(id string) *Client {
	for i := range s.cfg.Clients {
		if s.cfg.Clients[i].ID == id {
			return &s.cfg.Clients[i]
		}
	}
	return nil
}

func newJTI() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func decodeUnverified(token string, out any) error {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return errNotJWT
	}
	b, err := b64.DecodeString(parts[1])
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
