// Package integration runs esmdoctor's pipeline against the real test bed
// (testbed/testbed.sh up): a real Apache Kafka broker with TLS, mTLS,
// SCRAM, PLAIN, ACLs and an IAM-token listener. Without the test bed the
// tests skip, unless ESMDOCTOR_REQUIRE_TESTBED=1 (CI), where they fail.
package integration

import (
	"encoding/json"
	"net"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/IBM/sarama"
	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/fixtures"
	"github.com/esmdoctor/esmdoctor/testbed/tbenv"
)

// bed wraps the test bed's state file with helpers that build inputs.
type bed struct {
	tbenv.Env
	t testing.TB
}

func requireBed(t testing.TB) bed {
	return bed{Env: tbenv.Require(t), t: t}
}

func (b bed) hostPorts(addrs ...string) []checks.HostPort {
	hp, err := checks.ParseBootstrap("test", addrs)
	if err != nil {
		b.t.Fatal(err)
	}
	return hp
}

func (b bed) file(key string) []byte {
	data, err := os.ReadFile(b.Get(key))
	if err != nil {
		b.t.Fatalf("%s: %v", key, err)
	}
	return data
}

func (b bed) ca(key string) *checks.SecretDoc {
	return &checks.SecretDoc{Source: key, Data: b.file(key)}
}

func saslDoc(user, pass string) *checks.SecretDoc {
	data, _ := json.Marshal(map[string]string{"username": user, "password": pass})
	return &checks.SecretDoc{Source: "secret:" + user, Data: data}
}

func (b bed) mtlsDoc(certKey, keyKey, password string) *checks.SecretDoc {
	m := map[string]string{"certificate": string(b.file(certKey)), "privateKey": string(b.file(keyKey))}
	if password != "" {
		m["privateKeyPassword"] = password
	}
	data, _ := json.Marshal(m)
	return &checks.SecretDoc{Source: "secret:" + keyKey, Data: data}
}

// blackhole accepts TCP connections and never answers; closed at cleanup.
func blackhole(t testing.TB) string {
	bh, err := fixtures.NewBlackhole()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(bh.Close)
	return bh.Addr()
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t testing.TB) string {
	port, err := fixtures.ClosedPort()
	if err != nil {
		t.Fatal(err)
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
}

// adminConfig is a sarama configuration for the test bed's admin listener
// (SASL_PLAINTEXT, PLAIN, the super user), for test setup and inspection.
func (b bed) adminConfig() *sarama.Config {
	cfg := sarama.NewConfig()
	cfg.Version = sarama.V2_8_0_0
	cfg.Net.DialTimeout, cfg.Net.ReadTimeout = 3*time.Second, 10*time.Second
	cfg.Net.SASL.Enable, cfg.Net.SASL.Mechanism = true, sarama.SASLTypePlaintext
	cfg.Net.SASL.User, cfg.Net.SASL.Password = b.Get("ADMIN_USER"), b.Get("ADMIN_PASSWORD")
	return cfg
}
