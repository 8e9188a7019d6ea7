package iamtoken

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-msk-iam-sasl-signer-go/signer"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// The helper must produce exactly what the real signer library produces for the same
// credentials and signing second: same parameters, same signature.
func TestMatchesSignerLibrary(t *testing.T) {
	for _, session := range []string{"", "FwoGZXIvYXdzEXAMPLE+/=token"} {
		prov := credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", session)
		tok, _, err := signer.GenerateAuthTokenFromCredentialsProvider(context.Background(), "eu-west-1", prov)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := Decode(tok)
		if err != nil {
			t.Fatal(err)
		}
		rq := ref.Query()
		at, err := time.Parse("20060102T150405Z", rq.Get("X-Amz-Date"))
		if err != nil {
			t.Fatal(err)
		}
		mine, err := GenerateParams(Params{Region: "eu-west-1", AccessKeyID: "AKIDEXAMPLE",
			SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", SessionToken: session, At: at})
		if err != nil {
			t.Fatal(err)
		}
		mu, err := Decode(mine)
		if err != nil {
			t.Fatal(err)
		}
		mq := mu.Query()
		if ref.Host != "kafka.eu-west-1.amazonaws.com" || ref.Path != "/" || ref.Scheme != "https" {
			t.Errorf("signer URL shape changed: %s", ref)
		}
		if rq.Get("User-Agent") == "" {
			t.Errorf("signer sent no User-Agent: %s", ref)
		}
		rq.Del("User-Agent")
		mq.Del("User-Agent")
		if rq.Encode() != mq.Encode() {
			t.Errorf("token mismatch (session %q)\nsigner:   %s\niamtoken: %s", session, rq.Encode(), mq.Encode())
		}
		t.Logf("signer URL: %s", ref)
	}
}
