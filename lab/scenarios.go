package lab

import (
	"context"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/fixtures"
)

func upHealthy(ctx context.Context, b *builder) error {
	hp, err := b.kafka(ctx, clusterSpec{tls: true, sasl: true, userACLs: mappingACLs(Topic, GroupID, true)})
	if err != nil {
		return err
	}
	b.scramConfig(hp, Topic, b.user.pass, b.ca)
	return nil
}

func upWrongPassword(ctx context.Context, b *builder) error {
	hp, err := b.kafka(ctx, clusterSpec{tls: true, sasl: true, userACLs: mappingACLs(Topic, GroupID, true)})
	if err != nil {
		return err
	}
	wrong := newPassword()
	b.lab.addSecrets(wrong)
	b.scramConfig(hp, Topic, wrong, b.ca)
	return answerSCRAMAsKafka(b.lab.clusters[len(b.lab.clusters)-1], b.user.name, b.user.pass)
}

// upUnknownTopic grants the ACLs for a topic nobody created, on a broker
// that auto-creates topics (Kafka's default): a client that asked for
// auto-creation would create it; esmdoctor must not.
func upUnknownTopic(ctx context.Context, b *builder) error {
	acls := append(mappingACLs(missingTopic, GroupID, true), mappingACLs(Topic, GroupID, true)...)
	hp, err := b.kafka(ctx, clusterSpec{tls: true, sasl: true, autoCreate: true, userACLs: acls})
	if err != nil {
		return err
	}
	b.scramConfig(hp, missingTopic, b.user.pass, b.ca)
	return nil
}

// upGroupACLMissing grants Describe on the group but not Read. kfake
// reports KIP-430 authorized operations, so the group check sees Read
// missing without joining the group. (With Describe missing as well, the
// same check fails on FindCoordinator's GROUP_AUTHORIZATION_FAILED.)
func upGroupACLMissing(ctx context.Context, b *builder) error {
	hp, err := b.kafka(ctx, clusterSpec{tls: true, sasl: true, userACLs: mappingACLs(Topic, GroupID, false)})
	if err != nil {
		return err
	}
	b.scramConfig(hp, Topic, b.user.pass, b.ca)
	return nil
}

func upUntrustedCA(ctx context.Context, b *builder) error {
	hp, err := b.kafka(ctx, clusterSpec{tls: true, sasl: true, userACLs: mappingACLs(Topic, GroupID, true)})
	if err != nil {
		return err
	}
	other, err := fixtures.NewCA("esmdoctor lab other CA")
	if err != nil {
		return err
	}
	b.scramConfig(hp, Topic, b.user.pass, other)
	return nil
}

func upTLSToPlaintext(ctx context.Context, b *builder) error {
	hp, err := b.kafka(ctx, clusterSpec{plain: true})
	if err != nil {
		return err
	}
	b.lab.Config = checks.Config{Bootstrap: hp, Topic: Topic, Auth: checks.AuthTLS,
		AuthReason: "lab: TLS without client authentication (a SERVER_ROOT_CA_CERTIFICATE secret only)",
		CA:         b.rootCA(b.ca), CAIsSecret: true, ConsumerGroup: GroupID}
	return nil
}

func upRefused(ctx context.Context, b *builder) error {
	hp, err := refusedPort()
	if err != nil {
		return err
	}
	b.scramConfig(hp, Topic, b.user.pass, b.ca)
	return nil
}

func upBlackhole(ctx context.Context, b *builder) error {
	bh, err := fixtures.NewBlackhole()
	if err != nil {
		return err
	}
	b.lab.onClose(bh.Close)
	b.scramConfig([]checks.HostPort{{Host: "127.0.0.1", Port: bh.Port()}}, Topic, b.user.pass, b.ca)
	return nil
}

// upPBES2Key runs an mTLS cluster and a client secret whose key is
// encrypted the way `openssl pkcs8 -topk8` does by default (PBES2).
func upPBES2Key(ctx context.Context, b *builder) error {
	return upMTLS(ctx, b, fixtures.EncryptPKCS8PBES2)
}

// upMTLS runs a cluster that requires a client certificate from the lab CA
// and gives the mapping a client certificate secret whose key encrypt
// protects. kfake does not turn certificates into principals, so the
// cluster has no ACLs: the mapping's principal is User:ANONYMOUS there.
func upMTLS(ctx context.Context, b *builder, encrypt func([]byte, string) ([]byte, error)) error {
	hp, err := b.kafka(ctx, clusterSpec{tls: true, clientCert: true})
	if err != nil {
		return err
	}
	certPEM, keyPEM, err := issueClient(b.ca, b.user.name)
	if err != nil {
		return err
	}
	keyPass := newPassword()
	enc, err := encrypt(keyPEM, keyPass)
	if err != nil {
		return err
	}
	b.lab.addSecrets(string(keyPEM), string(enc), keyPass)
	chain := append(append([]byte(nil), certPEM...), b.ca.CertPEM...)
	b.lab.Config = checks.Config{Bootstrap: hp, Topic: Topic, Auth: checks.AuthMTLS,
		AuthReason: "lab: CLIENT_CERTIFICATE_TLS_AUTH secret",
		Secret:     &checks.SecretDoc{Source: b.source("secret"), Data: fixtures.MTLSSecret(chain, enc, keyPass)},
		CA:         b.rootCA(b.ca), CAIsSecret: true, ConsumerGroup: GroupID}
	return nil
}

// scramConfig points the mapping at hp with a SCRAM-SHA-512 secret for the
// lab user with password pass, trusting ca.
func (b *builder) scramConfig(hp []checks.HostPort, topic, pass string, ca *fixtures.CA) {
	b.lab.Config = checks.Config{Bootstrap: hp, Topic: topic, Auth: checks.AuthSCRAM512,
		AuthReason: "lab: SASL_SCRAM_512_AUTH secret",
		Secret:     &checks.SecretDoc{Source: b.source("secret"), Data: fixtures.SASLSecret(b.user.name, pass)},
		CA:         b.rootCA(ca), CAIsSecret: true, ConsumerGroup: GroupID}
}

// rootCA is a SERVER_ROOT_CA_CERTIFICATE secret holding ca.
func (b *builder) rootCA(ca *fixtures.CA) *checks.SecretDoc {
	return &checks.SecretDoc{Source: b.source("root CA secret"), Data: fixtures.RootCASecret(ca.CertPEM)}
}
