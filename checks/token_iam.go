package checks

import (
	"context"
	"fmt"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/secrets"
)

// iamSource is the token source of IAM_OAUTHBEARER_AUTH (IAM outbound
// identity federation): sts:GetWebIdentityToken as the session's identity
// (the execution role with --role-arn, as the mapping asks as its
// execution role) for the mapping's OAUTHBEARER_AUDIENCE, RS256, the
// default lifetime. The token check registers the token with the
// redactor; only its claims are reported.
type iamSource struct {
	endpoint, caller, audience string
}

// Describe names the call, the identity and the audience.
func (w *iamSource) Describe() string {
	return fmt.Sprintf("sts:GetWebIdentityToken at %s as %s for audience %s (%s; the brokers name the mapping by the token's sub)",
		w.endpoint, w.caller, w.audience, awsprobe.WebTokenAlgorithm)
}

// Error codes STS gives for GetWebIdentityToken.
const (
	codeFederationDisabled = "OutboundWebIdentityFederationDisabledException"
	codeDurationEscalation = "SessionDurationEscalationException"
)

// Fetch asks STS for the token and classifies a refusal by its code.
func (w *iamSource) Fetch(ctx context.Context, s *State) (*Token, Outcome, bool) {
	w.caller, w.audience = s.caller(), s.oauthSettings().Audience
	sess, err := s.session(ctx)
	if err != nil {
		return nil, fail(catalog.TOKEN053, Args{"endpoint": "(none)", "caller": w.caller, "audience": w.audience,
			"api_code": "no AWS configuration", "detail": shortErr(err, ""), "fix": "give esmdoctor AWS credentials and a Region (see the sts check)"}), false
	}
	t := sess.WebIdentityToken(ctx, s.Step, w.audience)
	s.redact(t.Token)
	s.useEndpoint(awsprobe.STS, t.Endpoint)
	w.endpoint = t.Endpoint
	if t.Err != nil {
		return nil, webTokenFailure(t.Err, t.Endpoint, sess.Region, s), false
	}
	claims, ok := decodeClaims(t.Token)
	if !ok {
		return nil, fail(catalog.TOKEN055, Args{"endpoint": t.Endpoint, "detail": fmt.Sprintf("%d characters, not a compact JWS", len(t.Token))}), false
	}
	return &Token{Value: secrets.NewSecret(t.Token), Claims: claims, JWT: true}, Outcome{}, true
}

// webTokenFailure classifies a failed GetWebIdentityToken by AWS's error
// code (or the network error when no answer came).
func webTokenFailure(err error, endpoint, region string, s *State) Outcome {
	if o, ok := deadlineSkip(err, "sts:GetWebIdentityToken"); ok {
		return o
	}
	args := Args{"endpoint": endpoint, "caller": s.caller(), "audience": s.oauthSettings().Audience, "region": region,
		"caller_account": accountOf(s.caller()), "holder": policyHolder(s.caller()), "detail": shortErr(err, "")}
	f, ok := apiError(err)
	if !ok {
		if d, isNet := networkDetail(err, s.Step); isNet {
			args["detail"] = d
			return fail(catalog.TOKEN054, args)
		}
		args["api_code"], args["fix"] = "no answer", "give esmdoctor AWS credentials (see the sts check)"
		return fail(catalog.TOKEN053, args)
	}
	args["api_code"], args["detail"] = f.Code, f.Message
	switch {
	case f.Code == codeFederationDisabled:
		return fail(catalog.TOKEN050, args)
	case accessDenied(f.Code):
		return fail(catalog.TOKEN051, args)
	case globalSTS(endpoint) || f.Code == "InvalidAction" || f.Code == "UnknownOperationException":
		return fail(catalog.TOKEN052, args)
	}
	args["fix"] = webTokenFix(f.Code, err)
	return fail(catalog.TOKEN053, args)
}

// webTokenFix is the remediation of the other GetWebIdentityToken errors.
func webTokenFix(code string, err error) string {
	switch {
	case throttled(code):
		return "STS throttled the call (" + retriedNote(err) + "): retry later"
	case code == codeDurationEscalation:
		return "the session's credentials expire before the token would: refresh them (the mapping's execution role session is Lambda's own)"
	case code == "ExpiredToken" || code == "InvalidClientTokenId" || code == "SignatureDoesNotMatch":
		return "esmdoctor's credentials are not valid (see the sts check)"
	}
	return "look up " + code + " in the STS API reference for GetWebIdentityToken"
}

// notExecutionRole says whether an IAM_OAUTHBEARER_AUTH token names
// another identity than the function's known execution role (the
// brokers would then see another principal than the mapping's).
func notExecutionRole(s *State, sub string) (string, bool) {
	role := executionRole(s.function())
	return role, s.auth() == AuthIAMOAuth && role != "" && !sameRole(sub, role)
}

// accountOf is the account of an ARN ("" for anything else).
func accountOf(arn string) string {
	a, _ := awsprobe.ParseARN(arn)
	return a.Account
}
