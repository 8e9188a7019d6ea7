package integration

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/model"
)

// matrixTimeout is each scenario's --timeout; every run must end within it
// plus matrixSlack (the CLI's promise), whatever the fault.
const (
	matrixTimeout = 8 * time.Second
	matrixSlack   = time.Second
)

// scenario is one fault the test bed can produce, and the verdict esmdoctor
// must reach for it.
type scenario struct {
	name        string
	cfg         func(b bed) checks.Config
	wantCheck   string            // first failing check; "" when every check passes
	wantCode    string            // its code
	wantProblem catalog.ProblemID // the PROBLEM text Lambda shows; "" when none
	peer        *peerSpec         // how real clients express it (nil: not expressible)
}

// base returns a config for the SASL_SSL listener as esm-ok.
func scram(b bed, addr, user, pass string, auth checks.Auth) checks.Config {
	return checks.Config{Bootstrap: b.hostPorts(b.Get(addr)), Topic: b.Get("TOPIC"), Auth: auth,
		Secret: saslDoc(b.Get(user), pass), CA: b.ca("CA_PEM"), ConsumerGroup: b.Get("ESM_UUID")}
}

func scramOK(b bed) checks.Config {
	return scram(b, "SASL_SSL", "SCRAM_USER", b.Get("SCRAM_PASSWORD"), checks.AuthSCRAM512)
}

func asUser(user string) func(b bed) checks.Config {
	return func(b bed) checks.Config {
		c := scramOK(b)
		c.Secret = saslDoc(user, b.Get("SCRAM_PASSWORD"))
		return c
	}
}

func mtls(b bed, addr, certKey, keyKey, pass string) checks.Config {
	return checks.Config{Bootstrap: b.hostPorts(b.Get(addr)), Topic: b.Get("TOPIC"), Auth: checks.AuthMTLS,
		Secret: b.mtlsDoc(certKey, keyKey, pass), CA: b.ca("CA_PEM"), ConsumerGroup: b.Get("ESM_UUID")}
}

func tlsOnly(b bed, addr, caKey string) checks.Config {
	c := checks.Config{Bootstrap: b.hostPorts(b.Get(addr)), Topic: b.Get("TOPIC"), Auth: checks.AuthTLS, ConsumerGroup: b.Get("ESM_UUID")}
	if caKey != "" {
		c.CA = b.ca(caKey)
	}
	return c
}

func with(f func(b bed) checks.Config, mod func(b bed, c *checks.Config)) func(b bed) checks.Config {
	return func(b bed) checks.Config {
		c := f(b)
		mod(b, &c)
		return c
	}
}

