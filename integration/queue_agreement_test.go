package integration

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/resolve"
)

// queueCase is one Queue-mode scenario as esmdoctor and kafka-clients'
// KafkaShareConsumer (what a Queue mapping's pollers use) see it.
type queueCase struct {
	name     string
	cfg      checks.Config // esmdoctor's inputs
	props    map[string]string
	admin    string // kafka4's admin listener: set share.auto.offset.reset=earliest first
	wantCode string // esmdoctor's first failure ("" every check passes)
	wantJava string // the peer's outcome line starts with this
}

// TestQueueJavaAgreement: esmdoctor's Queue-mode verdicts agree with
// kafka-clients 4.2.1's KafkaShareConsumer on the test bed: the healthy
// share group delivers records, and each failure is the exception Lambda's
// pollers would meet.
func TestQueueJavaAgreement(t *testing.T) {
	b := requireBed(t)
	classes := compileShareConsume(t, b)
	fresh := fmt.Sprintf("%s-java-%d", b.Get("SHARE_GROUP"), time.Now().UnixNano())
	share := func(user, group string) map[string]string {
		return map[string]string{"bootstrap.servers": b.Get("KAFKA4_SHARE"), "group.id": group, "security.protocol": "SASL_SSL",
			"ssl.truststore.type": "PEM", "ssl.truststore.location": b.Get("CA_PEM"), "sasl.mechanism": "SCRAM-SHA-512",
			"sasl.jaas.config": scramJAAS(user, b.Get("SCRAM_PASSWORD"))}
	}
	old := share(b.Get("SCRAM_USER"), b.Get("GROUP"))
	old["bootstrap.servers"] = b.Get("SASL_SSL")
	tooOld := scramOK(b)
	tooOld.Kafka = resolve.KafkaConfig{ConsumptionMode: "Queue"}
	cases := []queueCase{
		{name: "healthy", cfg: queueCfg(b, b.Get("SHARE_USER"), fresh), props: share(b.Get("SHARE_USER"), fresh),
			admin: b.Get("KAFKA4_PLAINTEXT"), wantJava: "consumed: "},
		{name: "Kafka 3.9.2: too old", cfg: tooOld, props: old, wantCode: "ESM-SHARE-001",
			wantJava: "failed: UnsupportedVersionException: The cluster does not support the share group protocol"},
		{name: "share.version 0: disabled", cfg: checks.Config{Bootstrap: b.hostPorts(b.Get("KAFKA4OFF_PLAINTEXT")), Topic: b.Get("TOPIC"),
			Auth: checks.AuthNone, ConsumerGroup: b.Get("SHARE_GROUP"), Kafka: resolve.KafkaConfig{ConsumptionMode: "Queue"}},
			props: map[string]string{"bootstrap.servers": b.Get("KAFKA4OFF_PLAINTEXT"), "group.id": b.Get("SHARE_GROUP")}, wantCode: "ESM-SHARE-002",
			wantJava: "failed: UnsupportedVersionException: The cluster does not support the share group protocol"},
		{name: "share group without Read", cfg: queueCfg(b, b.Get("SHARE_NOREAD_USER"), b.Get("SHARE_GROUP")),
			props: share(b.Get("SHARE_NOREAD_USER"), b.Get("SHARE_GROUP")), wantCode: "ESM-SHARE-003",
			wantJava: "failed: GroupAuthorizationException: Not authorized to access group: " + b.Get("SHARE_GROUP")},
		{name: "a consumer group's id", cfg: queueCfg(b, b.Get("SHARE_USER"), b.Get("SHARE_STREAM_GROUP")),
			props: share(b.Get("SHARE_USER"), b.Get("SHARE_STREAM_GROUP")), wantCode: "ESM-SHARE-005",
			wantJava: "failed: GroupIdNotFoundException: "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.cfg.Timeout = queueTimeout
			rs := checks.Run(context.Background(), c.cfg, nil)
			got := ""
			if f, failed := firstFailure(rs); failed {
				got = f.Code
			}
			java := runShareConsume(t, b, classes, c)
			t.Logf("%-26s esmdoctor %-14s java %s", c.name, orPass(got), java)
			if got != c.wantCode || !strings.HasPrefix(java, c.wantJava) {
				t.Errorf("esmdoctor %q (want %q), java %q (want %q)\n%s", got, c.wantCode, java, c.wantJava, dump(rs))
			}
		})
	}
}

func orPass(code string) string {
	if code == "" {
		return "pass"
	}
	return code
}

// scramJAAS is a SCRAM login module configuration.
func scramJAAS(user, pass string) string {
	return fmt.Sprintf(`org.apache.kafka.common.security.scram.ScramLoginModule required username=%s password=%s;`, jaasQuote(user), jaasQuote(pass))
}

// kafka4Jars is the class path of kafka4's jars (kafka-clients 4.2.1).
func kafka4Jars(b bed) string {
	return filepath.Join(filepath.Dir(b.Path), "..", ".cache", "kafka-"+b.Get("KAFKA4_VERSION"), "*")
}

// compileShareConsume compiles peers/JavaShareConsume.java.
func compileShareConsume(t *testing.T, b bed) string {
	dir := t.TempDir()
	if out, err := exec.Command("javac", "-nowarn", "-cp", kafka4Jars(b), "-d", dir, "peers/JavaShareConsume.java").CombinedOutput(); err != nil {
		t.Fatalf("javac JavaShareConsume: %v: %s", err, out)
	}
	return dir
}

// runShareConsume runs the peer for one case and returns its outcome line.
func runShareConsume(t *testing.T, b bed, classes string, c queueCase) string {
	props := map[string]string{"client.id": "java-share-peer", "request.timeout.ms": "8000", "default.api.timeout.ms": "8000",
		"key.deserializer":   "org.apache.kafka.common.serialization.ByteArrayDeserializer",
		"value.deserializer": "org.apache.kafka.common.serialization.ByteArrayDeserializer"}
	for k, v := range c.props {
		props[k] = v
	}
	var p strings.Builder
	for k, v := range props {
		fmt.Fprintf(&p, "%s=%s\n", k, propertiesEscape(v))
	}
	file := writeFile(t, t.TempDir(), "share.properties", []byte(p.String()))
	ctx, cancel := context.WithTimeout(context.Background(), peerTimeout+10*time.Second)
	defer cancel()
	args := []string{"-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", kafka4Jars(b) + string(os.PathListSeparator) + classes,
		"JavaShareConsume", file, b.Get("TOPIC"), fmt.Sprint((peerTimeout - 2*time.Second).Milliseconds())}
	if c.admin != "" {
		args = append(args, c.admin)
	}
	cmd := exec.CommandContext(ctx, "java", args...)
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		return "java: " + err.Error()
	}
	return lastLine(out.String())
}
