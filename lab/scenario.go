// Package lab runs esmdoctor against in-process Kafka brokers (franz-go's
// kfake) set up to reproduce one event source mapping problem each, so the
// checks can be seen failing the way they fail in the field, without a
// cluster or an AWS account. Every scenario listens on 127.0.0.1 ephemeral
// ports and generates its certificates and passwords when it starts.
//
// kfake is not Kafka: where it behaves differently, the scenario makes it
// answer as Kafka does (a wrong SCRAM password gets SaslAuthenticate error
// 58, not a closed connection: saslreject.go), and a variant test pins
// kfake's own behaviour.
package lab

import (
	"context"
	"github.com/esmdoctor/esmdoctor/catalog"
)

// Scenario describes one lab scenario.
type Scenario struct {
	// Name is stable: it is part of the CLI contract.
	Name string
	// Summary is one line for `esmdoctor lab --list`.
	Summary string
	// ExpectCheck and ExpectCode are the first failing check id and its
	// problem code ("" for a healthy scenario).
	ExpectCheck, ExpectCode string
	// ExpectWarn lists the checks expected to warn, if any.
	ExpectWarn []string
}

// GroupID is the consumer group every scenario's mapping uses: Lambda names
// the group after the mapping's UUID.
const GroupID = "0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b"

// Topic is the topic the scenarios' clusters hold.
const Topic = "orders"

// missingTopic is the topic the unknown-topic mapping names: its ACLs were
// granted, the topic was never created.
const missingTopic = "orders-v2"

// spec is a scenario and how to bring it up.
type spec struct {
	Scenario
	up func(ctx context.Context, b *builder) error
}

// specs lists the scenarios in the order the mapping would meet their
// problems, healthy first.
var specs = []spec{
	{Scenario{Name: "healthy", Summary: "TLS with a private CA, SCRAM-SHA-512 user with exactly the ACLs a mapping needs, 3 brokers; every check passes"},
		upHealthy},
	{Scenario{Name: "pbes2-key", Summary: "mTLS secret whose private key is encrypted with PBES2 (openssl's default), which Lambda rejects",
		ExpectCheck: "secret", ExpectCode: catalog.SECRET005}, upPBES2Key},
	{Scenario{Name: "refused", Summary: "bootstrap port with nothing listening: the connection is refused",
		ExpectCheck: "tcp", ExpectCode: catalog.TCP001}, upRefused},
	{Scenario{Name: "blackhole", Summary: "bootstrap port that accepts TCP and never answers (a load balancer with no healthy target)",
		ExpectCheck: "tls", ExpectCode: catalog.TLS006}, upBlackhole},
	{Scenario{Name: "tls-to-plaintext", Summary: "mapping uses TLS against a PLAINTEXT listener",
		ExpectCheck: "tls", ExpectCode: catalog.TLS005}, upTLSToPlaintext},
	{Scenario{Name: "untrusted-ca", Summary: "SERVER_ROOT_CA_CERTIFICATE holds a CA that did not sign the broker certificate",
		ExpectCheck: "tls", ExpectCode: catalog.TLS010}, upUntrustedCA},
	{Scenario{Name: "missing-intermediate", Summary: "broker sends only its certificate, issued by an intermediate; SERVER_ROOT_CA_CERTIFICATE holds the root: Lambda's Java client never fetches the intermediate",
		ExpectCheck: "tls", ExpectCode: catalog.TLS010}, upMissingIntermediate},
	{Scenario{Name: "cn-only-name", Summary: "broker certificate names localhost only in its CN (its subjectAltName holds only an IP): Lambda's Java client falls back to the CN, so the mapping works"},
		upCNOnlyName},
	{Scenario{Name: "broker-key-usage", Summary: "broker certificate's keyUsage lacks digitalSignature: Lambda's Java client rejects it for ECDHE and TLS 1.3",
		ExpectCheck: "tls", ExpectCode: catalog.TLS018}, upBrokerKeyUsage},
	// Kafka answers a wrong SCRAM password with SaslAuthenticate error 58
	// (SASL_AUTHENTICATION_FAILED); the lab's brokers do too (kfake alone
	// would close the connection: TestVariants pins that).
	{Scenario{Name: "wrong-password", Summary: "SCRAM secret with the wrong password",
		ExpectCheck: "sasl", ExpectCode: catalog.SASL001}, upWrongPassword},
	{Scenario{Name: "unknown-topic", Summary: "mapping names a topic that was never created (the broker would auto-create it; esmdoctor never does)",
		ExpectCheck: "topic", ExpectCode: catalog.TOPIC001}, upUnknownTopic},
	{Scenario{Name: "group-acl-missing", Summary: "principal may describe the consumer group but lacks Read on it",
		ExpectCheck: "group", ExpectCode: catalog.GROUP001}, upGroupACLMissing},
}

// Scenarios returns every scenario, healthy first, then in the order the
// mapping meets their problems.
func Scenarios() []Scenario {
	out := make([]Scenario, len(specs))
	for i, s := range specs {
		out[i] = s.Scenario
		out[i].ExpectWarn = append([]string(nil), s.ExpectWarn...)
	}
	return out
}

// Lookup returns the scenario with that name.
func Lookup(name string) (Scenario, bool) {
	s, ok := lookupSpec(name)
	return s.Scenario, ok
}

func lookupSpec(name string) (spec, bool) {
	for _, s := range specs {
		if s.Name == name {
			return s, true
		}
	}
	return spec{}, false
}