var matrix = []scenario{
	// Healthy, one per mechanism.
	{name: "scram-512-healthy", cfg: scramOK, peer: consumes()},
	{name: "scram-256-healthy", cfg: func(b bed) checks.Config {
		return scram(b, "SASL_SSL", "SCRAM256_USER", b.Get("SCRAM_PASSWORD"), checks.AuthSCRAM256)
	}, peer: consumes()},
	{name: "plain-healthy", cfg: func(b bed) checks.Config {
		return scram(b, "SASL_SSL", "PLAIN_USER", b.Get("SCRAM_PASSWORD"), checks.AuthSASLPlain)
	}, peer: consumes()},
	{name: "mtls-healthy", cfg: func(b bed) checks.Config {
		return mtls(b, "MTLS", "CLIENT_CERT_PEM", "CLIENT_KEY_PEM", "")
	}, peer: consumes()},
	{name: "mtls-pbes1-key-healthy", cfg: func(b bed) checks.Config {
		return mtls(b, "MTLS", "CLIENT_CERT_PEM", "CLIENT_KEY_PBES1_PEM", b.Get("CLIENT_KEY_PASSWORD"))
	}, peer: consumes()},
	{name: "scram-512-custom-group-healthy", cfg: with(scramOK, func(b bed, c *checks.Config) { c.ConsumerGroup = b.Get("GROUP") }), peer: consumes()},

	// Credentials and mechanisms.
	{name: "scram-512-wrong-password", cfg: func(b bed) checks.Config {
		return scram(b, "SASL_SSL", "SCRAM_USER", "not-the-password", checks.AuthSCRAM512)
	}, wantCheck: "sasl", wantCode: "ESM-SASL-001", wantProblem: "P4", peer: fails()},
	{name: "scram-256-wrong-password", cfg: func(b bed) checks.Config {
		return scram(b, "SASL_SSL", "SCRAM256_USER", "not-the-password", checks.AuthSCRAM256)
	}, wantCheck: "sasl", wantCode: "ESM-SASL-001", wantProblem: "P4", peer: fails()},
	{name: "plain-wrong-password", cfg: func(b bed) checks.Config {
		return scram(b, "SASL_SSL", "PLAIN_USER", "not-the-password", checks.AuthSASLPlain)
	}, wantCheck: "sasl", wantCode: "ESM-SASL-001", wantProblem: "P4", peer: fails()},
	{name: "scram-512-unknown-user", cfg: asUser("nobody"), wantCheck: "sasl", wantCode: "ESM-SASL-001", wantProblem: "P4", peer: fails()},
	{name: "scram-256-user-on-512", cfg: func(b bed) checks.Config {
		return scram(b, "SASL_SSL", "SCRAM256_USER", b.Get("SCRAM_PASSWORD"), checks.AuthSCRAM512)
	}, wantCheck: "sasl", wantCode: "ESM-SASL-001", wantProblem: "P4", peer: fails()},
	{name: "plain-mechanism-not-enabled", cfg: func(b bed) checks.Config {
		return scram(b, "SASL_SSL_SCRAM512_ONLY", "PLAIN_USER", b.Get("SCRAM_PASSWORD"), checks.AuthSASLPlain)
	}, wantCheck: "sasl", wantCode: "ESM-SASL-002", wantProblem: "P4", peer: fails()},
	{name: "scram-256-mechanism-not-enabled", cfg: func(b bed) checks.Config {
		return scram(b, "SASL_SSL_SCRAM512_ONLY", "SCRAM256_USER", b.Get("SCRAM_PASSWORD"), checks.AuthSCRAM256)
	}, wantCheck: "sasl", wantCode: "ESM-SASL-002", wantProblem: "P4", peer: fails()},

	// Certificates and keys.
	{name: "mtls-pbes2-key", cfg: func(b bed) checks.Config {
		return mtls(b, "MTLS", "CLIENT_CERT_PEM", "CLIENT_KEY_PBES2_PEM", b.Get("CLIENT_KEY_PASSWORD"))
	}, wantCheck: "secret", wantCode: "ESM-SECRET-005", wantProblem: "P8",
		peer: opensslOnly("Lambda and the Java client reject PBES2 keys; OpenSSL-based clients decrypt them")},
	{name: "mtls-pbes1-wrong-key-password", cfg: func(b bed) checks.Config {
		return mtls(b, "MTLS", "CLIENT_CERT_PEM", "CLIENT_KEY_PBES1_PEM", "wrong-password")
	}, wantCheck: "secret", wantCode: "ESM-SECRET-006", wantProblem: "P8", peer: fails()},
	{name: "mtls-pkcs1-key", cfg: func(b bed) checks.Config {
		return mtls(b, "MTLS", "CLIENT_CERT_PEM", "CLIENT_PKCS1_KEY_PEM", "")
	}, wantCheck: "secret", wantCode: "ESM-SECRET-004", wantProblem: "P8",
		peer: opensslOnly("Lambda and the Java client read only PKCS#8 keys; OpenSSL-based clients also read PKCS#1")},
	{name: "mtls-expired-client-certificate", cfg: func(b bed) checks.Config {
		return mtls(b, "MTLS", "CLIENT_EXPIRED_CERT_PEM", "CLIENT_EXPIRED_KEY_PEM", "")
	}, wantCheck: "secret", wantCode: "ESM-SECRET-009", wantProblem: "P10a", peer: fails()},
	{name: "mtls-untrusted-client-certificate", cfg: func(b bed) checks.Config {
		return mtls(b, "MTLS", "CLIENT_UNTRUSTED_CERT_PEM", "CLIENT_UNTRUSTED_KEY_PEM", "")
	}, wantCheck: "tls", wantCode: "ESM-TLS-004", wantProblem: "P10a", peer: fails()},
	{name: "mtls-without-client-certificate", cfg: func(b bed) checks.Config { return tlsOnly(b, "MTLS", "CA_PEM") },
		wantCheck: "tls", wantCode: "ESM-TLS-007", wantProblem: "P10a", peer: fails()},
	{name: "mtls-certificate-to-server-auth-listener", cfg: func(b bed) checks.Config {
		return mtls(b, "SSL", "CLIENT_CERT_PEM", "CLIENT_KEY_PEM", "")
	}, wantCheck: "tls", wantCode: "ESM-TLS-009", wantProblem: "P10a", peer: fails()},
	{name: "mtls-principal-without-acls", cfg: func(b bed) checks.Config {
		return mtls(b, "MTLS", "CLIENT_NOACL_CERT_PEM", "CLIENT_NOACL_KEY_PEM", "")
	}, wantCheck: "topic", wantCode: "ESM-TOPIC-002", wantProblem: "P5", peer: fails()},
	{name: "broker-ca-untrusted", cfg: func(b bed) checks.Config { return tlsOnly(b, "SSL", "OTHER_CA_PEM") },
		wantCheck: "tls", wantCode: "ESM-TLS-001", wantProblem: "P10b", peer: fails()},
	{name: "broker-ca-missing", cfg: func(b bed) checks.Config { return tlsOnly(b, "SSL", "") },
		wantCheck: "tls", wantCode: "ESM-TLS-001", wantProblem: "P10b", peer: fails()},
	{name: "broker-certificate-wrong-san", cfg: func(b bed) checks.Config { return tlsOnly(b, "BADSAN", "CA_PEM") },
		wantCheck: "tls", wantCode: "ESM-TLS-002", wantProblem: "P10b", peer: fails()},

	// Wrong listener for the security protocol.
	{name: "tls-client-to-plaintext-port", cfg: func(b bed) checks.Config { return tlsOnly(b, "PLAINTEXT", "CA_PEM") },
		wantCheck: "tls", wantCode: "ESM-TLS-005", wantProblem: "P1", peer: fails()},
	{name: "scram-client-to-plaintext-port", cfg: with(scramOK, func(b bed, c *checks.Config) { c.Bootstrap = b.hostPorts(b.Get("PLAINTEXT")) }),
		wantCheck: "tls", wantCode: "ESM-TLS-005", wantProblem: "P1", peer: fails()},
	{name: "plaintext-client-to-tls-port", cfg: func(b bed) checks.Config {
		c := tlsOnly(b, "SSL", "")
		c.Auth = checks.AuthNone
		return c
	}, wantCheck: "topic", wantCode: "ESM-TOPIC-003", wantProblem: "P1", peer: fails()},
	{name: "scram-client-to-mtls-port", cfg: with(scramOK, func(b bed, c *checks.Config) { c.Bootstrap = b.hostPorts(b.Get("MTLS")) }),
		wantCheck: "tls", wantCode: "ESM-TLS-007", wantProblem: "P10a", peer: fails()},
	{name: "scram-client-to-ssl-port", cfg: with(scramOK, func(b bed, c *checks.Config) { c.Bootstrap = b.hostPorts(b.Get("SSL")) }),
		wantCheck: "sasl", wantCode: "ESM-SASL-006", wantProblem: "P4", peer: fails()},
	{name: "plaintext-anonymous-without-acls", cfg: func(b bed) checks.Config {
		return checks.Config{Bootstrap: b.hostPorts(b.Get("PLAINTEXT")), Topic: b.Get("TOPIC"), Auth: checks.AuthNone, ConsumerGroup: b.Get("ESM_UUID")}
	}, wantCheck: "topic", wantCode: "ESM-TOPIC-002", wantProblem: "P5", peer: fails()},

	// Authorization: each ACL the mapping needs, missing in turn.
	{name: "acl-missing-cluster-describeconfigs", cfg: asUser("esm-no-cluster-describeconfigs"), wantCheck: "group", wantCode: "ESM-GROUP-001", wantProblem: "P5",
		peer: lambdaOnly("Lambda needs DescribeConfigs on the cluster; a plain consumer does not")},
	// Kafka's authorizer implies Describe from Read: a principal with Read
	// but no explicit Describe ACL is fully authorized, for Lambda too.
	{name: "acl-group-read-implies-describe", cfg: asUser("esm-no-group-describe"), peer: consumes()},
	{name: "acl-missing-group-read", cfg: asUser("esm-no-group-read"), wantCheck: "group", wantCode: "ESM-GROUP-001", wantProblem: "P5", peer: fails()},
	{name: "acl-missing-group-all", cfg: asUser("esm-no-group-any"), wantCheck: "group", wantCode: "ESM-GROUP-001", wantProblem: "P5", peer: fails()},
	{name: "acl-topic-read-implies-describe", cfg: asUser("esm-no-topic-describe"), peer: consumes()},
	{name: "acl-missing-topic-read", cfg: asUser("esm-no-topic-read"), wantCheck: "group", wantCode: "ESM-GROUP-001", wantProblem: "P5", peer: fails()},
	{name: "acl-missing-topic-all", cfg: asUser("esm-no-topic-any"), wantCheck: "topic", wantCode: "ESM-TOPIC-002", wantProblem: "P5", peer: fails()},
	{name: "topic-unknown", cfg: with(scramOK, func(b bed, c *checks.Config) { c.Topic = b.Get("MISSING_TOPIC") }),
		wantCheck: "topic", wantCode: "ESM-TOPIC-001", peer: fails()},
	{name: "topic-forbidden", cfg: with(scramOK, func(b bed, c *checks.Config) { c.Topic = b.Get("FORBIDDEN_TOPIC") }),
		wantCheck: "topic", wantCode: "ESM-TOPIC-002", wantProblem: "P5", peer: fails()},

	// A broker that would auto-create the topic: esmdoctor must not (see
	// also TestNeverCreatesTopicOnAutoCreateBroker). No peer run: consumers
	// ask for auto-creation, so on this broker they create it and succeed.
	{name: "autocreate-broker-unknown-topic", cfg: func(b bed) checks.Config {
		return checks.Config{Bootstrap: b.hostPorts(b.Get("AUTOCREATE")), Topic: b.Get("MISSING_TOPIC"), Auth: checks.AuthNone, ConsumerGroup: b.Get("ESM_UUID")}
	}, wantCheck: "topic", wantCode: "ESM-TOPIC-001"},

	// Network.
	{name: "advertised-listener-unresolvable", cfg: with(scramOK, func(b bed, c *checks.Config) { c.Bootstrap = b.hostPorts(b.Get("ADVERTISED_BAD")) }),
		wantCheck: "brokers", wantCode: "ESM-BROKERS-001", wantProblem: "P1", peer: fails()},
	{name: "advertised-listener-closed", cfg: with(scramOK, func(b bed, c *checks.Config) { c.Bootstrap = b.hostPorts(b.Get("ADVERTISED_CLOSED")) }),
		wantCheck: "brokers", wantCode: "ESM-BROKERS-002", wantProblem: "P1", peer: fails()},
	{name: "bootstrap-refused", cfg: with(scramOK, func(b bed, c *checks.Config) { c.Bootstrap = b.hostPorts(closedPort(b.t)) }),
		wantCheck: "tcp", wantCode: "ESM-TCP-001", wantProblem: "P1", peer: fails()},
	{name: "bootstrap-nxdomain", cfg: with(scramOK, func(b bed, c *checks.Config) { c.Bootstrap = b.hostPorts("no-such-broker.invalid:9096") }),
		wantCheck: "dns", wantCode: "ESM-DNS-001", wantProblem: "P1", peer: fails()},
	{name: "bootstrap-blackholed-tls", cfg: with(scramOK, func(b bed, c *checks.Config) { c.Bootstrap = b.hostPorts(blackhole(b.t)) }),
		wantCheck: "tls", wantCode: "ESM-TLS-006", wantProblem: "P1", peer: fails()},
	{name: "bootstrap-blackholed-plaintext", cfg: func(b bed) checks.Config {
		return checks.Config{Bootstrap: b.hostPorts(blackhole(b.t)), Topic: "orders", Auth: checks.AuthNone, ConsumerGroup: "g"}
	}, wantCheck: "topic", wantCode: "ESM-TOPIC-003", wantProblem: "P1", peer: fails()},
	{name: "half-of-bootstrap-down", cfg: with(scramOK, func(b bed, c *checks.Config) {
		c.Bootstrap = b.hostPorts(b.Get("SASL_SSL"), closedPort(b.t))
	}), peer: consumes()},
}

