package awsfake

import (
	"crypto/sha256"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// sts:GetWebIdentityToken (IAM outbound identity federation), which moto
// 5.2.1 lacks: the fake signs real JWTs for the calling role with keys
// whose JWKS it serves, so a Kafka OAUTHBEARER listener can validate them.
// As in AWS: Audience (1-10 values of 1-1000 characters) and
// SigningAlgorithm (RS256 or ES384) are required, DurationSeconds is
// 60-3600 (default 300), the account must have outbound identity
// federation enabled, the caller's policies must allow the action, and
// the global endpoint (GlobalSTSURL) does not serve it.

// wifState is the fake's web identity federation state.
type wifState struct {
	keys     *wifKeys
	disabled map[string]bool   // accounts without outbound identity federation
	callers  map[string]string // access key id -> caller ARN, when there is no moto
	issued   []string          // every token signed, for the leak tests
}

// Errors STS gives for GetWebIdentityToken.
var (
	// FederationDisabled is the answer in an account that has not enabled
	// outbound identity federation (iam:EnableOutboundWebIdentityFederation).
	FederationDisabled = Failure{Status: http.StatusForbidden, Code: "OutboundWebIdentityFederationDisabledException",
		Message: "The outbound web identity federation feature is not enabled for this account. To use this feature, you must first enable it through the AWS Management Console or API."}
	// GlobalEndpointRefusal is the global endpoint's answer: it does not
	// serve the action (AWS documents only that it is unavailable there;
	// the code is the one STS gives for an action an endpoint lacks).
	GlobalEndpointRefusal = Failure{Status: http.StatusBadRequest, Code: "InvalidAction",
		Message: "GetWebIdentityToken is not available on the STS global endpoint: use a regional STS endpoint"}
)

// DisableOutboundFederation makes GetWebIdentityToken fail in account as
// in an account that never enabled outbound identity federation.
func (f *Fake) DisableOutboundFederation(account string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.wif.disabled == nil {
		f.wif.disabled = map[string]bool{}
	}
	f.wif.disabled[account] = true
}

// SetCaller names the identity of an access key for a fake without moto
// (with moto the fake asks moto's GetCallerIdentity).
func (f *Fake) SetCaller(accessKeyID, arn string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.wif.callers == nil {
		f.wif.callers = map[string]string{}
	}
	f.wif.callers[accessKeyID] = arn
}

// IssuedTokens returns every web identity token the fake signed, so a test
// can prove none reaches esmdoctor's output.
func (f *Fake) IssuedTokens() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.wif.issued...)
}

// Issuer is the issuer URL of account's web identity tokens, shaped like
// AWS's (a per-account id under tokens.sts.global.api.aws). Brokers find
// the keys at the fake's own /.well-known/jwks.json.
func Issuer(account string) string {
	h := sha256.Sum256([]byte("awsfake-issuer/" + account))
	id := fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
	return "https://" + id + ".tokens.sts.global.api.aws"
}

// wifRequest is a validated GetWebIdentityToken request.
type wifRequest struct {
	audience []string
	alg      jose.SignatureAlgorithm
	duration time.Duration
}

// parseWIFRequest checks the parameters as STS does.
func parseWIFRequest(q url.Values) (wifRequest, *Failure) {
	bad := func(msg string) (wifRequest, *Failure) {
		return wifRequest{}, &Failure{Status: http.StatusBadRequest, Code: "ValidationError", Message: msg}
	}
	req := wifRequest{audience: members(q, "Audience"), duration: 300 * time.Second}
	if len(req.audience) == 0 || len(req.audience) > 10 {
		return bad("1 validation error detected: Value at 'audience' failed to satisfy constraint: Member must have length between 1 and 10")
	}
	for _, a := range req.audience {
		if len(a) < 1 || len(a) > 1000 {
			return bad("1 validation error detected: Value at 'audience.member' failed to satisfy constraint: Member must have length between 1 and 1000")
		}
	}
	switch alg := q.Get("SigningAlgorithm"); alg {
	case "RS256", "ES384":
		req.alg = jose.SignatureAlgorithm(alg)
	default:
		return bad("1 validation error detected: Value '" + alg + "' at 'signingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [RS256, ES384]")
	}
	if v := q.Get("DurationSeconds"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 60 || n > 3600 {
			return bad("1 validation error detected: Value '" + v + "' at 'durationSeconds' failed to satisfy constraint: Member must have value between 60 and 3600")
		}
		req.duration = time.Duration(n) * time.Second
	}
	return req, nil
}

