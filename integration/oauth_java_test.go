package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/checks"
)

// javaOAuthCases are the OAuth scenarios the Java client's own OAuth login
// (kafka-clients' OAuthBearerLoginCallbackHandler: client credentials, or
// JWT bearer with JwtBearerJwtRetriever) can express. Not here: an audience
// (Kafka's client sends none) and the secret shapes, which are Lambda's
// own rules.
var javaOAuthCases = []string{"client-credentials-healthy", "extensions-healthy", "jwt-bearer-healthy", "wrong-client-secret", "wrong-scope",
	"grant-not-allowed", "jwt-bearer-unregistered-key", "idp-untrusted-ca", "idp-private-ca-not-given", "token-url-is-a-web-page", "token-url-wrong-path",
	"expired-token", "missing-extensions", "listener-without-oauthbearer", "principal-without-acls"}

// javaSays is what the Java client's failure names for each failing case:
// the same cause esmdoctor reports (its message is read here, in a test,
// to show the two agree; esmdoctor itself never classifies by text).
var javaSays = map[string]string{
	"wrong-client-secret": "invalid_client", "wrong-scope": "invalid_scope", "grant-not-allowed": "unauthorized_client",
	"jwt-bearer-unregistered-key": "invalid_grant",
	"idp-untrusted-ca":            "PKIX path building failed", "idp-private-ca-not-given": "PKIX path building failed",
	"token-url-is-a-web-page": "Unexpected character ('<'", "token-url-wrong-path": "response code 404",
	"expired-token": "invalid_token", "missing-extensions": "extensions are invalid",
	"listener-without-oauthbearer": "not enabled in the server", "principal-without-acls": "Not authorized to access topics",
}

// TestOAuthJavaAgreement runs each expressible OAuth scenario through
// esmdoctor and through a Java consumer (kafka-clients 4.2.1, one JVM for
// every case) configured as the mapping is: both consume, or both fail,
// and for the same cause.
func TestOAuthJavaAgreement(t *testing.T) {
	b := requireBed(t)
	b.need(append(oauthKeys, "KAFKA4_VERSION")...)
	jars := filepath.Join(filepath.Dir(b.Path), "..", ".cache", "kafka-"+b.Get("KAFKA4_VERSION"), "*")
	classes := t.TempDir()
	if out, err := exec.Command("javac", "-nowarn", "-cp", jars, "-d", classes, "peers/JavaOAuthConsume.java").CombinedOutput(); err != nil {
		t.Fatalf("javac: %v\n%s", err, out)
	}
	byName := map[string]oauthScenario{}
	for _, sc := range oauthScenarios(b) {
		byName[sc.name] = sc
	}
	var cases, keyFiles []string
	verdicts := map[string]bool{}
	for _, name := range javaOAuthCases {
		sc, ok := byName[name]
		if !ok {
			t.Fatalf("no OAuth scenario %s", name)
		}
		cfg := sc.cfg(bed{Env: b.Env, t: t})
		cfg.Timeout = matrixTimeout
		_, failed := firstFailure(checks.Run(context.Background(), cfg, nil))
		verdicts[name] = !failed
		props, keyFile := javaOAuthProperties(t, b, cfg)
		cases = append(cases, name+"="+props)
		if keyFile != "" {
			keyFiles = append(keyFiles, keyFile)
		}
	}
	// Kafka 4 reads only the URLs and files these properties allow.
	args := append([]string{"-Xmx160m", "-XX:TieredStopAtLevel=1", "-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=" + oauthAllowedURLs(b),
		"-Dorg.apache.kafka.sasl.oauthbearer.allowed.files=" + strings.Join(keyFiles, ","),
		"-cp", jars + string(os.PathListSeparator) + classes, "JavaOAuthConsume", "10000", b.Get("TOPIC")}, cases...)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "java", args...)
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("java: %v\n%s", err, out.String())
	}
	java := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if name, outcome, ok := strings.Cut(line, "\t"); ok {
			java[name] = outcome
		}
	}
	var table strings.Builder
	fmt.Fprintf(&table, "| scenario | esmdoctor | java (kafka-clients %s) |\n|---|---|---|\n", b.Get("KAFKA4_VERSION"))
	for _, name := range javaOAuthCases {
		outcome, ok := java[name]
		if !ok {
			t.Errorf("%s: the Java peer printed nothing\n%s", name, out.String())
			continue
		}
		consumed := strings.HasPrefix(outcome, "consumed:")
		fmt.Fprintf(&table, "| %s | %s | %s |\n", name, map[bool]string{true: "consumes", false: "fails"}[verdicts[name]], outcome)
		if consumed != verdicts[name] {
			t.Errorf("%s: esmdoctor passes=%t, the Java client: %s", name, verdicts[name], outcome)
		}
		if want := javaSays[name]; want != "" && !strings.Contains(outcome, want) {
			t.Errorf("%s: the Java client failed for another cause than esmdoctor's (want %q): %s", name, want, outcome)
		}
	}
	t.Log("\n" + table.String())
}

