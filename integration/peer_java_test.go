package integration

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"
)

var (
	javaOnce    sync.Once
	javaClasses string
	javaErr     error
)

// kafkaJars is the class path of the test bed's Kafka jars.
func kafkaJars(b bed) string {
	return filepath.Join(filepath.Dir(b.Path), "..", ".cache", "kafka-"+b.Get("KAFKA_VERSION"), "*")
}

// compileJavaPeer compiles peers/JavaConsume.java once per test run.
func compileJavaPeer(b bed) (string, error) {
	javaOnce.Do(func() {
		javaClasses, javaErr = os.MkdirTemp("", "esmdoctor-java-peer-")
		if javaErr != nil {
			return
		}
		out, err := exec.Command("javac", "-cp", kafkaJars(b), "-d", javaClasses, "peers/JavaConsume.java").CombinedOutput()
		if err != nil {
			javaErr = fmt.Errorf("javac: %v: %s", err, out)
		}
	})
	return javaClasses, javaErr
}

// javaProperties renders client settings as a Java consumer configuration,
// the way a Lambda poller would be configured.
func javaProperties(t *testing.T, s clientSettings) string {
	p := map[string]string{
		"bootstrap.servers": s.Bootstrap, "group.id": s.Group, "client.id": "java-peer",
		"enable.auto.commit": "false", "auto.offset.reset": "earliest", "security.protocol": s.Protocol,
		"key.deserializer":   "org.apache.kafka.common.serialization.ByteArrayDeserializer",
		"value.deserializer": "org.apache.kafka.common.serialization.ByteArrayDeserializer",
		"session.timeout.ms": "10000", "request.timeout.ms": "8000", "default.api.timeout.ms": "8000",
		"socket.connection.setup.timeout.ms": "4000", "reconnect.backoff.max.ms": "1000",
	}
	if s.CAFile != "" {
		p["ssl.truststore.type"], p["ssl.truststore.location"] = "PEM", s.CAFile
	}
	if s.CertFile != "" {
		key, _ := os.ReadFile(s.KeyFile)
		cert, _ := os.ReadFile(s.CertFile)
		p["ssl.keystore.type"] = "PEM"
		p["ssl.keystore.location"] = writeFile(t, t.TempDir(), "keystore.pem", append(append(key, '\n'), cert...))
		if s.KeyPassword != "" {
			p["ssl.key.password"] = s.KeyPassword
		}
	}
	switch s.Mechanism {
	case "PLAIN":
		p["sasl.mechanism"] = "PLAIN"
		p["sasl.jaas.config"] = fmt.Sprintf(`org.apache.kafka.common.security.plain.PlainLoginModule required username=%s password=%s;`, jaasQuote(s.Username), jaasQuote(s.Password))
	case "SCRAM-SHA-256", "SCRAM-SHA-512":
		p["sasl.mechanism"] = s.Mechanism
		p["sasl.jaas.config"] = fmt.Sprintf(`org.apache.kafka.common.security.scram.ScramLoginModule required username=%s password=%s;`, jaasQuote(s.Username), jaasQuote(s.Password))
	}
	var b strings.Builder
	for k, v := range p {
		fmt.Fprintf(&b, "%s=%s\n", k, propertiesEscape(v))
	}
	return writeFile(t, t.TempDir(), "client.properties", []byte(b.String()))
}

// jaasQuote renders s as a JAAS option value: Kafka's JaasConfig reads it
// with java.io.StreamTokenizer, which knows the escapes \\ \" \n \r \t and
// takes every other character as it is (Go's %q would write \u00a0, which
// StreamTokenizer reads as "u00a0").
func jaasQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\t", `\t`)
	return `"` + r.Replace(s) + `"`
}

// propertiesEscape escapes a value for java.util.Properties.load: a
// backslash doubled, every non-ASCII character as \uXXXX (UTF-16 units), so
// the file reads the same whatever the JVM's default charset.
func propertiesEscape(v string) string {
	var b strings.Builder
	for _, r := range v {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r < 0x80:
			b.WriteRune(r)
		default:
			for _, u := range utf16.Encode([]rune{r}) {
				fmt.Fprintf(&b, `\u%04x`, u)
			}
		}
	}
	return b.String()
}

// runJava consumes with the Java client (kafka-clients, as Lambda does).
func runJava(b bed) func(*testing.T, clientSettings) peerOutcome {
	return func(t *testing.T, s clientSettings) peerOutcome {
		classes, err := compileJavaPeer(b)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), peerTimeout+10*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, "java", "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Dlog4j.configuration=none",
			"-cp", kafkaJars(b)+string(os.PathListSeparator)+classes, "JavaConsume",
			javaProperties(t, s), s.Topic, fmt.Sprint((peerTimeout - 2*time.Second).Milliseconds()))
		var out bytes.Buffer
		cmd.Stdout = &out
		if err := cmd.Run(); err != nil {
			return peerOutcome{Peer: "java", Detail: err.Error()}
		}
		line := lastLine(out.String())
		return peerOutcome{Peer: "java", Consumed: strings.HasPrefix(line, "consumed:"), Detail: line}
	}
}