// getWebIdentityToken serves the action on a regional endpoint.
func (f *Fake) getWebIdentityToken(w http.ResponseWriter, r *http.Request, q url.Values) {
	req, fl := parseWIFRequest(q)
	if fl != nil {
		writeSTSError(w, *fl)
		return
	}
	caller, err := f.callerARN(r)
	if err != nil {
		writeSTSError(w, Failure{Status: http.StatusForbidden, Code: "InvalidClientTokenId", Message: "The security token included in the request is invalid: " + err.Error()})
		return
	}
	subject, account := principalOf(caller)
	if fl := f.wifDenied(caller, subject, account); fl != nil {
		writeSTSError(w, *fl)
		return
	}
	tok, exp, err := f.signWebIdentity(req, subject, account, regionOf(r))
	if err != nil {
		writeSTSError(w, Failure{Status: http.StatusInternalServerError, Code: "InternalFailure", Message: err.Error()})
		return
	}
	f.mu.Lock()
	f.wif.issued = append(f.wif.issued, tok)
	f.mu.Unlock()
	type result struct {
		XMLName xml.Name `xml:"GetWebIdentityTokenResponse"`
		NS      string   `xml:"xmlns,attr"`
		Token   string   `xml:"GetWebIdentityTokenResult>WebIdentityToken"`
		Expires string   `xml:"GetWebIdentityTokenResult>Expiration"`
		ID      string   `xml:"ResponseMetadata>RequestId"`
	}
	w.Header().Set("Content-Type", "text/xml")
	_ = xml.NewEncoder(w).Encode(result{NS: "https://sts.amazonaws.com/doc/2011-06-15/", Token: tok, Expires: exp.UTC().Format(time.RFC3339), ID: "awsfake"})
}

// wifDenied is the refusal for a caller, if any: the account's feature
// switch first, then the role's scripted IAM decision (a role without a
// script may call it).
func (f *Fake) wifDenied(caller, subject, account string) *Failure {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.wif.disabled[account] {
		fl := FederationDisabled
		return &fl
	}
	d, ok := f.simulations[subject]
	if !ok || d["sts:GetWebIdentityToken"] == "allowed" {
		return nil
	}
	return &Failure{Status: http.StatusForbidden, Code: "AccessDenied",
		Message: "User: " + caller + " is not authorized to perform: sts:GetWebIdentityToken because no identity-based policy allows the sts:GetWebIdentityToken action"}
}

// signWebIdentity makes the JWT: iss, sub (the role ARN), aud, iat, nbf,
// exp, jti and STS's namespaced claims.
func (f *Fake) signWebIdentity(req wifRequest, subject, account, region string) (string, time.Time, error) {
	keys, err := f.webIdentityKeys()
	if err != nil {
		return "", time.Time{}, err
	}
	key := keys.byAlg[req.alg]
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: req.alg, Key: key}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", time.Time{}, err
	}
	now := time.Now().Truncate(time.Second)
	exp := now.Add(req.duration)
	claims := jwt.Claims{Issuer: Issuer(account), Subject: subject, Audience: jwt.Audience(req.audience),
		IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(exp),
		ID: fmt.Sprintf("awsfake-%d", now.UnixNano())}
	sts := map[string]any{"https://sts.amazonaws.com/": map[string]string{"aws_account": account, "principal_id": subject, "source_region": region}}
	tok, err := jwt.Signed(signer).Claims(claims).Claims(sts).Serialize()
	return tok, exp, err
}

// principalOf turns a caller ARN into the token's subject (an assumed
// role's session becomes its role's ARN) and the account.
func principalOf(caller string) (string, string) {
	parts := strings.SplitN(caller, ":", 6)
	if len(parts) != 6 {
		return caller, ""
	}
	account, res := parts[4], strings.Split(parts[5], "/")
	if parts[2] == "sts" && len(res) == 3 && res[0] == "assumed-role" {
		return "arn:" + parts[1] + ":iam::" + account + ":role/" + res[1], account
	}
	return caller, account
}

// regionOf reads the Region of a SigV4 request's credential scope.
func regionOf(r *http.Request) string {
	_, cred, _ := strings.Cut(r.Header.Get("Authorization"), "Credential=")
	scope := strings.Split(strings.SplitN(cred, ",", 2)[0], "/")
	if len(scope) < 3 {
		return ""
	}
	return scope[2]
}

// writeSTSError answers in STS's query-protocol XML error shape.
func writeSTSError(w http.ResponseWriter, fl Failure) {
	type errorBody struct {
		Type    string `xml:"Type"`
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	}
	out := struct {
		XMLName   xml.Name  `xml:"https://sts.amazonaws.com/doc/2011-06-15/ ErrorResponse"`
		Error     errorBody `xml:"Error"`
		RequestID string    `xml:"RequestId"`
	}{Error: errorBody{Type: "Sender", Code: fl.Code, Message: fl.Message}, RequestID: "awsfake"}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(fl.Status)
	_ = xml.NewEncoder(w).Encode(out)
}