// oauthAllowedURLs are the token URLs the scenarios use (Kafka 4 refuses
// any URL not in org.apache.kafka.sasl.oauthbearer.allowed.urls).
func oauthAllowedURLs(b bed) string {
	return strings.Join([]string{b.Get("OAUTH_TOKEN_URL"), b.Get("OAUTH_ISSUER") + "/login", b.Get("OAUTH_ISSUER") + "/oauth2/v2/token"}, ",")
}

// javaOAuthProperties configures a Java consumer as the mapping is: the
// secret's token URL, client id and secret (or, for the JWT-bearer grant,
// the private key file and the assertion's iss, sub, aud and lifetime),
// IdP CA (JAAS ssl.* options), OAUTHBEARER_SCOPE and the SASL extensions,
// the broker CA. keyFile is the private key file it names, if any.
func javaOAuthProperties(t *testing.T, b bed, cfg checks.Config) (props, keyFile string) {
	var doc map[string]string
	if err := json.Unmarshal(cfg.Secret.Data, &doc); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	jaas := []string{"org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"}
	p := map[string]string{}
	if email := doc["oauthClientEmail"]; email != "" {
		keyFile = writeFile(t, dir, "client-key.pem", []byte(doc["oauthPrivateKey"]))
		p["sasl.oauthbearer.jwt.retriever.class"] = "org.apache.kafka.common.security.oauthbearer.JwtBearerJwtRetriever"
		p["sasl.oauthbearer.assertion.private.key.file"] = keyFile
		p["sasl.oauthbearer.assertion.claim.iss"], p["sasl.oauthbearer.assertion.claim.sub"] = email, email
		p["sasl.oauthbearer.assertion.claim.aud"] = doc["oauthTokenEndpointUrl"]
		p["sasl.oauthbearer.assertion.claim.exp.seconds"] = doc["oauthTokenExpirationSeconds"]
		if o := cfg.OAuth; o != nil && o.Scope != "" {
			p["sasl.oauthbearer.scope"] = o.Scope
		}
	} else {
		jaas = append(jaas, "clientId="+jaasQuote(doc["oauthClientId"]), "clientSecret="+jaasQuote(doc["oauthClientSecret"]))
	}
	if ca := doc["oauthIdpCaCertificate"]; ca != "" {
		jaas = append(jaas, `ssl.truststore.type="PEM"`, "ssl.truststore.location="+jaasQuote(writeFile(t, dir, "idp-ca.pem", []byte(ca))))
	}
	if o := cfg.OAuth; o != nil {
		for k, v := range map[string]string{"scope": o.Scope, "extension_logicalCluster": o.LogicalCluster, "extension_identityPoolId": o.IdentityPool} {
			if v != "" {
				jaas = append(jaas, k+"="+jaasQuote(v))
			}
		}
	}
	var hosts []string
	for _, hp := range cfg.Bootstrap {
		hosts = append(hosts, hp.String())
	}
	for k, v := range map[string]string{
		"bootstrap.servers": strings.Join(hosts, ","), "group.id": cfg.ConsumerGroup, "client.id": "java-oauth-peer",
		"enable.auto.commit": "false", "auto.offset.reset": "earliest", "security.protocol": "SASL_SSL",
		"key.deserializer":   "org.apache.kafka.common.serialization.ByteArrayDeserializer",
		"value.deserializer": "org.apache.kafka.common.serialization.ByteArrayDeserializer",
		"session.timeout.ms": "10000", "request.timeout.ms": "8000", "default.api.timeout.ms": "8000",
		"socket.connection.setup.timeout.ms": "4000", "reconnect.backoff.max.ms": "1000",
		"ssl.truststore.type": "PEM", "ssl.truststore.location": writeFile(t, dir, "broker-ca.pem", cfg.CA.Data),
		"sasl.mechanism":                      "OAUTHBEARER",
		"sasl.login.callback.handler.class":   "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler",
		"sasl.oauthbearer.token.endpoint.url": doc["oauthTokenEndpointUrl"],
		"sasl.login.retry.backoff.ms":         "100", "sasl.login.retry.backoff.max.ms": "500",
		"sasl.jaas.config": strings.Join(jaas, " ") + ";",
	} {
		p[k] = v
	}
	var s strings.Builder
	for k, v := range p {
		fmt.Fprintf(&s, "%s=%s\n", k, propertiesEscape(v))
	}
	return writeFile(t, dir, "client.properties", []byte(s.String())), keyFile
}
