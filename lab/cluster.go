package lab

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/fixtures"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/twmb/franz-go/pkg/sasl/scram"
)

// Cluster shape. Three brokers and three partitions put partition leaders
// on brokers the bootstrap list does not name, so the brokers check has to
// reach them at their advertised addresses.
const (
	numBrokers    = 3
	numPartitions = 3
	seedRecords   = 6
	// seedBudget bounds seeding the topic: kfake is in-process, so this
	// only ends a setup that went wrong.
	seedBudget = 10 * time.Second
)

// clusterSpec is the kfake cluster a scenario runs.
type clusterSpec struct {
	tls        bool
	clientCert bool // require and verify a client certificate (mTLS)
	sasl       bool // SCRAM-SHA-512 with the lab superuser and the mapping's user
	userACLs   []kfake.ACL
	autoCreate bool // the broker would auto-create topics, as Kafka does by default
	// plain guards the PLAINTEXT listener's request sizes as Kafka does
	// (not under TLS: kfake wraps ListenFn's listener in TLS, so a guard
	// there would read ciphertext).
	plain bool
	// leaf, when set, is the brokers' certificate (signed by issuer, or
	// by the lab CA) instead of the usual one naming localhost and
	// 127.0.0.1.
	leaf   *fixtures.Spec
	issuer *fixtures.Issued
}

// adminAccess is how the lab (and its tests) reach the cluster as the
// superuser.
type adminAccess struct {
	addrs []string
	tls   *tls.Config
	creds credentials
	sasl  bool
}

// kafka starts a kfake cluster with the orders topic, seeds it as the
// superuser, registers it for Close and returns the bootstrap list.
func (b *builder) kafka(ctx context.Context, cs clusterSpec) ([]checks.HostPort, error) {
	opts, adminTLS, err := b.options(cs)
	if err != nil {
		return nil, err
	}
	c, err := kfake.NewCluster(append(opts, b.extra...)...)
	if err != nil {
		return nil, fmt.Errorf("starting kfake: %w", err)
	}
	b.lab.clusters = append(b.lab.clusters, c)
	b.lab.admin = &adminAccess{addrs: c.ListenAddrs(), tls: adminTLS, creds: b.admin, sasl: cs.sasl}
	if err := b.lab.admin.seed(ctx); err != nil {
		return nil, fmt.Errorf("seeding %s: %w", Topic, err)
	}
	return bootstrap(c)
}

// options are the kfake options for cs, and the superuser's client TLS
// configuration (nil without TLS).
func (b *builder) options(cs clusterSpec) ([]kfake.Opt, *tls.Config, error) {
	opts := []kfake.Opt{kfake.NumBrokers(numBrokers), kfake.SeedTopics(numPartitions, Topic)}
	var adminTLS *tls.Config
	if cs.tls {
		srv, client, err := b.serverTLS(cs)
		if err != nil {
			return nil, nil, err
		}
		opts, adminTLS = append(opts, kfake.TLS(srv)), client
	}
	if cs.sasl {
		opts = append(opts, kfake.EnableSASL(), kfake.EnableACLs(),
			kfake.Superuser("SCRAM-SHA-512", b.admin.name, b.admin.pass),
			kfake.User("SCRAM-SHA-512", b.user.name, b.user.pass, cs.userACLs...))
	}
	if cs.autoCreate {
		opts = append(opts, kfake.AllowAutoTopicCreation())
	}
	if cs.plain {
		opts = append(opts, kfake.ListenFn(guardedListen))
	}
	return opts, adminTLS, nil
}

// serverTLS is the brokers' TLS configuration (a certificate for
// 127.0.0.1 and localhost, signed by the lab CA) and the superuser's client
// configuration: it trusts the CA and, for mTLS, presents its own client
// certificate.
func (b *builder) serverTLS(cs clusterSpec) (server, client *tls.Config, err error) {
	cert, err := b.brokerCert(cs.leaf, cs.issuer)
	if err != nil {
		return nil, nil, err
	}
	server = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	client = &tls.Config{RootCAs: b.ca.Pool(), MinVersion: tls.VersionTLS12}
	if cs.issuer != nil {
		// The superuser seeds the cluster knowing the broker's issuer; the
		// mapping (the scenario's subject) may not.
		client.RootCAs.AddCert(cs.issuer.Cert)
	}
	if !cs.clientCert {
		return server, client, nil
	}
	server.ClientAuth, server.ClientCAs = tls.RequireAndVerifyClientCert, b.ca.Pool()
	certPEM, keyPEM, err := issueClient(b.ca, b.admin.name)
	if err != nil {
		return nil, nil, err
	}
	b.lab.addSecrets(string(keyPEM))
	adminCert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, nil, err
	}
	client.Certificates = []tls.Certificate{adminCert}
	return server, client, nil
}