// runScenario runs the pipeline and returns the results and elapsed time.
func runScenario(t *testing.T, b bed, sc scenario) ([]model.Result, time.Duration) {
	cfg := sc.cfg(b)
	cfg.Timeout = matrixTimeout
	start := time.Now()
	rs := checks.Run(context.Background(), cfg, nil)
	return rs, time.Since(start)
}

func TestFaultMatrix(t *testing.T) {
	b := requireBed(t)
	if len(matrix) < 30 {
		t.Fatalf("the fault matrix needs at least 30 scenarios, has %d", len(matrix))
	}
	for _, sc := range matrix {
		t.Run(sc.name, func(t *testing.T) {
			b := bed{Env: b.Env, t: t}
			rs, elapsed := runScenario(t, b, sc)
			assertVerdict(t, sc, rs)
			if elapsed > matrixTimeout+matrixSlack {
				t.Errorf("run took %s, beyond --timeout %s + %s", elapsed, matrixTimeout, matrixSlack)
			}
		})
	}
}

func assertVerdict(t *testing.T, sc scenario, rs []model.Result) {
	t.Helper()
	if got := ids(rs); got != strings.Join(checks.IDs(), " ") {
		t.Fatalf("check ids %s", got)
	}
	first, failed := firstFailure(rs)
	if !failed {
		if sc.wantCheck != "" {
			t.Fatalf("every check passed, want %s to fail with %s\n%s", sc.wantCheck, sc.wantCode, dump(rs))
		}
		return
	}
	if first.ID != sc.wantCheck || first.Code != sc.wantCode {
		t.Fatalf("first failure %s %s, want %s %s\n%s", first.ID, first.Code, sc.wantCheck, sc.wantCode, dump(rs))
	}
	p, _ := first.Problem()
	if p.ID != sc.wantProblem {
		t.Errorf("PROBLEM %q, want %q", p.ID, sc.wantProblem)
	}
	if want, _ := catalog.ProblemByID(sc.wantProblem); p.Text != want.Text {
		t.Errorf("PROBLEM text %q, want %q", p.Text, want.Text)
	}
	if strings.Contains(first.Cause(), "?") && !strings.Contains(first.Cause(), "?\"") {
		t.Errorf("cause has an unfilled placeholder: %s", first.Cause())
	}
}

func ids(rs []model.Result) string {
	var s []string
	for _, r := range rs {
		s = append(s, r.ID)
	}
	return strings.Join(s, " ")
}

func firstFailure(rs []model.Result) (model.Result, bool) {
	for _, r := range rs {
		if r.Status == model.Fail {
			return r, true
		}
	}
	return model.Result{}, false
}

func dump(rs []model.Result) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "  %-16s %-5s %-16s %s %s\n", r.ID, r.Status, r.Code, r.Reason, r.Cause())
		for _, d := range r.Detail {
			fmt.Fprintf(&b, "      %s\n", d)
		}
	}
	return b.String()
}
