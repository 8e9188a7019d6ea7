package integration

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/resolve"
	"github.com/esmdoctor/esmdoctor/testbed/awsfake"
)

// IAM_OAUTHBEARER_AUTH against the kafka4 node's IAMOAUTH listener, which
// validates JWTs with Kafka's own OAuthBearerValidatorCallbackHandler
// against the JWKS of the test bed's web identity keys (AWS_WIF_KEYS) and
// expects the audience AWS_WIF_AUDIENCE. esmdoctor assumes the execution
// role in moto (--role-arn) and asks testbed/awsfake's
// sts:GetWebIdentityToken, signed with those keys, for the token.

// iamOAuthBed is the AWS side with STS pointed at the fake (which forwards
// AssumeRole and GetCallerIdentity to moto) and the fake signing with the
// keys the broker trusts.
func iamOAuthBed(t *testing.T) awsBed {
	t.Helper()
	a := requireAWS(t)
	if a.Get("KAFKA4_IAM_OAUTH") == "" {
		t.Fatal("the test bed has no KAFKA4_IAM_OAUTH listener: restart it with this tree's testbed/testbed.sh")
	}
	if err := a.fake.UseWebIdentityKeys(a.Get("AWS_WIF_KEYS")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_ENDPOINT_URL_STS", a.fake.URL())
	for _, name := range []string{a.Get("AWS_WIF_ROLE"), a.Get("AWS_WIF_NOACL_ROLE")} {
		a.role(t, name)
		a.allowWebIdentity(name)
	}
	return a
}

// allowWebIdentity scripts the permissions check's SimulatePrincipalPolicy
// for the role: sts:GetWebIdentityToken allowed, as its policy says.
func (a awsBed) allowWebIdentity(name string) {
	a.fake.Simulate(roleARN(name), awsfake.Decisions{"sts:GetWebIdentityToken": "allowed"})
}

// role makes sure the execution role exists in moto (moto's state
// outlives test runs, so an existing one is fine), allowed to ask for web
// identity tokens, which the permissions check reads from its policy.
func (a awsBed) role(t *testing.T, name string) {
	t.Helper()
	c := iam.NewFromConfig(a.motoConfig(awsRegion))
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	_, err := c.CreateRole(a.ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)})
	if code, _, _ := awsprobe.ErrorCode(err); err != nil && code != "EntityAlreadyExists" {
		t.Fatalf("moto CreateRole %s: %v", name, err)
	}
	_, err = c.PutRolePolicy(a.ctx, &iam.PutRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String("web-identity"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:GetWebIdentityToken","Resource":"*"}]}`)})
	if err != nil {
		t.Fatalf("moto PutRolePolicy %s: %v", name, err)
	}
}

func roleARN(name string) string { return "arn:aws:iam::" + motoAccount + ":role/" + name }

// iamOAuthCfg is a run as the given role against the IAMOAUTH listener.
func iamOAuthCfg(a awsBed, role, audience string) checks.Config {
	return checks.Config{Bootstrap: a.hostPorts(a.Get("KAFKA4_IAM_OAUTH")), Topic: a.Get("TOPIC"), Auth: checks.AuthIAMOAuth,
		OAuth: &resolve.OAuthSettings{Audience: audience}, CA: a.ca("CA_PEM"), ConsumerGroup: a.Get("GROUP"),
		AWS: awsConfig(func(c *checks.AWSConfig) { c.Options.RoleARN = roleARN(role) })}
}

// iamOAuthBefore are the statuses before token; permissions passes from
// the role's SimulatePrincipalPolicy script.
const iamOAuthBefore = "mapping=skip api=pass sts=pass secret=pass cluster=skip network=skip permissions=pass dns=pass tcp=pass tls=pass "

func TestIAMOAuthHealthy(t *testing.T) {
	a := iamOAuthBed(t)
	role := a.Get("AWS_WIF_ROLE")
	rs := runAWS(t, iamOAuthCfg(a, role, a.Get("AWS_WIF_AUDIENCE")))
	wantStatuses(t, rs, iamOAuthBefore+"token=pass sasl=pass topic=pass brokers=pass group=pass poll=pass registry=skip lambda-endpoint=pass health=skip")
	detail := strings.Join(append(find(t, rs, "token").Detail, find(t, rs, "sasl").Detail...), "\n")
	for _, want := range []string{"sts:GetWebIdentityToken at " + a.fake.URL() + " as arn:aws:sts::" + motoAccount + ":assumed-role/" + role + "/esmdoctor for audience " + a.Get("AWS_WIF_AUDIENCE"),
		"iss " + awsfake.Issuer(motoAccount), "sub " + roleARN(role), "aud " + a.Get("AWS_WIF_AUDIENCE"), "lifetime 5m0s", "never shown",
		"login as User:" + roleARN(role) + " accepted"} {
		if !strings.Contains(detail, want) {
			t.Errorf("token/sasl detail lacks %q:\n%s", want, detail)
		}
	}
	if n := a.fake.Requests()["GetWebIdentityToken"]; n != 1 {
		t.Errorf("GetWebIdentityToken asked %d times, want once", n)
	}
}

// iamOAuthFailure checks a failing scenario's statuses (from token on:
// the token check or the login failed) and the failed check's result.
func iamOAuthFailure(t *testing.T, rs []model.Result, before, code, problem string, wants ...string) model.Result {
	t.Helper()
	check, from := "sasl", "token=pass sasl=fail("+code+")"
	if strings.HasPrefix(code, "ESM-TOKEN-") {
		check, from = "token", "token=fail("+code+") sasl=skip"
	}
	wantStatuses(t, rs, before+from+" topic=skip brokers=skip group=skip poll=skip registry=skip lambda-endpoint=pass health=skip")
	r := find(t, rs, check)
	wantProblem(t, r, catalog.ProblemID(problem))
	wantNoPlaceholder(t, r)
	for _, w := range wants {
		if !strings.Contains(r.Cause()+"\n"+r.Remediation(), w) {
			t.Errorf("%s: cause/fix lack %q:\n%s\n%s", code, w, r.Cause(), r.Remediation())
		}
	}
	return r
}

func TestIAMOAuthSTSRefusals(t *testing.T) {
	// The role's SimulatePrincipalPolicy script denies the action: the
	// permissions check predicts the refusal STS then gives.
	denied := strings.Replace(iamOAuthBefore, "permissions=pass", "permissions=fail(ESM-TOKEN-056)", 1)
	cases := []struct {
		name   string
		setup  func(a awsBed)
		before string
		code   string
		wants  []string
	}{
		{"federation not enabled", func(a awsBed) { a.fake.DisableOutboundFederation(motoAccount) }, iamOAuthBefore, "ESM-TOKEN-050",
			[]string{"OutboundWebIdentityFederationDisabledException", "account " + motoAccount, "aws iam enable-outbound-web-identity-federation"}},
		{"role may not call it", func(a awsBed) {
			a.fake.Simulate(roleARN(a.Get("AWS_WIF_ROLE")), awsfake.Decisions{"kafka-cluster:Connect": "allowed"})
		}, denied, "ESM-TOKEN-051", []string{"AccessDenied", "sts:GetWebIdentityToken", "in the policy of role esm-"}},
		{"global endpoint", func(a awsBed) { t.Setenv("AWS_ENDPOINT_URL_STS", a.fake.GlobalSTSURL()) }, iamOAuthBefore, "ESM-TOKEN-052",
			[]string{"InvalidAction", "sts.us-east-1.amazonaws.com"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := iamOAuthBed(t)
			c.setup(a)
			rs := runAWS(t, iamOAuthCfg(a, a.Get("AWS_WIF_ROLE"), a.Get("AWS_WIF_AUDIENCE")))
			iamOAuthFailure(t, rs, c.before, c.code, "", c.wants...)
			if c.code == "ESM-TOKEN-051" {
				perm := find(t, rs, "permissions")
				if !strings.Contains(perm.Cause(), "sts:GetWebIdentityToken on *") || !strings.Contains(perm.Remediation(), "aws iam put-role-policy --role-name "+a.Get("AWS_WIF_ROLE")) {
					t.Errorf("permissions %s: %s / %s", perm.Code, perm.Cause(), perm.Remediation())
				}
			}
		})
	}
}

// The broker's validator answers a foreign key and a wrong audience alike
// (error 58, invalid_token): the cause names the token's facts.
func TestIAMOAuthBrokerRejects(t *testing.T) {
	t.Run("wrong audience", func(t *testing.T) {
		a := iamOAuthBed(t)
		rs := runAWS(t, iamOAuthCfg(a, a.Get("AWS_WIF_ROLE"), "another-cluster"))
		iamOAuthFailure(t, rs, iamOAuthBefore, "ESM-SASL-030", "P4", "audience another-cluster", "expected.audience including another-cluster",
			"issuer "+awsfake.Issuer(motoAccount), "Kafka error 58")
	})
	t.Run("issuer's keys not trusted", func(t *testing.T) {
		a := requireAWS(t)
		other, err := awsfake.New(a.moto) // keys of its own: not in the broker's JWKS
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(other.Close)
		t.Setenv("AWS_ENDPOINT_URL_STS", other.URL())
		a.role(t, a.Get("AWS_WIF_ROLE"))
		a.allowWebIdentity(a.Get("AWS_WIF_ROLE"))
		set, err := other.JWKS()
		if err != nil {
			t.Fatal(err)
		}
		rs := runAWS(t, iamOAuthCfg(a, a.Get("AWS_WIF_ROLE"), a.Get("AWS_WIF_AUDIENCE")))
		iamOAuthFailure(t, rs, iamOAuthBefore, "ESM-SASL-030", "P4", "key "+set.Keys[0].KeyID+" RS256", "/.well-known/jwks.json", "audience "+a.Get("AWS_WIF_AUDIENCE"))
	})
}

// A role the brokers have no ACLs for logs in, then meets the topic's
// authorization; the advice names its principal, User:<role ARN>.
func TestIAMOAuthMissingACL(t *testing.T) {
	a := iamOAuthBed(t)
	role := a.Get("AWS_WIF_NOACL_ROLE")
	rs := runAWS(t, iamOAuthCfg(a, role, a.Get("AWS_WIF_AUDIENCE")))
	wantStatuses(t, rs, iamOAuthBefore+"token=pass sasl=pass topic=fail(ESM-TOPIC-002) brokers=skip group=skip poll=skip registry=skip lambda-endpoint=pass health=skip")
	r := find(t, rs, "topic")
	wantNoPlaceholder(t, r)
	for _, want := range []string{"Kafka error 29 TOPIC_AUTHORIZATION_FAILED for User:" + roleARN(role),
		"--allow-principal User:" + roleARN(role) + " --operation Read --topic " + a.Get("TOPIC")} {
		if !strings.Contains(r.Cause()+"\n"+r.Remediation(), want) {
			t.Errorf("topic %s lacks %q:\n%s\n%s", r.Code, want, r.Cause(), r.Remediation())
		}
	}
}
