package lab

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/fixtures"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Variants of the scenarios that are not part of the CLI's list but pin
// how the checks read real TLS behaviour (kfake's TLS is crypto/tls with
// the lab's configuration) and kfake's own quirks.

func TestVariants(t *testing.T) {
	cases := []struct {
		spec      spec
		timeout   time.Duration
		check     string // first failing check, "" when all pass
		code      string
		detailHas string // a detail line of "secret"
		missing   string // the failing group check's missing ACLs
	}{
		{spec: spec{Scenario{Name: "mtls-pbes1"}, func(ctx context.Context, b *builder) error { return upMTLS(ctx, b, fixtures.EncryptPKCS8PBES1) }},
			detailHas: "key PBES1 (pbeWithSHAAnd3-KeyTripleDES-CBC)"},
		// TLS 1.3: the client's handshake completes, the broker's
		// certificate_required alert arrives on the first read.
		{spec: spec{Scenario{Name: "mtls-no-client-cert"}, upMTLSWithout},
			check: "tls", code: "ESM-TLS-007"},
		{spec: spec{Scenario{Name: "mtls-foreign-client-cert"}, upMTLSForeign},
			check: "tls", code: "ESM-TLS-004"},
		// kfake checks Describe on the group in FindCoordinator, as Kafka does.
		{spec: spec{Scenario{Name: "group-describe-missing"}, upACLs(withoutACL(kmsg.ACLResourceTypeGroup, kmsg.ACLOperationDescribe))},
			check: "group", code: "ESM-GROUP-001", missing: `Describe on Group "` + GroupID + `", Read on Group "` + GroupID + `"`},
		// kfake checks DescribeConfigs on the cluster for the default
		// broker resource (name ""), as Kafka does.
		{spec: spec{Scenario{Name: "cluster-describeconfigs-missing"}, upACLs(withoutACL(kmsg.ACLResourceTypeCluster, kmsg.ACLOperationDescribeConfigs))},
			check: "group", code: "ESM-GROUP-001", missing: "DescribeConfigs on Cluster"},
		{spec: spec{Scenario{Name: "topic-describe-missing"}, upACLs(withoutACL(kmsg.ACLResourceTypeTopic, kmsg.ACLOperationDescribe))},
			check: "topic", code: "ESM-TOPIC-002"},
		// The topic's authorized operations (KIP-430) show Read missing
		// before any fetch; the group check reports every missing ACL.
		{spec: spec{Scenario{Name: "topic-read-missing"}, upACLs(withoutACL(kmsg.ACLResourceTypeTopic, kmsg.ACLOperationRead))},
			check: "group", code: "ESM-GROUP-001", missing: `Read on Topic "orders"`},
		// Without the lab's request-size guard, kfake waits for the ~370 MB
		// "request" a ClientHello announces, so the handshake times out
		// where Kafka would drop the connection (ESM-TLS-005).
		{spec: spec{Scenario{Name: "tls-to-raw-kfake"}, upTLSToUnguardedKfake}, timeout: checks.MinTimeout,
			check: "tls", code: "ESM-TLS-006"},
		// Raw kfake closes the connection on a wrong SCRAM password (Kafka
		// answers error 58): esmdoctor reads the close as ESM-SASL-003. The
		// wrong-password scenario makes kfake answer as Kafka does.
		{spec: spec{Scenario{Name: "wrong-password-raw-kfake"}, upWrongPasswordRawKfake},
			check: "sasl", code: "ESM-SASL-003"},
	}
	for _, c := range cases {
		t.Run(c.spec.Name, func(t *testing.T) {
			t.Parallel()
			l, err := startSpec(context.Background(), c.spec)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			cfg := l.Config
			cfg.Timeout = runTimeout
			if c.timeout != 0 {
				cfg.Timeout = c.timeout
			}
			res := checks.Run(context.Background(), cfg, nil)
			first, failed := (&model.Report{Results: res}).FirstFailure()
			if first.ID != c.check || first.Code != c.code || failed != (c.check != "") {
				t.Fatalf("first failure %q %q, want %q %q\n%s", first.ID, first.Code, c.check, c.code, dump(res))
			}
			if c.check == "" {
				for _, r := range res {
					if r.Status == model.Warn {
						t.Errorf("%s warns %s", r.ID, r.Code)
					}
				}
			}
			if c.missing != "" && !seen(res, "group", "missing", c.missing) {
				t.Errorf("group: missing %q, want %q", find(res, "group").Args["missing"], c.missing)
			}
			if c.detailHas != "" && !seen(res, "secret", "", c.detailHas) {
				t.Errorf("secret detail lacks %q\n%s", c.detailHas, dump(res))
			}
		})
	}
}

