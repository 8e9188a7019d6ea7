package resolve

import (
	"errors"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/awsprobe"
)

// IAM_AUTH and IAM_OAUTHBEARER_AUTH select their modes from flags shaped
// like create-event-source-mapping and from a mapping read from Lambda.
func TestIAMAccessConfigs(t *testing.T) {
	base := Inputs{Bootstrap: []string{"kafka.example.com:9098"}, Topic: "orders", Region: "us-east-1"}
	for _, c := range []struct {
		name     string
		ac       []string
		auth     string
		want     Auth
		audience string
	}{
		{"iam", []string{"Type=IAM_AUTH"}, "", AuthIAM, ""},
		{"iam with --auth", []string{"Type=IAM_AUTH"}, "iam", AuthIAM, ""},
		{"iam oauth", []string{"Type=IAM_OAUTHBEARER_AUTH Type=OAUTHBEARER_AUDIENCE,URI=kafka-prod"}, "", AuthIAMOAuth, "kafka-prod"},
		{"iam oauth, root CA", []string{"Type=IAM_OAUTHBEARER_AUTH", "Type=OAUTHBEARER_AUDIENCE,URI=urn:kafka", "Type=SERVER_ROOT_CA_CERTIFICATE,URI=" + scram}, "", AuthIAMOAuth, "urn:kafka"},
		{"--auth iam-oauthbearer", []string{"Type=OAUTHBEARER_AUDIENCE,URI=aud"}, "iam-oauthbearer", AuthIAMOAuth, "aud"},
	} {
		in := base
		in.AccessConfig, in.Auth = c.ac, c.auth
		got, err := resolveInputs(in)
		if err != nil || got.Auth != c.want || audienceOf(got) != c.audience || got.AWS == nil {
			t.Errorf("%s: auth %q audience %q aws %v, err %v", c.name, got.Auth, audienceOf(got), got.AWS != nil, err)
		}
	}
	for _, c := range []struct {
		name string
		ac   []string
		auth string
		want string
	}{
		{"uri on IAM_AUTH", []string{"Type=IAM_AUTH,URI=x"}, "", "IAM_AUTH takes no URI"},
		{"no audience", []string{"Type=IAM_OAUTHBEARER_AUTH"}, "", "needs the audience: --source-access-configuration Type=OAUTHBEARER_AUDIENCE"},
		{"audience with IAM_AUTH", []string{"Type=IAM_AUTH Type=OAUTHBEARER_AUDIENCE,URI=a"}, "", "need an OAUTHBEARER_AUTH secret (--auth oauth), not --auth iam"},
		{"scope with IAM_OAUTHBEARER_AUTH", []string{"Type=IAM_OAUTHBEARER_AUTH Type=OAUTHBEARER_AUDIENCE,URI=a Type=OAUTHBEARER_SCOPE,URI=kafka"}, "", "takes OAUTHBEARER_AUDIENCE only"},
		{"both IAM types", []string{"Type=IAM_AUTH Type=IAM_OAUTHBEARER_AUTH Type=OAUTHBEARER_AUDIENCE,URI=a"}, "", "authenticates one way"},
		{"IAM and a secret", []string{"Type=IAM_AUTH Type=SASL_SCRAM_512_AUTH,URI=" + scram}, "", "authenticates one way"},
		{"two audiences", []string{"Type=IAM_OAUTHBEARER_AUTH Type=OAUTHBEARER_AUDIENCE,URI=a Type=OAUTHBEARER_AUDIENCE,URI=b"}, "", "given twice"},
		{"empty audience", []string{"Type=IAM_OAUTHBEARER_AUTH Type=OAUTHBEARER_AUDIENCE,URI="}, "", "needs its value as URI"},
		{"audience too long", []string{"Type=IAM_OAUTHBEARER_AUTH Type=OAUTHBEARER_AUDIENCE,URI=" + strings.Repeat("a", 1001)}, "", "STS accepts at most 1000"},
		{"contradicting --auth", []string{"Type=IAM_AUTH"}, "sasl-scram-512", "contradicts the IAM_AUTH access configuration"},
		{"--auth without audience", nil, "iam-oauthbearer", "needs the audience"},
		{"IAM_OAUTHBEARER_AUTH on MSK", []string{"Type=IAM_OAUTHBEARER_AUTH Type=OAUTHBEARER_AUDIENCE,URI=a"}, "msk", "a self-managed Kafka access configuration"},
	} {
		in := base
		in.AccessConfig, in.Auth = c.ac, c.auth
		if c.auth == "msk" {
			in.Bootstrap, in.EventSourceARN, in.Auth = nil, msk, ""
		}
		_, err := resolveInputs(in)
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an input error containing %q", c.name, err, c.want)
		}
	}
}

func TestIAMAccessConfigsFromMapping(t *testing.T) {
	aw := AWS{Options: awsprobe.Options{Region: "us-east-1"}}
	got, err := FromMapping(awsprobe.Mapping{UUID: uuid, Bootstrap: []string{"b-1:9096"}, Topics: []string{"orders"},
		AccessConfigs: []awsprobe.AccessConfig{{Type: TypeIAMOAuth}, {Type: TypeOAuthAudience, URI: "kafka-prod"}}}, aw)
	if err != nil || got.Auth != AuthIAMOAuth || audienceOf(got) != "kafka-prod" || !strings.Contains(got.AuthReason, "IAM_OAUTHBEARER_AUTH") {
		t.Fatalf("%+v %v", got, err)
	}
	got, err = FromMapping(awsprobe.Mapping{UUID: uuid, Bootstrap: []string{"b-1:9096"}, Topics: []string{"orders"},
		AccessConfigs: []awsprobe.AccessConfig{{Type: TypeIAM}}}, aw)
	if err != nil || got.Auth != AuthIAM {
		t.Fatalf("%+v %v", got, err)
	}
}

func audienceOf(t Target) string {
	if t.OAuth == nil {
		return ""
	}
	return t.OAuth.Audience
}
