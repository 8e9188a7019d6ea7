package integration

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/model"
)

// The Kafka diagnoses of issue 10 (section 4), each against the real test
// bed. They join the fault matrix (and so the agreement run with kcat,
// kafka-python and the Java client); TestKafkaDiagnoses asserts the cause.
func init() { matrix = append(matrix, diagnosisScenarios...) }

// need skips (or, with ESMDOCTOR_REQUIRE_TESTBED=1, fails) when the running
// test bed predates the keys a scenario needs.
func (b bed) need(keys ...string) {
	b.t.Helper()
	for _, k := range keys {
		if _, ok := b.Lookup(k); ok {
			continue
		}
		if os.Getenv("ESMDOCTOR_REQUIRE_TESTBED") == "1" {
			b.t.Fatalf("the test bed state file has no %s: restart it with this tree's testbed/testbed.sh", k)
		}
		b.t.Skipf("the running test bed has no %s (started from an older tree)", k)
	}
}

// unicodeUser is the SASL_SSL SCRAM-SHA-512 configuration of a user whose
// password SASLprep would reject or rewrite, read from its secret file.
func unicodeUser(user string) func(b bed) checks.Config {
	return func(b bed) checks.Config {
		b.need("SECRETS_DIR")
		c := scramOK(b)
		path := filepath.Join(b.Get("SECRETS_DIR"), user+".json")
		data, err := os.ReadFile(path)
		if err != nil {
			b.t.Fatal(err)
		}
		c.Secret = &checks.SecretDoc{Source: path, Data: data}
		return c
	}
}

func needing(f func(b bed) checks.Config, keys ...string) func(b bed) checks.Config {
	return func(b bed) checks.Config {
		b.need(keys...)
		return f(b)
	}
}

var diagnosisScenarios = []scenario{
	// Incomplete chains, as diagnosed by issues 16 (broker) and 15 (client).
	{name: "broker-chain-incomplete", cfg: needing(func(b bed) checks.Config { return tlsOnly(b, "CHAIN_LEAF_ONLY", "CA_PEM") }, "CHAIN_LEAF_ONLY"),
		wantCheck: "tls", wantCode: "ESM-TLS-010", wantProblem: "P10b", peer: fails()},
	{name: "broker-chain-incomplete-intermediate-in-ca-file", cfg: needing(func(b bed) checks.Config {
		c := tlsOnly(b, "CHAIN_LEAF_ONLY", "CA_PEM")
		c.CA.Data = append(append(c.CA.Data, '\n'), b.file("INTER_CA_PEM")...)
		return c
	}, "CHAIN_LEAF_ONLY", "INTER_CA_PEM"), wantCheck: "topic", wantCode: "ESM-TOPIC-002", wantProblem: "P5", peer: fails()},
	{name: "mtls-client-chain-complete", cfg: needing(func(b bed) checks.Config {
		return mtls(b, "MTLS", "CLIENT_INTER_CHAIN_PEM", "CLIENT_INTER_KEY_PEM", "")
	}, "CLIENT_INTER_CHAIN_PEM"), peer: consumes()},
	{name: "mtls-client-chain-incomplete", cfg: needing(func(b bed) checks.Config {
		return mtls(b, "MTLS", "CLIENT_INTER_LEAF_PEM", "CLIENT_INTER_KEY_PEM", "")
	}, "CLIENT_INTER_LEAF_PEM"), wantCheck: "tls", wantCode: "ESM-TLS-004", wantProblem: "P10a", peer: fails()},

	// A bootstrap server that accepts TCP and never answers, beside a healthy one.
	{name: "bootstrap-silent-beside-healthy", cfg: with(scramOK, func(b bed, c *checks.Config) {
		c.Bootstrap = b.hostPorts(blackhole(b.t), b.Get("SASL_SSL"))
	}), peer: sometimesStricter("kafka-python", "kafka-python 2.0.2 bootstraps through one server picked at random: "+
		"when it picks the silent one it waits for the TLS handshake (request_timeout_ms, 11 s here) and assigns no partition within the peer's 10 s "+
		"(it consumed in one of the two full runs); the Java client (Lambda's) and librdkafka consume every time")},

	// Every ALLOW plus DENY Read on the topic.
	{name: "acl-deny-topic-read", cfg: needing(asUser("esm-deny-topic-read"), "DENY_TOPIC_READ_USERS"),
		wantCheck: "group", wantCode: "ESM-GROUP-001", wantProblem: "P5", peer: fails()},
	{name: "acl-deny-topic-read-acls-visible", cfg: needing(asUser("esm-deny-topic-read-acls"), "DESCRIBE_ACLS_USERS"),
		wantCheck: "group", wantCode: "ESM-GROUP-001", wantProblem: "P5", peer: fails()},

	// Passwords Kafka's Java client sends as they are (no SASLprep).
	{name: "scram-512-password-emoji", cfg: unicodeUser("esm-pw-emoji"), peer: consumes()},
	{name: "scram-512-password-trailing-newline", cfg: unicodeUser("esm-pw-newline"), peer: consumes()},
	{name: "scram-512-password-no-break-space", cfg: unicodeUser("esm-pw-nbsp"), peer: consumes()},
	{name: "scram-512-password-ligature", cfg: unicodeUser("esm-pw-ligature"), peer: consumes()},
}

