package checks

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/probe"
)

// FuzzTokenAnswer feeds a token endpoint's answer (status, content type,
// body) to the classifier: it never panics, a failure always has a code,
// and an access token in the answer never reaches a template argument.
func FuzzTokenAnswer(f *testing.F) {
	f.Add(200, "application/json", []byte(`{"access_token":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4IiwiYXVkIjpbImEiLDJdLCJleHAiOiIxZTk5In0.c2ln","token_type":"Bearer"}`))
	f.Add(401, "application/json", []byte(`{"error":"invalid_client","error_description":"\u001b[31mno"}`))
	f.Add(400, "application/json", []byte(`{"error":["x"],"access_token":7}`))
	f.Add(200, "text/html", []byte("<html>"))
	f.Add(302, "", []byte(nil))
	f.Add(200, "application/json", []byte(`{"access_token":"a.b.c","error":"invalid_grant"}`))
	f.Fuzz(func(t *testing.T, status int, ct string, body []byte) {
		if len(body) > probe.MaxHTTPSResponse {
			body = body[:probe.MaxHTTPSResponse]
		}
		s, src := oauthState(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
		obs := probe.HTTPSObservation{Phase: probe.PhaseHTTP, Status: status, ContentType: ct, Body: body}
		tok, out, ok := classifyTokenAnswer(obs, src, s)
		if !ok {
			if out.Code == "" {
				t.Fatalf("a failure without a code: %+v", out)
			}
			var a struct {
				AccessToken string `json:"access_token"`
			}
			if json.Unmarshal(body, &a) == nil && len(a.AccessToken) >= 8 {
				for k, v := range out.Args {
					if strings.Contains(v, a.AccessToken) {
						t.Fatalf("argument %s holds the access token", k)
					}
				}
			}
			return
		}
		if tok == nil || tok.Value.IsZero() {
			t.Fatal("ok without a token")
		}
		_ = tokenVerdict(s, tok)
	})
}
