package verify

import (
	"context"
	"testing"

	"github.com/IBM/sarama"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/esmdoctor/esmdoctor/testbed/awsfake"
	"github.com/esmdoctor/esmdoctor/testbed/tbenv"
)

// webIdentityToken asks an awsfake (no moto: the caller is scripted) for a
// token naming role, for audience.
func webIdentityToken(t *testing.T, env tbenv.Env, keys bool, role, audience string) string {
	t.Helper()
	f, err := awsfake.New("")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if keys {
		if err := f.UseWebIdentityKeys(env.Get("AWS_WIF_KEYS")); err != nil {
			t.Fatal(err)
		}
	}
	f.SetCaller("AKIDVERIFY", "arn:aws:sts::"+env.Get("AWS_WIF_ACCOUNT")+":assumed-role/"+role+"/verify")
	c := sts.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(f.URL()),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDVERIFY", "secret", "")})
	out, err := c.GetWebIdentityToken(context.Background(), &sts.GetWebIdentityTokenInput{Audience: []string{audience}, SigningAlgorithm: aws.String("RS256")})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.WebIdentityToken)
}

// TestIAMOAuthListener: kafka4's IAMOAUTH listener (Kafka's own validator
// against the web identity JWKS) accepts awsfake's token for its audience
// and names the client by the role ARN (ACLs for esm-iam-oauth, none for
// esm-iam-oauth-noacl); it rejects a token for another audience and one
// signed by a key it does not know with the same error 58.
func TestIAMOAuthListener(t *testing.T) {
	env := tbenv.Require(t)
	aud, role, noacl := env.Get("AWS_WIF_AUDIENCE"), env.Get("AWS_WIF_ROLE"), env.Get("AWS_WIF_NOACL_ROLE")
	for _, tc := range []struct {
		name string
		role string
		want sarama.KError
	}{{"role with ACLs", role, sarama.ErrNoError}, {"role without ACLs", noacl, sarama.ErrTopicAuthorizationFailed}} {
		b, err := oauthLogin(t, "KAFKA4_IAM_OAUTH", webIdentityToken(t, env, true, tc.role, aud), nil)
		if err != nil {
			t.Fatalf("%s: login: %v", tc.name, err)
		}
		md, err := b.GetMetadata(&sarama.MetadataRequest{Version: 9, Topics: []string{env.Get("TOPIC")}})
		_ = b.Close()
		if err != nil || len(md.Topics) != 1 || md.Topics[0].Err != tc.want {
			t.Errorf("%s: metadata of %s: %v %+v, want %v", tc.name, env.Get("TOPIC"), err, md, tc.want)
		}
	}
	for _, tc := range []struct {
		name, token string
	}{
		{"other audience", webIdentityToken(t, env, true, role, "another-cluster")},
		{"key not in the JWKS", webIdentityToken(t, env, false, role, aud)},
	} {
		b, err := oauthLogin(t, "KAFKA4_IAM_OAUTH", tc.token, nil)
		if err == nil {
			_ = b.Close()
		}
		wantKErr(t, tc.name, err, sarama.ErrSASLAuthenticationFailed)
	}
}