// diagnosis is what TestKafkaDiagnoses asserts beyond the matrix verdict:
// one check's status, code and the facts its cause (and fix) must state.
type diagnosis struct {
	scenario   string
	cfg        func(b bed) checks.Config // nil: the matrix scenario's
	check      string
	status     model.Status
	code       string
	problem    catalog.ProblemID
	cause, fix []string // substrings, {KEY} replaced by the test bed's value
	notCause   []string
}

var diagnoses = []diagnosis{
	{scenario: "broker-chain-incomplete", check: "tls", status: model.Fail, code: "ESM-TLS-010", problem: "P10b",
		cause: []string{"{CHAIN_LEAF_ONLY}: the broker sent only its own certificate CN=localhost",
			"is issued by CN=esmdoctor testbed intermediate CA,O=esmdoctor testbed, which the broker did not send"},
		fix: []string{"make the broker send its full chain", "or add CN=esmdoctor testbed intermediate CA,O=esmdoctor testbed to the SERVER_ROOT_CA_CERTIFICATE secret"}},
	{scenario: "mtls-client-chain-incomplete", check: "tls", status: model.Fail, code: "ESM-TLS-004", problem: "P10a",
		cause: []string{"{MTLS}", "CN=esm-mtls-inter", "certificate_unknown",
			"the chain sent ends at CN=esm-mtls-inter, issued by CN=esmdoctor testbed intermediate CA,O=esmdoctor testbed, which the secret does not include"}},
	{scenario: "mtls-client-chain-incomplete", check: "secret", status: model.Warn, code: "ESM-SECRET-103",
		cause: []string{"certificate chain stops below a root", "CN=esm-mtls-inter"}},
	{scenario: "mtls-client-chain-complete", check: "group", status: model.Pass},
	{scenario: "bootstrap-silent-beside-healthy", check: "tls", status: model.Warn, code: "ESM-TLS-102",
		cause: []string{"accepted a TCP connection but did not answer", "1 of 2 bootstrap servers completed the TLS handshake"}},
	{scenario: "bootstrap-silent-beside-healthy", check: "poll", status: model.Pass},
	// Without TLS the silent server shows at the metadata request; the
	// verdict is the healthy broker's (ANONYMOUS has no ACLs there).
	{scenario: "bootstrap-silent-beside-healthy-plaintext", check: "topic", status: model.Fail, code: "ESM-TOPIC-002", problem: "P5",
		cfg: func(b bed) checks.Config {
			return checks.Config{Bootstrap: b.hostPorts(blackhole(b.t), b.Get("PLAINTEXT")), Topic: b.Get("TOPIC"), Auth: checks.AuthNone, ConsumerGroup: b.Get("ESM_UUID")}
		},
		cause: []string{"{PLAINTEXT}: metadata for topic {TOPIC}: Kafka error 29 TOPIC_AUTHORIZATION_FAILED for User:ANONYMOUS"}},
	{scenario: "acl-deny-topic-read", check: "group", status: model.Fail, code: "ESM-GROUP-001", problem: "P5",
		cause: []string{`User:esm-deny-topic-read is missing: Read on Topic "{TOPIC}"`},
		fix: []string{"--add --allow-principal User:esm-deny-topic-read --operation Read --topic {TOPIC}", "DENY wins over every ALLOW",
			"--list --principal User:esm-deny-topic-read"}},
	{scenario: "acl-deny-topic-read-acls-visible", check: "group", status: model.Fail, code: "ESM-GROUP-001", problem: "P5",
		cause: []string{`Read on Topic "{TOPIC}" (denied by the DENY binding (principal=User:esm-deny-topic-read-acls, host=*, operation=Read, permissionType=DENY) on Topic:LITERAL:{TOPIC}`},
		fix:   []string{"--remove --deny-principal User:esm-deny-topic-read-acls --deny-host * --operation Read --topic {TOPIC} --resource-pattern-type literal"}},
	{scenario: "acl-missing-group-read", check: "group", status: model.Fail, code: "ESM-GROUP-001", problem: "P5",
		cfg:   with(asUser("esm-no-group-read"), func(b bed, c *checks.Config) { c.ConsumerGroup = checks.PlaceholderGroup }),
		cause: []string{`Read on Group "esmdoctor-probe"`, "esmdoctor's placeholder, checked because no --consumer-group was given", "the mapping's own group is its UUID (or its ConsumerGroupId)", "--esm"},
		fix:   []string{"--group <the mapping's UUID or ConsumerGroupId>"}},
	{scenario: "acl-missing-group-read", check: "group", status: model.Fail, code: "ESM-GROUP-001", problem: "P5",
		cause: []string{`Read on Group "{ESM_UUID}"`}, notCause: []string{"placeholder"}},
	// SASLprep would refuse the first two locally and rewrite the others
	// into passwords the broker does not hold: each logs in and polls.
	{scenario: "scram-512-password-emoji", check: "sasl", status: model.Pass},
	{scenario: "scram-512-password-trailing-newline", check: "sasl", status: model.Pass},
	{scenario: "scram-512-password-no-break-space", check: "sasl", status: model.Pass},
	{scenario: "scram-512-password-ligature", check: "sasl", status: model.Pass},
	{scenario: "scram-512-password-ligature", check: "poll", status: model.Pass},
}

