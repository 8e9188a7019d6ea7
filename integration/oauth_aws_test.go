package integration

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/fixtures"
	"github.com/esmdoctor/esmdoctor/testbed/awsfake"
)

// TestAWSCLIOAuthMapping: esmdoctor check --esm reads a self-managed
// mapping whose OAUTHBEARER_AUTH secret lives in Secrets Manager (moto) and
// whose OAUTHBEARER_SCOPE, _AUDIENCE, _LOGICAL_CLUSTER and _IDENTITY_POOL
// are access configurations, fetches the secret as the execution role,
// obtains the token and logs in to kafka4's extension listener with both
// extensions; a mapping whose secret holds a wrong client secret fails at
// token. The client secret appears in no output.
func TestAWSCLIOAuthMapping(t *testing.T) {
	a := requireAWS(t)
	a.need(oauthKeys...)
	fn, role := a.function(t, "orders-oauth")
	v := a.newVPC(t)
	v.vpnRoute("127.0.0.0/8")
	ca := a.secret(t, awsRegion, "esm-oauth-ca-"+a.tag, a.caJSON(), "")
	mapping := func(n int, clientSecret string) string {
		doc, _ := json.Marshal(a.clientCredentials("OAUTH_CLIENT_ID", clientSecret))
		arn := a.secret(t, awsRegion, "esm-oauth-"+a.tag+"-"+string(rune('a'+n)), string(doc), "")
		uuid := a.uuid(40 + n)
		a.fake.AddMapping(awsfake.Mapping{UUID: uuid, FunctionARN: fn, Bootstrap: []string{a.Get("KAFKA4_OAUTH_EXT")}, Topics: []string{a.Get("TOPIC")},
			ConsumerGroupID: a.Get("GROUP"), LastProcessingResult: "OK", AccessConfigs: [][2]string{{"OAUTHBEARER_AUTH", arn}, {"SERVER_ROOT_CA_CERTIFICATE", ca},
				{"OAUTHBEARER_SCOPE", a.Get("OAUTH_SCOPE")}, {"OAUTHBEARER_AUDIENCE", a.Get("OAUTH_AUDIENCE")},
				{"OAUTHBEARER_LOGICAL_CLUSTER", a.Get("OAUTH_LOGICAL_CLUSTER")}, {"OAUTHBEARER_IDENTITY_POOL", a.Get("OAUTH_IDENTITY_POOL")},
				{"VPC_SUBNET", "subnet:" + v.Subnets[0]}, {"VPC_SECURITY_GROUP", "security_group:" + v.SG}}})
		return uuid
	}
	healthy, broken := mapping(0, a.Get("OAUTH_CLIENT_SECRET")), mapping(1, "wrong-client-secret-value")
	const pre = "mapping=pass api=pass sts=pass secret=pass cluster=skip network=warn(ESM-NET-103) permissions=warn(ESM-PERM-101) dns=pass tcp=pass tls=pass "
	for _, tc := range []struct {
		uuid, want string
		code       int
	}{
		{healthy, pre + "token=pass sasl=pass topic=pass brokers=pass group=pass poll=pass registry=skip lambda-endpoint=pass health=skip", 0},
		{broken, pre + "token=fail(ESM-TOKEN-004) sasl=skip topic=skip brokers=skip group=skip poll=skip registry=skip lambda-endpoint=pass health=skip", 1},
	} {
		code, out, errOut := cliRun(t, nil, "check", "--esm", tc.uuid, "--role-arn", role, "-o", "json", "--verbose")
		r := parseReport(t, out)
		if code != tc.code || r.statuses() != tc.want || r.Target.Auth != "oauth" {
			t.Fatalf("exit %d auth %s statuses\n got %s\nwant %s\n%s%s", code, r.Target.Auth, r.statuses(), tc.want, out, errOut)
		}
		for _, leak := range fixtures.SecretLeaks(out+errOut, []string{a.Get("OAUTH_CLIENT_SECRET"), "wrong-client-secret-value"}) {
			t.Errorf("leaked %s", leak)
		}
		if m := jwtPattern.FindString(out + errOut); m != "" {
			t.Errorf("a JWT reached the output: %.20s...", m)
		}
		if tc.code == 0 {
			var sasl string
			for _, c := range r.Checks {
				if c.ID == "sasl" {
					sasl = strings.Join(c.Detail, "\n")
				}
			}
			if !strings.Contains(sasl, "extensions identityPoolId="+a.Get("OAUTH_IDENTITY_POOL")+", logicalCluster="+a.Get("OAUTH_LOGICAL_CLUSTER")) {
				t.Errorf("sasl detail %q", sasl)
			}
		}
	}
}
