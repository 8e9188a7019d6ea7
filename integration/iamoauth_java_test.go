package integration

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// The Java client (kafka-clients, what Lambda's pollers run) as a peer for
// IAM_OAUTHBEARER_AUTH: it logs in with the very token esmdoctor got from
// STS (OAuthBearerLoginCallbackHandler reading it from a file: Kafka's
// own way to use a token obtained elsewhere) and consumes; esmdoctor's
// verdict and the Java client's must agree. The Java client reads the
// broker's challenge, which esmdoctor's client cannot: {"status":
// "invalid_token"} for a wrong audience, as for a foreign key.
func TestIAMOAuthJavaAgreement(t *testing.T) {
	a := iamOAuthBed(t)
	role, noacl, aud := a.Get("AWS_WIF_ROLE"), a.Get("AWS_WIF_NOACL_ROLE"), a.Get("AWS_WIF_AUDIENCE")
	for _, c := range []struct {
		name, role, audience string
		esm, java            string // esmdoctor's verdict; the start of the Java peer's line
	}{{"healthy", role, aud, "pass", "consumed: assigned 3 partition(s)"},
		{"wrong audience", role, "another-cluster", "sasl ESM-SASL-030", `failed: SaslAuthenticationException: {"status":"invalid_token"}`},
		{"role without ACLs", noacl, aud, "topic ESM-TOPIC-002", "failed: TopicAuthorizationException"}} {
		t.Run(c.name, func(t *testing.T) {
			before := len(a.fake.IssuedTokens())
			rs := runAWS(t, iamOAuthCfg(a, c.role, c.audience))
			tokens := a.fake.IssuedTokens()
			if len(tokens) != before+1 {
				t.Fatalf("%d tokens issued, want 1", len(tokens)-before)
			}
			java := javaWithToken(t, a, tokens[len(tokens)-1])
			if verdictOf(rs) != c.esm || !strings.HasPrefix(java, c.java) {
				t.Fatalf("esmdoctor: %s, Java: %s; want %s and %s", verdictOf(rs), java, c.esm, c.java)
			}
		})
	}
}

// javaWithToken consumes the test bed's topic through the IAMOAUTH
// listener with the Java client and a static token; the peer's last line.
func javaWithToken(t *testing.T, a awsBed, token string) string {
	t.Helper()
	classes, err := compileJavaPeer(a.bed)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tokenURL := "file://" + writeFile(t, dir, "token.jwt", []byte(token))
	props := map[string]string{
		"bootstrap.servers": a.Get("KAFKA4_IAM_OAUTH"), "group.id": a.Get("ESM_UUID"), "client.id": "java-peer-iam-oauth",
		"enable.auto.commit": "false", "auto.offset.reset": "earliest", "security.protocol": "SASL_SSL",
		"ssl.truststore.type": "PEM", "ssl.truststore.location": a.Get("CA_PEM"), "sasl.mechanism": "OAUTHBEARER",
		"sasl.login.callback.handler.class":   "org.apache.kafka.common.security.oauthbearer.secured.OAuthBearerLoginCallbackHandler",
		"sasl.oauthbearer.token.endpoint.url": tokenURL,
		"sasl.jaas.config":                    "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;",
		"key.deserializer":                    "org.apache.kafka.common.serialization.ByteArrayDeserializer",
		"value.deserializer":                  "org.apache.kafka.common.serialization.ByteArrayDeserializer",
		"session.timeout.ms":                  "10000", "request.timeout.ms": "8000", "default.api.timeout.ms": "8000",
	}
	var b strings.Builder
	for k, v := range props {
		fmt.Fprintf(&b, "%s=%s\n", k, propertiesEscape(v))
	}
	file := writeFile(t, dir, "client.properties", []byte(b.String()))
	ctx, cancel := context.WithTimeout(context.Background(), peerTimeout+10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "java", "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Dlog4j.configuration=none",
		"-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls="+tokenURL,
		"-cp", kafkaJars(a.bed)+string(os.PathListSeparator)+classes, "JavaConsume", file, a.Get("TOPIC"), fmt.Sprint((peerTimeout - 2*time.Second).Milliseconds()))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "failed: " + err.Error()
	}
	return lastLine(out.String())
}