// brokerCert is the brokers' certificate: spec signed by issuer (the lab
// CA when nil), or the usual one for localhost and 127.0.0.1. Only the
// certificate itself is sent, never its issuers.
func (b *builder) brokerCert(spec *fixtures.Spec, issuer *fixtures.Issued) (tls.Certificate, error) {
	if spec == nil {
		cert, _, keyPEM, err := b.ca.Server("kfake broker", []string{"localhost"}, []net.IP{net.IPv4(127, 0, 0, 1)})
		b.lab.addSecrets(string(keyPEM))
		return cert, err
	}
	if issuer == nil {
		issuer = b.ca.Issued()
	}
	leaf, err := fixtures.Issue(*spec, issuer)
	if err != nil {
		return tls.Certificate{}, err
	}
	keyPEM, err := leaf.KeyPEM()
	if err != nil {
		return tls.Certificate{}, err
	}
	b.lab.addSecrets(string(keyPEM))
	return leaf.TLSCertificate(), nil
}

// issueClient issues a client certificate valid from an hour ago for a week.
func issueClient(ca *fixtures.CA, cn string) (certPEM, keyPEM []byte, err error) {
	return ca.Client(cn, time.Time{}, time.Time{})
}

// bootstrap is the first broker only: a mapping's bootstrap list rarely
// names every broker, and the others are found through metadata.
func bootstrap(c *kfake.Cluster) ([]checks.HostPort, error) {
	host, portStr, err := net.SplitHostPort(c.ListenAddrs()[0])
	if err != nil {
		return nil, err
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return nil, err
	}
	return []checks.HostPort{{Host: host, Port: port}}, nil
}

// mappingACLs are the ACLs a mapping's principal needs (esm-problems.md
// section 4): DescribeConfigs on the cluster, Describe and Read on the
// group, Describe and Read on the topic. groupRead false leaves out Read
// on the group.
func mappingACLs(topic, group string, groupRead bool) []kfake.ACL {
	acls := []kfake.ACL{
		allow(kmsg.ACLResourceTypeCluster, "kafka-cluster", kmsg.ACLOperationDescribeConfigs),
		allow(kmsg.ACLResourceTypeGroup, group, kmsg.ACLOperationDescribe),
		allow(kmsg.ACLResourceTypeTopic, topic, kmsg.ACLOperationDescribe),
		allow(kmsg.ACLResourceTypeTopic, topic, kmsg.ACLOperationRead),
	}
	if groupRead {
		acls = append(acls, allow(kmsg.ACLResourceTypeGroup, group, kmsg.ACLOperationRead))
	}
	return acls
}

func allow(res kmsg.ACLResourceType, name string, op kmsg.ACLOperation) kfake.ACL {
	return kfake.ACL{Resource: res, Name: name, Pattern: kmsg.ACLResourcePatternTypeLiteral, Operation: op, Allow: true}
}

// client opens a franz-go client as the superuser; extra options add a
// consumer group or producer settings.
func (a *adminAccess) client(extra ...kgo.Opt) (*kgo.Client, error) {
	opts := []kgo.Opt{kgo.SeedBrokers(a.addrs...), kgo.ClientID("esmdoctor-lab")}
	if a.tls != nil {
		opts = append(opts, kgo.DialTLSConfig(a.tls.Clone()))
	}
	if a.sasl {
		opts = append(opts, kgo.SASL(scram.Auth{User: a.creds.name, Pass: a.creds.pass}.AsSha512Mechanism()))
	}
	return kgo.NewClient(append(opts, extra...)...)
}

// seed produces a few records into every partition of the topic, as the
// superuser: the poll check then has something to read.
func (a *adminAccess) seed(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, seedBudget)
	defer cancel()
	cl, err := a.client(kgo.RecordPartitioner(kgo.ManualPartitioner()), kgo.DefaultProduceTopic(Topic))
	if err != nil {
		return err
	}
	defer cl.Close()
	recs := make([]*kgo.Record, seedRecords)
	for i := range recs {
		recs[i] = &kgo.Record{Partition: int32(i % numPartitions), Key: []byte(fmt.Sprintf("order-%d", i)),
			Value: []byte(fmt.Sprintf(`{"order":%d,"amount":%d}`, i, 10*(i+1)))}
	}
	return cl.ProduceSync(ctx, recs...).FirstErr()
}
