package resolve

import (
	"fmt"

	"github.com/esmdoctor/esmdoctor/awsprobe"
)

// OAuthSettings are the mapping's OAUTHBEARER_* access configurations:
// literal values, "" when not given.
type OAuthSettings struct {
	Scope          string // OAUTHBEARER_SCOPE, the token request's scope
	Audience       string // OAUTHBEARER_AUDIENCE, the token request's audience
	LogicalCluster string // OAUTHBEARER_LOGICAL_CLUSTER, the SASL extension logicalCluster
	IdentityPool   string // OAUTHBEARER_IDENTITY_POOL, the SASL extension identityPoolId
}

// oauthSetting points at the field a literal OAuth type sets.
func (o *OAuthSettings) field(t string) *string {
	switch t {
	case TypeOAuthScope:
		return &o.Scope
	case TypeOAuthAudience:
		return &o.Audience
	case TypeOAuthLogicalCluster:
		return &o.LogicalCluster
	case TypeOAuthIdentityPool:
		return &o.IdentityPool
	}
	return nil
}

// isOAuthLiteral says whether an access configuration type is one of the
// OAuth settings (its URI is a value, not an ARN).
func isOAuthLiteral(t string) bool { return (&OAuthSettings{}).field(t) != nil }

// oauthSettings collects the OAuth settings of the access configurations:
// each at most once, non-empty, and only for --auth oauth, the
// OAUTHBEARER_AUTH secret (Lambda's rule: all four require it).
func oauthSettings(list []awsprobe.AccessConfig, auth Auth) (*OAuthSettings, error) {
	const flag = "--source-access-configuration"
	var o OAuthSettings
	found := false
	for _, ac := range list {
		f := o.field(ac.Type)
		if f == nil {
			continue
		}
		switch {
		case *f != "":
			return nil, &InputError{Input: flag, Value: ac.Type, Msg: "given twice: a mapping has one"}
		case ac.URI == "":
			return nil, &InputError{Input: flag, Value: ac.Type, Msg: "needs its value as URI (Type=" + ac.Type + ",URI=VALUE)"}
		}
		*f, found = ac.URI, true
	}
	if auth == AuthIAMOAuth {
		return &o, iamOAuthSettings(&o)
	}
	if !found {
		return nil, nil
	}
	if auth != AuthOAuth {
		mode := "the cluster check's choice"
		if auth != "" {
			mode = "--auth " + string(auth)
		}
		return nil, &InputError{Input: flag, Msg: fmt.Sprintf("the OAUTHBEARER_SCOPE, _AUDIENCE, _LOGICAL_CLUSTER and _IDENTITY_POOL configurations need an %s secret (--auth oauth), not %s", TypeOAuth, mode)}
	}
	return &o, nil
}
