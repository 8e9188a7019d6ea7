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

// peerSpec says what a real client must experience when it consumes the
// way the mapping would (same bootstrap, topic, group id and security
// settings, all derived from the scenario's checks.Config).
type peerSpec struct {
	consumes bool
	// except lists peers whose outcome differs from consumes, because
	// Lambda is stricter than they are; differs says why. Their rows are
	// reported in docs/fidelity.md but do not fail the run.
	except  map[string]bool
	differs string
	// peerStricter: the excepted peers fail where Lambda consumes.
	peerStricter bool
	// varies lists peers whose outcome is not deterministic (differs
	// says why); either outcome is accepted and reported.
	varies map[string]bool
}

func consumes() *peerSpec { return &peerSpec{consumes: true} }
func fails() *peerSpec    { return &peerSpec{consumes: false} }

// lambdaOnly marks a scenario where Lambda needs more than any plain
// consumer: every peer consumes while the mapping fails.
func lambdaOnly(why string) *peerSpec {
	return &peerSpec{consumes: true, differs: why,
		except: map[string]bool{"kcat": true, "kafka-python": true, "java": true}}
}

// opensslOnly marks a key the Java client (Lambda's) rejects while the
// OpenSSL-based clients accept it.
func opensslOnly(why string) *peerSpec {
	return &peerSpec{consumes: false, differs: why, except: map[string]bool{"kcat": true, "kafka-python": true}}
}

// sometimesStricter marks a scenario Lambda's Java client consumes and
// peer consumes only some of the time, within the peers' time budget.
func sometimesStricter(peer, why string) *peerSpec {
	return &peerSpec{consumes: true, differs: why, varies: map[string]bool{peer: true}, peerStricter: true}
}

// expect returns what peer should experience.
func (p *peerSpec) expect(peer string) bool {
	if c, ok := p.except[peer]; ok {
		return c
	}
	return p.consumes
}

// peerTimeout bounds one client run: a client that cannot reach the
// cluster retries forever, so running out of time is its failure.
const peerTimeout = 12 * time.Second

// peerOutcome is one client's result.
type peerOutcome struct {
	Peer     string
	Consumed bool
	Detail   string
}

// clientSettings is a checks.Config turned into what Kafka clients read.
type clientSettings struct {
	Bootstrap, Topic, Group, Protocol, Mechanism  string
	Username, Password, CAFile, CertFile, KeyFile string
	KeyPassword, Token                            string
}

func settingsFor(t *testing.T, cfg checks.Config) clientSettings {
	dir := t.TempDir()
	var hosts []string
	for _, hp := range cfg.Bootstrap {
		hosts = append(hosts, hp.String())
	}
	s := clientSettings{Bootstrap: strings.Join(hosts, ","), Topic: cfg.Topic, Group: cfg.ConsumerGroup,
		Protocol: "PLAINTEXT", Mechanism: cfg.Auth.Mechanism()}
	switch {
	case cfg.Auth.UsesSASL():
		s.Protocol = "SASL_SSL"
	case cfg.Auth.UsesTLS():
		s.Protocol = "SSL"
	}
	if cfg.CA != nil {
		s.CAFile = writeFile(t, dir, "ca.pem", cfg.CA.Data)
	}
	if cfg.Secret != nil {
		var doc map[string]string
		if err := json.Unmarshal(cfg.Secret.Data, &doc); err != nil {
			t.Fatal(err)
		}
		s.Username, s.Password, s.KeyPassword = doc["username"], doc["password"], doc["privateKeyPassword"]
		if doc["certificate"] != "" {
			s.CertFile = writeFile(t, dir, "cert.pem", []byte(doc["certificate"]))
			s.KeyFile = writeFile(t, dir, "key.pem", []byte(doc["privateKey"]))
		}
	}
	return s
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// runKcat consumes with kcat's balanced consumer (-G) until every assigned
// partition reaches its end (-e); exit 0 means it consumed.
func runKcat(t *testing.T, s clientSettings) peerOutcome {
	args := []string{"-b", s.Bootstrap, "-G", s.Group, "-e", "-q", "-f", "%o\\n",
		"-X", "auto.offset.reset=earliest", "-X", "enable.auto.commit=false", "-X", "security.protocol=" + s.Protocol,
		"-X", "session.timeout.ms=6000", "-X", "socket.timeout.ms=5000"}
	if s.Protocol != "PLAINTEXT" {
		args = append(args, "-X", "ssl.endpoint.identification.algorithm=https")
	}
	add := func(k, v string) {
		if v != "" {
			args = append(args, "-X", k+"="+v)
		}
	}
	add("ssl.ca.location", s.CAFile)
	add("ssl.certificate.location", s.CertFile)
	add("ssl.key.location", s.KeyFile)
	add("ssl.key.password", s.KeyPassword)
	add("sasl.mechanisms", s.Mechanism)
	add("sasl.username", s.Username)
	add("sasl.password", s.Password)
	args = append(args, s.Topic)
	ctx, cancel := context.WithTimeout(context.Background(), peerTimeout)
	defer cancel()
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, "kcat", args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() != nil {
		return peerOutcome{Peer: "kcat", Detail: "no consumption within " + peerTimeout.String()}
	}
	if err != nil {
		return peerOutcome{Peer: "kcat", Detail: lastLine(out.String())}
	}
	return peerOutcome{Peer: "kcat", Consumed: true, Detail: "consumed to the end of every assigned partition"}
}

// runKafkaPython consumes with kafka-python (the client of the original
// bug report) through integration/peers/kafka_python_consume.py.
func runKafkaPython(t *testing.T, s clientSettings) peerOutcome {
	spec := map[string]any{"bootstrap": strings.Split(s.Bootstrap, ","), "topic": s.Topic, "group": s.Group,
		"protocol": s.Protocol, "mechanism": s.Mechanism, "username": s.Username, "password": s.Password,
		"cafile": s.CAFile, "certfile": s.CertFile, "keyfile": s.KeyFile, "key_password": s.KeyPassword,
		"token": s.Token, "timeout": int((peerTimeout - 2*time.Second).Seconds())}
	in, _ := json.Marshal(spec)
	ctx, cancel := context.WithTimeout(context.Background(), peerTimeout+3*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/usr/bin/python3", "peers/kafka_python_consume.py")
	cmd.Stdin = bytes.NewReader(in)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return peerOutcome{Peer: "kafka-python", Detail: fmt.Sprintf("%v: %s", err, lastLine(errOut.String()))}
	}
	var res struct{ Outcome, Detail string }
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		return peerOutcome{Peer: "kafka-python", Detail: "unreadable peer output: " + lastLine(out.String())}
	}
	return peerOutcome{Peer: "kafka-python", Consumed: res.Outcome == "consumed", Detail: res.Detail}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
