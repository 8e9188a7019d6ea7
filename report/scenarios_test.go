package report

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/model"
)

// pipeline is the checks' ids and titles, in order (report/ must not
// import checks/, so they are written out).
var pipeline = [][2]string{
	{"sts", "can obtain an AWS security token"},
	{"secret", "secrets are well-formed for the auth mode"},
	{"cluster", "can read the MSK cluster's networking and bootstrap brokers"},
	{"dns", "can resolve the bootstrap brokers"},
	{"tcp", "can open TCP connections to the bootstrap brokers"},
	{"tls", "brokers complete a verified TLS handshake"},
	{"sasl", "brokers accept the SASL login"},
	{"topic", "the topic exists and is describable"},
	{"brokers", "every partition leader is reachable at its advertised address"},
	{"group", "the principal may use the mapping's consumer group"},
	{"poll", "can fetch from every partition of the topic"},
	{"lambda-endpoint", "can reach the Lambda API to invoke the function"},
}

const (
	noAWS   = "not applicable: no AWS input given (self-managed bootstrap servers, no secret ARN, no --region, --esm or --event-source-arn)"
	noMSK   = "not applicable: self-managed Kafka: no MSK cluster ARN given"
	uuid    = "0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b"
	brokerA = "b-1.kafka.example.com:9096"
)

// outcome overrides one check of a scenario.
type outcome struct {
	status model.Status
	code   string
	args   map[string]string
	reason string
	detail []string
	// interrupted marks the check that was running when the run stopped.
	interrupted bool
}

// scenario builds a self-managed SCRAM report: checks without an outcome
// pass, the AWS checks do not apply, and every check after a failure is
// skipped as the runner skips it.
func scenario(name string, over map[string]outcome) *model.Report {
	r := &model.Report{ToolName: "esmdoctor", ToolVersion: "1.2.3", StartedAt: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC),
		Target: model.Target{BootstrapServers: []string{brokerA, "b-2.kafka.example.com:9096"}, Topic: "orders", Auth: "sasl-scram-512",
			AuthReason: "inferred: the secret holds username/password", ConsumerGroup: uuid, SecretSource: "scram.json"}}
	blocked := ""
	for i, p := range pipeline {
		c := model.Result{ID: p[0], Title: p[1], Status: model.Pass, Duration: time.Duration(i+1) * time.Millisecond,
			Detail: []string{p[0] + ": observed fine"}}
		switch o, ok := over[p[0]]; {
		case ok:
			c.Status, c.Code, c.Args, c.Reason, c.Detail, c.Interrupted = o.status, o.code, o.args, o.reason, o.detail, o.interrupted
		case p[0] == "sts" || p[0] == "lambda-endpoint":
			c.Status, c.Reason, c.Detail = model.Skip, strings.SplitN(noAWS, " (", 2)[0], nil
			if p[0] == "sts" {
				c.Reason = noAWS
			}
		case p[0] == "cluster":
			c.Status, c.Reason, c.Detail = model.Skip, noMSK, nil
		case blocked != "":
			c.Status, c.Reason, c.Detail = model.Skip, blocked, nil
		}
		if c.Status == model.Skip {
			c.Duration = 0
		}
		if c.Status == model.Fail && blocked == "" {
			blocked = fmt.Sprintf("requires %s (failed: %s)", c.ID, c.Code)
		}
		r.Results = append(r.Results, c)
	}
	r.Target.Lab = name
	return r
}

func fail(code string, args map[string]string, detail ...string) outcome {
	return outcome{status: model.Fail, code: code, args: args, detail: detail}
}