// upACLs is healthy with the mapping's ACLs passed through keep.
func upACLs(keep func([]kfake.ACL) []kfake.ACL) func(context.Context, *builder) error {
	return func(ctx context.Context, b *builder) error {
		hp, err := b.kafka(ctx, clusterSpec{tls: true, sasl: true, userACLs: keep(mappingACLs(Topic, GroupID, true))})
		if err != nil {
			return err
		}
		b.scramConfig(hp, Topic, b.user.pass, b.ca)
		return nil
	}
}

// withoutACL drops the ACLs on resource type res granting op, and every
// ACL on that resource type that implies op (Read implies Describe).
func withoutACL(res kmsg.ACLResourceType, op kmsg.ACLOperation) func([]kfake.ACL) []kfake.ACL {
	return func(acls []kfake.ACL) []kfake.ACL {
		return slices.DeleteFunc(acls, func(a kfake.ACL) bool {
			return a.Resource == res && (a.Operation == op || op == kmsg.ACLOperationDescribe && a.Operation == kmsg.ACLOperationRead)
		})
	}
}

// upMTLSWithout is the mTLS cluster with a mapping that sends no client
// certificate (TLS with only a root CA secret).
func upMTLSWithout(ctx context.Context, b *builder) error {
	if err := upMTLS(ctx, b, fixtures.EncryptPKCS8PBES1); err != nil {
		return err
	}
	b.lab.Config.Auth, b.lab.Config.Secret = checks.AuthTLS, nil
	return nil
}

// upMTLSForeign gives the mapping a client certificate from a CA the
// brokers do not trust.
func upMTLSForeign(ctx context.Context, b *builder) error {
	if err := upMTLS(ctx, b, fixtures.EncryptPKCS8PBES1); err != nil {
		return err
	}
	other, err := fixtures.NewCA("esmdoctor lab other CA")
	if err != nil {
		return err
	}
	certPEM, keyPEM, err := issueClient(other, b.user.name)
	if err != nil {
		return err
	}
	b.lab.addSecrets(string(keyPEM))
	b.lab.Config.Secret.Data = fixtures.MTLSSecret(append(certPEM, other.CertPEM...), keyPEM, "")
	return nil
}

// upTLSToUnguardedKfake is tls-to-plaintext without the request-size guard.
func upTLSToUnguardedKfake(ctx context.Context, b *builder) error {
	hp, err := b.kafka(ctx, clusterSpec{})
	if err != nil {
		return err
	}
	b.lab.Config = checks.Config{Bootstrap: hp, Topic: Topic, Auth: checks.AuthTLS,
		CA: b.rootCA(b.ca), CAIsSecret: true, ConsumerGroup: GroupID}
	return nil
}

// upWrongPasswordRawKfake is the wrong-password scenario without the
// interception that makes kfake answer as Kafka does.
func upWrongPasswordRawKfake(ctx context.Context, b *builder) error {
	hp, err := b.kafka(ctx, clusterSpec{tls: true, sasl: true, userACLs: mappingACLs(Topic, GroupID, true)})
	if err != nil {
		return err
	}
	wrong := newPassword()
	b.lab.addSecrets(wrong)
	b.scramConfig(hp, Topic, wrong, b.ca)
	return nil
}
