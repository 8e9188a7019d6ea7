package integration

import (
	"context"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/testbed/iamtoken"
)

// iamAgreementRows runs the MSK IAM scenarios on the test bed's IAM
// listener with esmdoctor and with kafka-python presenting the same kind
// of token (kafka-python is the client of the original bug report and the
// one peer here that speaks OAUTHBEARER with an MSK IAM token; kcat cannot,
// and the Java client would need AWS's aws-msk-iam-auth library).
func iamAgreementRows(t *testing.T) []agreementRow {
	a := requireAWS(t)
	akid, secret := a.Get("IAM_ACCESS_KEY_ID"), a.Get("IAM_SECRET_ACCESS_KEY")
	tokenAt := func(region, id, key string, at time.Time) checks.TokenFunc {
		return func(context.Context) (string, error) { return iamtoken.Generate(region, id, key, at) }
	}
	now := time.Now()
	cases := []struct {
		name   string
		token  checks.TokenFunc // what both present
		verify string           // the esmdoctor verdict this scenario must reach
	}{
		{"iam-token-valid", tokenAt(awsRegion, akid, secret, now), "pass"},
		{"iam-token-signed-with-another-key", tokenAt(awsRegion, akid, secret+"x", now), "fail at sasl ESM-SASL-010"},
		{"iam-token-expired", tokenAt(awsRegion, akid, secret, now.Add(-16*time.Minute)), "fail at sasl ESM-SASL-012"},
		{"iam-token-for-another-region", tokenAt("eu-west-1", akid, secret, now), "fail at sasl ESM-SASL-011"},
		{"iam-principal-without-permissions", tokenAt(awsRegion, a.Get("IAM_NOACL_ACCESS_KEY_ID"), a.Get("IAM_NOACL_SECRET_ACCESS_KEY"), now), "fail at topic ESM-TOPIC-005"},
	}
	var rows []agreementRow
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := iamCfg(a, func(ac *checks.AWSConfig) { ac.IAMToken = c.token })
			verdict := verdictLine(runAWS(t, cfg))
			if verdict != c.verify {
				t.Fatalf("esmdoctor: %s, want %s", verdict, c.verify)
			}
			token, err := c.token(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			s := settingsFor(t, cfg)
			s.Protocol, s.Mechanism, s.Token = "SASL_SSL", "OAUTHBEARER", token
			waitGroupEmpty(t, a.bed, s.Group)
			o := runKafkaPython(t, s)
			row := agreementRow{scenario: c.name, verdict: verdict, peers: []peerOutcome{
				{Peer: "kcat"}, o, {Peer: "java"}}, agree: o.Consumed == (verdict == "pass"), iamOnly: true}
			if !row.agree {
				t.Errorf("disagreement: esmdoctor %s, kafka-python consumed=%v (%s)", verdict, o.Consumed, o.Detail)
			}
			rows = append(rows, row)
		})
	}
	return rows
}

func verdictLine(rs []model.Result) string {
	if f, ok := firstFailure(rs); ok {
		return "fail at " + f.ID + " " + f.Code
	}
	return "pass"
}