// TestPlaceholderGroupSaysSo: a run without the mapping's group that
// passes still says, in the group check's observations, which group was
// checked and why.
func TestPlaceholderGroupSaysSo(t *testing.T) {
	b := requireBed(t)
	c := scramOK(b)
	c.ConsumerGroup, c.Timeout = checks.PlaceholderGroup, matrixTimeout
	rs := checks.Run(context.Background(), c, nil)
	r := resultOf(rs, "group")
	if r.Status != model.Pass || len(r.Detail) == 0 || !strings.HasPrefix(r.Detail[0], "group checked: esmdoctor-probe, esmdoctor's placeholder") ||
		!strings.Contains(r.Detail[0], "the mapping's own group is its UUID or its ConsumerGroupId") {
		t.Fatalf("group %s %v\n%s", r.Status, r.Detail, dump(rs))
	}
}

// TestKafkaDiagnoses asserts, for each diagnosis, the check's status, code,
// PROBLEM text and the facts of its cause and fix.
func TestKafkaDiagnoses(t *testing.T) {
	bb := requireBed(t)
	for _, d := range diagnoses {
		t.Run(d.scenario+"/"+d.check, func(t *testing.T) {
			b := bed{Env: bb.Env, t: t}
			cfg := d.cfg
			if cfg == nil {
				cfg = scenarioNamed(t, d.scenario).cfg
			}
			c := cfg(b)
			c.Timeout = matrixTimeout
			rs := checks.Run(context.Background(), c, nil)
			r := resultOf(rs, d.check)
			if r.Status != d.status || r.Code != d.code {
				t.Fatalf("%s: %s %s, want %s %s\n%s", d.check, r.Status, r.Code, d.status, d.code, dump(rs))
			}
			if d.problem != "" {
				p, _ := r.Problem()
				want, _ := catalog.ProblemByID(d.problem)
				if p.ID != d.problem || p.Text != want.Text {
					t.Errorf("PROBLEM %s %q, want %s %q", p.ID, p.Text, d.problem, want.Text)
				}
			}
			for _, want := range d.cause {
				if w := b.expand(want); !strings.Contains(r.Cause(), w) {
					t.Errorf("cause lacks %q:\n%s", w, r.Cause())
				}
			}
			for _, not := range d.notCause {
				if strings.Contains(r.Cause(), not) {
					t.Errorf("cause has %q:\n%s", not, r.Cause())
				}
			}
			for _, want := range d.fix {
				if w := b.expand(want); !strings.Contains(r.Remediation(), w) {
					t.Errorf("fix lacks %q:\n%s", w, r.Remediation())
				}
			}
		})
	}
}

// expand replaces {KEY} by the test bed's value of KEY.
func (b bed) expand(s string) string {
	for _, k := range b.Keys() {
		s = strings.ReplaceAll(s, "{"+k+"}", b.Get(k))
	}
	return s
}

func scenarioNamed(t *testing.T, name string) scenario {
	for _, s := range matrix {
		if s.name == name {
			return s
		}
	}
	t.Fatalf("no scenario %s", name)
	return scenario{}
}
