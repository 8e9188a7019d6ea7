package resolve

import (
	"fmt"

	"github.com/esmdoctor/esmdoctor/awsprobe"
)

// The IAM access configurations of a self-managed source (2026): IAM_AUTH
// (MSK IAM to a cluster reached through custom networking) and
// IAM_OAUTHBEARER_AUTH (a JWT from sts:GetWebIdentityToken for the
// execution role, requested for OAUTHBEARER_AUDIENCE, the one OAuth
// setting it takes). Neither has a URI; neither goes with a secret that
// authenticates.

// maxAudience is the longest audience STS accepts.
const maxAudience = 1000

// isIAMType says whether t is one of the IAM access configuration types.
func isIAMType(t string) bool { return t == TypeIAM || t == TypeIAMOAuth }

// iamType records an IAM access configuration.
func (a *access) iamType(ac *awsprobe.AccessConfig) error {
	const flag = "--source-access-configuration"
	switch {
	case ac.URI != "":
		return &InputError{Input: flag, Value: ac.Type + "," + ac.URI, Msg: ac.Type + " takes no URI"}
	case a.iam != "":
		return &InputError{Input: flag, Msg: fmt.Sprintf("%s and %s: a mapping authenticates one way", a.iam, ac.Type)}
	}
	a.iam = ac.Type
	return nil
}

// iamConsistent refuses an IAM type beside a secret that authenticates.
func (a *access) iamConsistent() error {
	if a.iam != "" && a.authSecret != nil {
		return &InputError{Input: "--source-access-configuration", Msg: fmt.Sprintf("%s and %s: a mapping authenticates one way", a.iam, a.authSecret.Type)}
	}
	return nil
}

// authFromIAMType is the auth mode an IAM access configuration selects.
func (a access) authFromIAMType() (Auth, string) {
	if m, ok := AuthForIAMType(a.iam); ok {
		return m, "from the " + a.iam + " access configuration"
	}
	return "", ""
}

// AuthForIAMType is the mode an IAM access configuration type selects
// (IAM_AUTH: MSK IAM; IAM_OAUTHBEARER_AUTH: web identity tokens); false
// for any other type.
func AuthForIAMType(t string) (Auth, bool) {
	switch t {
	case TypeIAM:
		return AuthIAM, true
	case TypeIAMOAuth:
		return AuthIAMOAuth, true
	}
	return "", false
}

// iamOAuthSettings checks the OAuth settings of IAM_OAUTHBEARER_AUTH: the
// audience, required (the token is requested for it) and within STS's
// limit, and none of the other three (they need OAUTHBEARER_AUTH).
func iamOAuthSettings(o *OAuthSettings) error {
	const flag = "--source-access-configuration"
	switch {
	case o == nil || o.Audience == "":
		return Usage("IAM_OAUTHBEARER_AUTH (--auth iam-oauthbearer) needs the audience: --source-access-configuration Type=OAUTHBEARER_AUDIENCE,URI=<audience>")
	case len(o.Audience) > maxAudience:
		return &InputError{Input: flag, Value: TypeOAuthAudience, Msg: fmt.Sprintf("the audience is %d characters: STS accepts at most %d", len(o.Audience), maxAudience)}
	case o.Scope != "" || o.LogicalCluster != "" || o.IdentityPool != "":
		return &InputError{Input: flag, Msg: "IAM_OAUTHBEARER_AUTH takes OAUTHBEARER_AUDIENCE only: OAUTHBEARER_SCOPE, _LOGICAL_CLUSTER and _IDENTITY_POOL need an OAUTHBEARER_AUTH secret"}
	}
	return nil
}
