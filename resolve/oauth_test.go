package resolve

import (
	"errors"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/awsprobe"
)

const oauthSecret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-oauth-AbCdEf"

// OAUTHBEARER_AUTH selects --auth oauth; the four literal settings are
// read from a mapping and from the create-event-source-mapping flags.
func TestOAuthAccessConfigurations(t *testing.T) {
	aw := AWS{Options: awsprobe.Options{Region: "us-east-1"}}
	got, err := FromMapping(awsprobe.Mapping{UUID: uuid, Bootstrap: []string{"b-1:9096"}, Topics: []string{"orders"},
		AccessConfigs: []awsprobe.AccessConfig{{Type: TypeOAuth, URI: oauthSecret}, {Type: TypeOAuthScope, URI: "kafka"},
			{Type: TypeOAuthAudience, URI: "kafka4"}, {Type: TypeOAuthLogicalCluster, URI: "lkc-1"}, {Type: TypeOAuthIdentityPool, URI: "pool-1"}}}, aw)
	if err != nil {
		t.Fatal(err)
	}
	want := OAuthSettings{Scope: "kafka", Audience: "kafka4", LogicalCluster: "lkc-1", IdentityPool: "pool-1"}
	if got.Auth != AuthOAuth || got.Secret == nil || got.Secret.ARN != oauthSecret || got.OAuth == nil || *got.OAuth != want {
		t.Fatalf("mapping: auth %s secret %+v oauth %+v", got.Auth, got.Secret, got.OAuth)
	}

	// Flags: a local secret file and the literal settings need no AWS.
	secret := &SecretDoc{Source: "oauth.json", Data: []byte(`{"oauthTokenEndpointUrl":"https://idp/token","oauthClientId":"c","oauthClientSecret":"s"}`), LocalFile: true}
	tg, err := resolveInputs(Inputs{Bootstrap: []string{"b-1:9096"}, Topic: "orders", Secret: secret,
		AccessConfig: []string{"Type=OAUTHBEARER_SCOPE,URI=kafka Type=OAUTHBEARER_LOGICAL_CLUSTER,URI=lkc-1"}})
	if err != nil || tg.Auth != AuthOAuth || tg.OAuth == nil || tg.OAuth.Scope != "kafka" || tg.OAuth.LogicalCluster != "lkc-1" || tg.AWS != nil {
		t.Fatalf("flags: %+v oauth %+v aws %+v err %v", tg, tg.OAuth, tg.AWS, err)
	}
	if !strings.Contains(tg.AuthReason, "oauthTokenEndpointUrl") {
		t.Errorf("auth reason %q does not say it was inferred from the OAuth keys", tg.AuthReason)
	}

	for _, c := range []struct {
		in   Inputs
		want string
	}{
		{Inputs{Bootstrap: []string{"b:9096"}, Topic: "t", AccessConfig: []string{"Type=OAUTHBEARER_SCOPE,URI=kafka"}}, "need an OAUTHBEARER_AUTH secret"},
		{Inputs{Bootstrap: []string{"b:9096"}, Topic: "t", Secret: secret, AccessConfig: []string{"Type=OAUTHBEARER_SCOPE,URI=a", "Type=OAUTHBEARER_SCOPE,URI=b"}}, "given twice"},
		{Inputs{Bootstrap: []string{"b:9096"}, Topic: "t", Secret: secret, AccessConfig: []string{"Type=OAUTHBEARER_AUDIENCE,URI="}}, "needs its value as URI"},
		{Inputs{Bootstrap: []string{"b:9096"}, Topic: "t", Auth: "oauth"}, "--auth oauth needs --secret-file"},
	} {
		_, err := resolveInputs(c.in)
		var ie *InputError
		var ue interface{ Error() string }
		if err == nil || !strings.Contains(err.Error(), c.want) || (!errors.As(err, &ie) && !errors.As(err, &ue)) {
			t.Errorf("%+v: %v, want an input error containing %q", c.in, err, c.want)
		}
	}
}
