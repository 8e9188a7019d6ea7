package integration

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/fixtures"
)

// The web identity token is a credential: in every format with --verbose
// (which shows everything the plain report does, and the details), in a
// healthy run and in a rejected one, neither the token nor its signature
// may reach stdout, stderr or --output-file.
func TestIAMOAuthTokenNeverShown(t *testing.T) {
	a := iamOAuthBed(t)
	args := func(audience string) []string {
		return []string{"check", "-b", a.Get("KAFKA4_IAM_OAUTH"), "--topics", a.Get("TOPIC"), "--consumer-group-id", a.Get("GROUP"),
			"--source-access-configuration", "Type=IAM_OAUTHBEARER_AUTH", "--source-access-configuration", "Type=OAUTHBEARER_AUDIENCE,URI=" + audience,
			"--ca-file", a.Get("CA_PEM"), "--role-arn", roleARN(a.Get("AWS_WIF_ROLE"))}
	}
	dir := t.TempDir()
	for _, sc := range []struct {
		name, audience string
		code           int
	}{{"accepted", a.Get("AWS_WIF_AUDIENCE"), 0}, {"rejected", "another-cluster", 1}} {
		for _, format := range []string{"text", "json", "markdown", "junit"} {
			file := filepath.Join(dir, sc.name+"-"+format+".out")
			run := append(args(sc.audience), "-o", format, "--output-file", file, "-v")
			code, out, errOut := cliRun(t, []string{"GITHUB_ACTIONS=true"}, run...)
			written, err := os.ReadFile(file)
			if err != nil || code != sc.code {
				t.Fatalf("%s -o %s: exit %d (want %d), %v\n%s%s", sc.name, format, code, sc.code, err, out, errOut)
			}
			all := out + errOut + string(written)
			if format == "text" && !strings.Contains(strings.Join(strings.Fields(all), " "), "never shown") {
				t.Errorf("%s: the run did not reach the token:\n%s", sc.name, all)
			}
			var secrets []string
			for _, tok := range a.fake.IssuedTokens() {
				secrets = append(secrets, tok, tok[strings.LastIndex(tok, ".")+1:])
			}
			if len(secrets) == 0 {
				t.Fatal("no token was issued")
			}
			for _, leak := range fixtures.SecretLeaks(all, secrets) {
				t.Errorf("%s -o %s: leaked %s", sc.name, format, leak)
			}
		}
	}
}
