package awsfake

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// GetWebIdentityToken as the AWS SDK sees it, and the token as a JWKS
// validator sees it.

const (
	wifRole   = "arn:aws:iam::123456789012:role/esm-exec"
	wifCaller = "arn:aws:sts::123456789012:assumed-role/esm-exec/esmdoctor"
)

func newWIF(t *testing.T, endpoint func(*Fake) string) (*Fake, *sts.Client) {
	t.Helper()
	f, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	f.SetCaller("AKIDWIF", wifCaller)
	c := sts.NewFromConfig(aws.Config{Region: "eu-west-1", BaseEndpoint: aws.String(endpoint(f)),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDWIF", "secret", "")}, func(o *sts.Options) { o.RetryMaxAttempts = 1 })
	return f, c
}

func wifInput(alg string, secs int32, aud ...string) *sts.GetWebIdentityTokenInput {
	in := &sts.GetWebIdentityTokenInput{Audience: aud, SigningAlgorithm: aws.String(alg)}
	if secs > 0 {
		in.DurationSeconds = aws.Int32(secs)
	}
	return in
}

// fetchJWKS reads the fake's JWKS over HTTP, as a broker does.
func fetchJWKS(t *testing.T, f *Fake) jose.JSONWebKeySet {
	t.Helper()
	resp, err := http.Get(f.URL() + "/.well-known/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil {
		t.Fatal(err)
	}
	return set
}

func TestWebIdentityTokenVerifiesAgainstJWKS(t *testing.T) {
	f, c := newWIF(t, (*Fake).URL)
	for _, tc := range []struct {
		alg  string
		secs int32
		want time.Duration
	}{{"RS256", 0, 300 * time.Second}, {"ES384", 900, 900 * time.Second}} {
		out, err := c.GetWebIdentityToken(context.Background(), wifInput(tc.alg, tc.secs, "kafka-prod"))
		if err != nil {
			t.Fatal(err)
		}
		tok, err := jwt.ParseSigned(aws.ToString(out.WebIdentityToken), []jose.SignatureAlgorithm{jose.SignatureAlgorithm(tc.alg)})
		if err != nil {
			t.Fatal(err)
		}
		set := fetchJWKS(t, f)
		keys := set.Key(tok.Headers[0].KeyID)
		if len(keys) != 1 {
			t.Fatalf("%s: kid %q not in the JWKS (%d keys)", tc.alg, tok.Headers[0].KeyID, len(set.Keys))
		}
		var cl jwt.Claims
		if err := tok.Claims(keys[0].Key, &cl); err != nil {
			t.Fatalf("%s: signature: %v", tc.alg, err)
		}
		if err := cl.ValidateWithLeeway(jwt.Expected{Issuer: Issuer("123456789012"), Subject: wifRole, AnyAudience: jwt.Audience{"kafka-prod"}}, 0); err != nil {
			t.Fatalf("%s: claims %+v: %v", tc.alg, cl, err)
		}
		if got := cl.Expiry.Time().Sub(cl.IssuedAt.Time()); got != tc.want {
			t.Errorf("%s: lifetime %s, want %s", tc.alg, got, tc.want)
		}
		if !out.Expiration.Equal(cl.Expiry.Time()) {
			t.Errorf("%s: Expiration %s, exp %s", tc.alg, out.Expiration, cl.Expiry.Time())
		}
	}
}

func TestWebIdentityTokenKeysFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wif.pem")
	if err := GenerateWebIdentityKeys(path); err != nil {
		t.Fatal(err)
	}
	f1, _ := newWIF(t, (*Fake).URL)
	f2, _ := newWIF(t, (*Fake).URL)
	for _, f := range []*Fake{f1, f2} {
		if err := f.UseWebIdentityKeys(path); err != nil {
			t.Fatal(err)
		}
	}
	a, b := fetchJWKS(t, f1), fetchJWKS(t, f2)
	if len(a.Keys) != 2 || a.Keys[0].KeyID != b.Keys[0].KeyID || a.Keys[1].KeyID != b.Keys[1].KeyID {
		t.Fatalf("two fakes on one key file serve different JWKS: %+v / %+v", a.Keys, b.Keys)
	}
	if !a.Keys[0].IsPublic() || !a.Keys[1].IsPublic() {
		t.Fatal("the JWKS holds a private key")
	}
}

func TestWebIdentityTokenRefusals(t *testing.T) {
	cases := []struct {
		name     string
		setup    func(*Fake)
		endpoint func(*Fake) string
		in       *sts.GetWebIdentityTokenInput
		code     string
	}{
		{"global endpoint", nil, (*Fake).GlobalSTSURL, wifInput("RS256", 0, "a"), "InvalidAction"},
		{"federation disabled", func(f *Fake) { f.DisableOutboundFederation("123456789012") }, (*Fake).URL, wifInput("RS256", 0, "a"), "OutboundWebIdentityFederationDisabledException"},
		{"role may not", func(f *Fake) { f.Simulate(wifRole, Decisions{"kafka:DescribeClusterV2": "allowed"}) }, (*Fake).URL, wifInput("RS256", 0, "a"), "AccessDenied"},
		{"duration too short", nil, (*Fake).URL, wifInput("RS256", 59, "a"), "ValidationError"},
		{"duration too long", nil, (*Fake).URL, wifInput("ES384", 3601, "a"), "ValidationError"},
		{"other algorithm", nil, (*Fake).URL, wifInput("HS256", 0, "a"), "ValidationError"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, c := newWIF(t, tc.endpoint)
			if tc.setup != nil {
				tc.setup(f)
			}
			_, err := c.GetWebIdentityToken(context.Background(), tc.in)
			var ae smithy.APIError
			if !errors.As(err, &ae) || ae.ErrorCode() != tc.code {
				t.Fatalf("err = %v, want API error %s", err, tc.code)
			}
		})
	}
}

func TestWebIdentityTokenRoleAllowedByScript(t *testing.T) {
	f, c := newWIF(t, (*Fake).URL)
	f.Simulate(wifRole, Decisions{"sts:GetWebIdentityToken": "allowed"})
	if _, err := c.GetWebIdentityToken(context.Background(), wifInput("RS256", 0, "a")); err != nil {
		t.Fatal(err)
	}
}