// goldenScenarios are the representative runs every format is pinned on.
func goldenScenarios() map[string]*model.Report {
	interrupted := scenario("interrupted", map[string]outcome{
		"tls": {status: model.Skip, reason: "interrupted while running", interrupted: true}, "sasl": {status: model.Skip, reason: "not run: interrupted"},
		"topic": {status: model.Skip, reason: "not run: interrupted"}, "brokers": {status: model.Skip, reason: "not run: interrupted"},
		"group": {status: model.Skip, reason: "not run: interrupted"}, "poll": {status: model.Skip, reason: "not run: interrupted"},
		"lambda-endpoint": {status: model.Skip, reason: "not run: interrupted"}})
	interrupted.Interrupted = true
	return map[string]*model.Report{
		"healthy": scenario("healthy", nil),
		"secret": scenario("secret", map[string]outcome{"secret": fail("ESM-SECRET-005",
			map[string]string{"source": "mtls.json", "detail": "privateKey: encrypted with PBES2 (aes-256-cbc); Lambda accepts only PBES1 keys"})}),
		"dns": scenario("dns", map[string]outcome{"dns": fail("ESM-DNS-001",
			map[string]string{"host": "b-1.kafka.example.com", "server": "10.0.0.2:53"}, "b-1.kafka.example.com: no such host (NXDOMAIN) via 10.0.0.2:53")}),
		"tcp": scenario("tcp", map[string]outcome{"tcp": fail("ESM-TCP-002",
			map[string]string{"addr": "10.0.1.15:9096", "port": "9096", "budget": "7.5s", "ports_hint": ""},
			"10.0.1.15:9096 (b-1.kafka.example.com:9096): no answer within 7.5s")}),
		"tls": scenario("tls", map[string]outcome{"tls": fail("ESM-TLS-002",
			map[string]string{"addr": brokerA, "subject": "CN=kafka.internal", "sans": "DNS:kafka.internal, DNS:*.kafka.internal", "host": "b-1.kafka.example.com"},
			"b-1.kafka.example.com:9096: certificate CN=kafka.internal, issued by CN=Example Private CA, expires 2027-05-01")}),
		"sasl": scenario("sasl", map[string]outcome{"sasl": fail("ESM-SASL-001",
			map[string]string{"addr": brokerA, "mechanism": "SCRAM-SHA-512", "user": "lambda-esm", "kafka_code": "58",
				"kafka_error": "SASL_AUTHENTICATION_FAILED", "broker_message": ` ("Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512")`})}),
		"authz": scenario("authz", map[string]outcome{"group": fail("ESM-GROUP-001",
			map[string]string{"principal": "User:lambda-esm", "missing": `Read on Group "` + uuid + `"`,
				"acl_fix": "grant the missing ACLs (changes can take minutes to apply): kafka-acls --bootstrap-server " + brokerA +
					" --command-config admin.properties --add --allow-principal User:lambda-esm --operation Read --group " + uuid},
			"group "+uuid+": coordinator b-2.kafka.example.com:9096, state Empty, 0 member(s)", "authorized operations on the group: Describe")}),
		"aws": scenario("aws", map[string]outcome{"sts": fail("ESM-STS-005",
			map[string]string{"role": "arn:aws:iam::123456789012:role/orders-consumer", "caller": "arn:aws:iam::123456789012:user/ci",
				"api_code": "AccessDenied", "detail": "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/orders-consumer"}),
			"lambda-endpoint": {status: model.Skip, reason: "requires sts (failed: ESM-STS-005)"}}),
		"warning": scenario("warning", map[string]outcome{"poll": {status: model.Warn, code: "ESM-POLL-101",
			args: map[string]string{"topic": "orders", "partition": "2", "offset": "41", "size": "7340032"}}}),
		"interrupted": interrupted,
	}
}

var goldenExt = map[string]string{"text": "txt", "json": "json", "markdown": "md", "junit": "xml"}

// TestGoldenScenarios pins every format over the representative runs
// (go test ./report -update rewrites testdata/golden/ on purpose), checks
// that the text fits 80 columns and that every JUnit document validates.
func TestGoldenScenarios(t *testing.T) {
	for name, r := range goldenScenarios() {
		for _, format := range Names() {
			var buf bytes.Buffer
			if err := Render(&buf, format, clean(r), Options{HideDurations: format == "text"}); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("golden", name+"."+goldenExt[format]), buf.Bytes())
			switch format {
			case "text":
				if bad := overWide(buf.String(), DefaultWidth); len(bad) > 0 {
					t.Errorf("%s: text lines wider than 80 columns:\n%s", name, strings.Join(bad, "\n"))
				}
			case "junit":
				validateJUnit(t, buf.Bytes())
			}
		}
	}
}
