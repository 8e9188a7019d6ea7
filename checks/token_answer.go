package checks

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/jvmtls"
	"github.com/esmdoctor/esmdoctor/probe"
	"github.com/esmdoctor/esmdoctor/secrets"
)

// maxDescription bounds the IdP's error_description quoted in a cause.
const maxDescription = 200

// oauthErrorCodes maps RFC 6749 section 5.2 (and RFC 8707) error codes
// to esmdoctor's; any other code is TOKEN009.
var oauthErrorCodes = map[string]string{
	"invalid_client":      catalog.TOKEN004,
	"invalid_scope":       catalog.TOKEN005,
	"unauthorized_client": catalog.TOKEN006,
	"invalid_grant":       catalog.TOKEN007,
	"invalid_target":      catalog.TOKEN008,
}

// tokenAnswer is the JSON of a token endpoint's answer: a token (RFC 6749
// section 5.1) or an error (section 5.2).
type tokenAnswer struct {
	AccessToken      *string `json:"access_token"`
	TokenType        string  `json:"token_type"`
	Error            *string `json:"error"`
	ErrorDescription string  `json:"error_description"`
}

// classifyTokenAnswer decides what the token request met: a network phase
// that failed, an OAuth error code, an HTTP error that is not OAuth, an
// answer without a token, or the token.
func classifyTokenAnswer(obs probe.HTTPSObservation, o *oauthSource, s *State) (*Token, Outcome, bool) {
	args := o.args()
	args["addr"] = orNone(obs.Addr)
	args["detail"] = shortErr(obs.Err, "")
	if obs.Err != nil {
		return nil, networkFailure(obs, args), false
	}
	args["status"], args["content_type"] = fmt.Sprint(obs.Status), orNone(obs.ContentType)
	args["size"] = fmt.Sprint(len(obs.Body))
	if obs.Truncated {
		args["size"] = fmt.Sprintf("more than %d", probe.MaxHTTPSResponse)
	}
	var a tokenAnswer
	isJSON := !obs.Truncated && json.Unmarshal(obs.Body, &a) == nil
	switch {
	case isJSON && a.Error != nil && (a.AccessToken == nil || obs.Status >= 300):
		args["error"], args["description"] = *a.Error, description(a.ErrorDescription)
		code, ok := oauthErrorCodes[*a.Error]
		if !ok {
			code = catalog.TOKEN009
		}
		return nil, fail(code, args), false
	case obs.Status < 200 || obs.Status >= 300:
		return nil, fail(catalog.TOKEN010, args), false
	case !isJSON:
		args["detail"] = "the body is not JSON"
		return nil, fail(catalog.TOKEN011, args), false
	case a.AccessToken == nil || *a.AccessToken == "":
		args["detail"] = "the JSON holds no access_token"
		return nil, fail(catalog.TOKEN011, args), false
	}
	tok := &Token{Value: secrets.NewSecret(*a.AccessToken)}
	s.redact(*a.AccessToken)
	tok.Claims, tok.JWT = decodeClaims(*a.AccessToken)
	return tok, Outcome{}, true
}

// networkFailure classifies a request that got no answer, by the phase
// it stopped in.
func networkFailure(obs probe.HTTPSObservation, args Args) Outcome {
	switch {
	case obs.Phase == probe.PhaseDNS:
		if isTimeout(obs.Err) {
			args["detail"] = "no answer within the step budget (" + shortErr(obs.Err, "") + ")"
		}
		return fail(catalog.TOKEN001, args)
	case obs.Phase == probe.PhaseTCP:
		return fail(catalog.TOKEN002, args)
	case obs.Phase == probe.PhaseTLS && untrusted(obs.Err):
		return fail(catalog.TOKEN003, args)
	case obs.Phase == probe.PhaseTLS:
		args["detail"] = "TLS with " + args["addr"] + ": " + args["detail"]
	case isTimeout(obs.Err):
		args["detail"] = "no answer to the token request within the step budget (" + args["detail"] + ")"
	case isClosed(obs.Err):
		args["detail"] = "the IdP closed the connection before answering the token request"
	}
	return fail(catalog.TOKEN012, args)
}

// untrusted says whether a TLS failure is the client refusing the
// server's certificate (rather than a broken handshake).
func untrusted(err error) bool {
	var cv *tls.CertificateVerificationError
	var je *jvmtls.Error
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	return errors.As(err, &cv) || errors.As(err, &je) || errors.As(err, &ua) || errors.As(err, &he) || errors.As(err, &ci)
}

// description quotes the IdP's error_description, bounded, or nothing.
func description(d string) string {
	d = strings.TrimSpace(d)
	if d == "" {
		return ""
	}
	if r := []rune(d); len(r) > maxDescription {
		d = string(r[:maxDescription]) + "..."
	}
	return fmt.Sprintf(": %q", d)
}
