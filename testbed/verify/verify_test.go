// Package verify proves, against the running test bed, what a real Kafka 3.9 broker
// answers in every situation esmdoctor must diagnose, with sarama as the client. Each
// test logs the observed error so `go test -v ./testbed/verify` doubles as the record
// quoted in testbed/README.md. Tests skip when the test bed is down
// (ESMDOCTOR_REQUIRE_TESTBED=1 makes them fail instead).
package verify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/IBM/sarama"
	"github.com/aws/aws-msk-iam-sasl-signer-go/signer"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/testbed/iamtoken"
	"github.com/esmdoctor/esmdoctor/testbed/tbenv"
)

type client struct {
	t   *testing.T
	env tbenv.Env
	cfg *sarama.Config
}

func newClient(t *testing.T) *client {
	env := tbenv.Require(t)
	cfg := sarama.NewConfig()
	cfg.ClientID = "esmdoctor-testbed-verify"
	cfg.Version = sarama.V3_9_0_0
	cfg.Net.DialTimeout = 5 * time.Second
	cfg.Net.ReadTimeout = 10 * time.Second
	cfg.Net.WriteTimeout = 10 * time.Second
	return &client{t: t, env: env, cfg: cfg}
}

func (c *client) tls(caKey string) *client {
	pool := x509.NewCertPool()
	pem, err := os.ReadFile(c.env.Get(caKey))
	if err != nil {
		c.t.Fatal(err)
	}
	pool.AppendCertsFromPEM(pem)
	c.cfg.Net.TLS.Enable = true
	c.cfg.Net.TLS.Config = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return c
}

func (c *client) cert(certKey, keyKey string) *client {
	kp, err := tls.LoadX509KeyPair(c.env.Get(certKey), c.env.Get(keyKey))
	if err != nil {
		c.t.Fatal(err)
	}
	c.cfg.Net.TLS.Config.Certificates = []tls.Certificate{kp}
	return c
}

func (c *client) scram(mech sarama.SASLMechanism, user, pass string) *client {
	c.cfg.Net.SASL.Enable = true
	c.cfg.Net.SASL.Mechanism = mech
	c.cfg.Net.SASL.User, c.cfg.Net.SASL.Password = user, pass
	c.cfg.Net.SASL.SCRAMClientGeneratorFunc = checks.SCRAMClientGenerator(mech)
	return c
}

type staticToken string

func (s staticToken) Token() (*sarama.AccessToken, error) {
	return &sarama.AccessToken{Token: string(s)}, nil
}

func (c *client) oauth(token string) *client {
	c.cfg.Net.SASL.Enable = true
	c.cfg.Net.SASL.Mechanism = sarama.SASLTypeOAuth
	c.cfg.Net.SASL.TokenProvider = staticToken(token)
	return c
}

// connect opens one connection to the address under key (or a literal host:port) and
// returns it with the connection/authentication error.
func (c *client) connect(addrKey string) (*sarama.Broker, error) {
	addr := c.env.Get(addrKey)
	if addr == "" {
		addr = addrKey
	}
	b := sarama.NewBroker(addr)
	if err := b.Open(c.cfg); err != nil {
		return b, err
	}
	ok, err := b.Connected()
	if err == nil && !ok {
		err = errors.New("not connected")
	}
	if err == nil && !c.cfg.Net.SASL.Enable {
		// Without SASL nothing has crossed the wire yet (TLS handshakes lazily): send ApiVersions.
		_, err = b.ApiVersions(&sarama.ApiVersionsRequest{Version: 0})
	}
	if err != nil {
		_ = b.Close()
	}
	return b, err
}

// metadata connects and asks for the named topics; it returns the per-topic errors.
func (c *client) metadata(addrKey string, topics ...string) (map[string]sarama.KError, *sarama.MetadataResponse, error) {
	b, err := c.connect(addrKey)
	if err != nil {
		return nil, nil, err
	}
	defer b.Close()
	md, err := b.GetMetadata(&sarama.MetadataRequest{Version: 9, Topics: topics})
	if err != nil {
		return nil, nil, err
	}
	out := map[string]sarama.KError{}
	for _, tp := range md.Topics {
		out[tp.Name] = tp.Err
	}
	return out, md, nil
}

// isKErr reports whether err is, or wraps, the Kafka error code want (sarama wraps
// SaslAuthenticate errors as sentinelError, which errors.Is sees but errors.As does not).
func isKErr(err error, want sarama.KError) bool {
	return err != nil && errors.Is(err, want)
}

func wantKErr(t *testing.T, what string, err error, want sarama.KError) {
	t.Helper()
	if !isKErr(err, want) {
		t.Fatalf("%s: want Kafka error %d (%v), got %v", what, int16(want), want, err)
	}
	t.Logf("%s: Kafka error %d: %v", what, int16(want), err)
}

func wantErr(t *testing.T, what string, err error, substr ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: want an error, got none", what)
	}
	for _, s := range substr {
		if strings.Contains(err.Error(), s) {
			t.Logf("%s: %v", what, err)
			return
		}
	}
	t.Fatalf("%s: error %q contains none of %q", what, err, substr)
}

// ---------------------------------------------------------------- SASL/SCRAM/PLAIN

func TestSCRAMAndPLAINSucceed(t *testing.T) {
	for _, tc := range []struct {
		key, user string
		mech      sarama.SASLMechanism
	}{
		{"SASL_SSL", "esm-ok", sarama.SASLTypeSCRAMSHA512},
		{"SASL_SSL", "esm-ok-256", sarama.SASLTypeSCRAMSHA256},
		{"SASL_SSL", "esm-plain", sarama.SASLTypePlaintext},
		{"SASL_SSL_SCRAM512_ONLY", "esm-ok", sarama.SASLTypeSCRAMSHA512},
	} {
		c := newClient(t).tls("CA_PEM")
		c.scram(tc.mech, tc.user, c.env.Get("SCRAM_PASSWORD"))
		errs, _, err := c.metadata(tc.key, c.env.Get("TOPIC"))
		if err != nil || errs[c.env.Get("TOPIC")] != sarama.ErrNoError {
			t.Fatalf("%s %s %s: %v %v", tc.key, tc.mech, tc.user, err, errs)
		}
	}
}

func TestSCRAMWrongPasswordIs58(t *testing.T) {
	c := newClient(t).tls("CA_PEM").scram(sarama.SASLTypeSCRAMSHA512, "esm-ok", "wrong-password")
	_, err := c.connect("SASL_SSL")
	wantKErr(t, "SCRAM-SHA-512 wrong password", err, sarama.ErrSASLAuthenticationFailed)

	c = newClient(t).tls("CA_PEM").scram(sarama.SASLTypeSCRAMSHA512, "no-such-user", "x")
	_, err = c.connect("SASL_SSL")
	wantKErr(t, "SCRAM-SHA-512 unknown user", err, sarama.ErrSASLAuthenticationFailed)

	c = newClient(t).tls("CA_PEM").scram(sarama.SASLTypePlaintext, "esm-plain", "wrong-password")
	_, err = c.connect("SASL_SSL")
	wantKErr(t, "PLAIN wrong password", err, sarama.ErrSASLAuthenticationFailed)
}

func TestMechanismNotEnabledIs33(t *testing.T) {
	c := newClient(t).tls("CA_PEM")
	c.scram(sarama.SASLTypeSCRAMSHA256, "esm-ok-256", c.env.Get("SCRAM_PASSWORD"))
	_, err := c.connect("SASL_SSL_SCRAM512_ONLY")
	wantKErr(t, "SCRAM-SHA-256 on the SCRAM-SHA-512-only listener", err, sarama.ErrUnsupportedSASLMechanism)
}

// ---------------------------------------------------------------- authorization

func TestTopicAuthorization(t *testing.T) {
	c := newClient(t).tls("CA_PEM")
	pw := c.env.Get("SCRAM_PASSWORD")
	topic, ghost, forbidden := c.env.Get("TOPIC"), c.env.Get("MISSING_TOPIC"), c.env.Get("FORBIDDEN_TOPIC")
	for _, tc := range []struct {
		user, topic string
		want        sarama.KError
	}{
		{"esm-ok", topic, sarama.ErrNoError},
		{"esm-ok", ghost, sarama.ErrUnknownTopicOrPartition},                // missing, but Describe granted
		{"esm-ok", "never-heard-of-it", sarama.ErrTopicAuthorizationFailed}, // missing, no ACL: existence hidden
		{"esm-ok", forbidden, sarama.ErrTopicAuthorizationFailed},           // exists, no ACL
		{"esm-no-topic-read", topic, sarama.ErrNoError},                     // Describe alone: metadata fine
		{"esm-no-topic-describe", topic, sarama.ErrNoError},                 // Read implies Describe in Kafka
		{"esm-no-topic-any", topic, sarama.ErrTopicAuthorizationFailed},
		{"esm-no-topic-any", ghost, sarama.ErrTopicAuthorizationFailed},
	} {
		c := newClient(t).tls("CA_PEM").scram(sarama.SASLTypeSCRAMSHA512, tc.user, pw)
		errs, _, err := c.metadata("SASL_SSL", tc.topic)
		if err != nil {
			t.Fatalf("%s: %v", tc.user, err)
		}
		if got := errs[tc.topic]; got != tc.want {
			t.Errorf("Metadata(%s) as %s: want %d (%v), got %d (%v)", tc.topic, tc.user, int16(tc.want), tc.want, int16(got), got)
		} else {
			t.Logf("Metadata(%s) as %s: %d %v", tc.topic, tc.user, int16(got), got)
		}
	}
}

// Fetch needs Read on the topic; esm-no-topic-read has Describe only.
func TestFetchNeedsTopicRead(t *testing.T) {
	for _, tc := range []struct {
		user string
		want sarama.KError
	}{{"esm-ok", sarama.ErrNoError}, {"esm-no-topic-read", sarama.ErrTopicAuthorizationFailed}} {
		c := newClient(t).tls("CA_PEM")
		c.scram(sarama.SASLTypeSCRAMSHA512, tc.user, c.env.Get("SCRAM_PASSWORD"))
		b, err := c.connect("SASL_SSL")
		if err != nil {
			t.Fatal(err)
		}
		req := &sarama.FetchRequest{Version: 11, MaxWaitTime: 100, MinBytes: 1, MaxBytes: 1 << 20, Isolation: sarama.ReadUncommitted}
		req.AddBlock(c.env.Get("TOPIC"), 0, 0, 1<<20, -1)
		res, err := b.Fetch(req)
		_ = b.Close()
		if err != nil {
			t.Fatal(err)
		}
		got := res.GetBlock(c.env.Get("TOPIC"), 0).Err
		if got != tc.want {
			t.Errorf("Fetch as %s: want %v, got %v", tc.user, tc.want, got)
		}
		t.Logf("Fetch(%s/0) as %s: %d %v", c.env.Get("TOPIC"), tc.user, int16(got), got)
	}
}

// FindCoordinator and OffsetFetch need Describe on the group, JoinGroup needs Read.
// A first JoinGroup (v4+) without a member id answers MEMBER_ID_REQUIRED (79) when
// authorized, so nothing joins the group.
func TestGroupAuthorization(t *testing.T) {
	for _, tc := range []struct {
		user     string
		wantFind sarama.KError
		wantJoin sarama.KError
	}{
		{"esm-ok", sarama.ErrNoError, sarama.ErrMemberIdRequired},
		{"esm-no-group-describe", sarama.ErrNoError, sarama.ErrMemberIdRequired}, // Read implies Describe
		{"esm-no-group-read", sarama.ErrNoError, sarama.ErrGroupAuthorizationFailed},
		{"esm-no-group-any", sarama.ErrGroupAuthorizationFailed, sarama.ErrGroupAuthorizationFailed},
	} {
		c := newClient(t).tls("CA_PEM")
		c.scram(sarama.SASLTypeSCRAMSHA512, tc.user, c.env.Get("SCRAM_PASSWORD"))
		b, err := c.connect("SASL_SSL")
		if err != nil {
			t.Fatal(err)
		}
		group := c.env.Get("ESM_UUID")
		fc, err := b.FindCoordinator(&sarama.FindCoordinatorRequest{Version: 2, CoordinatorKey: group, CoordinatorType: sarama.CoordinatorGroup})
		if err != nil {
			t.Fatal(err)
		}
		jr := &sarama.JoinGroupRequest{Version: 5, GroupId: group, SessionTimeout: 10000, RebalanceTimeout: 10000, ProtocolType: "consumer"}
		if err := jr.AddGroupProtocolMetadata("range", &sarama.ConsumerGroupMemberMetadata{Topics: []string{c.env.Get("TOPIC")}}); err != nil {
			t.Fatal(err)
		}
		jg, err := b.JoinGroup(jr)
		_ = b.Close()
		if err != nil {
			t.Fatal(err)
		}
		if fc.Err != tc.wantFind || jg.Err != tc.wantJoin {
			t.Errorf("%s: FindCoordinator %v (want %v), JoinGroup %v (want %v)", tc.user, fc.Err, tc.wantFind, jg.Err, tc.wantJoin)
		}
		t.Logf("group %s as %s: FindCoordinator %d %v; JoinGroup %d %v", group, tc.user, int16(fc.Err), fc.Err, int16(jg.Err), jg.Err)
	}
}

func TestClusterDescribeConfigs(t *testing.T) {
	for _, tc := range []struct {
		user string
		want sarama.KError
	}{{"esm-ok", sarama.ErrNoError}, {"esm-no-cluster-describeconfigs", sarama.ErrClusterAuthorizationFailed}} {
		c := newClient(t).tls("CA_PEM")
		c.scram(sarama.SASLTypeSCRAMSHA512, tc.user, c.env.Get("SCRAM_PASSWORD"))
		b, err := c.connect("SASL_SSL")
		if err != nil {
			t.Fatal(err)
		}
		res, err := b.DescribeConfigs(&sarama.DescribeConfigsRequest{Version: 1,
			Resources: []*sarama.ConfigResource{{Type: sarama.BrokerResource, Name: "1"}}})
		_ = b.Close()
		if err != nil {
			t.Fatal(err)
		}
		got := sarama.KError(res.Resources[0].ErrorCode)
		if got != tc.want {
			t.Errorf("DescribeConfigs(broker 1) as %s: want %v, got %v (%s)", tc.user, tc.want, got, res.Resources[0].ErrorMsg)
		}
		t.Logf("DescribeConfigs(broker 1) as %s: %d %v %q", tc.user, int16(got), got, res.Resources[0].ErrorMsg)
	}
}

// ---------------------------------------------------------------- TLS and mTLS

func TestMTLS(t *testing.T) {
	c := newClient(t).tls("CA_PEM").cert("CLIENT_CERT_PEM", "CLIENT_KEY_PEM")
	errs, _, err := c.metadata("MTLS", c.env.Get("TOPIC"))
	if err != nil || errs[c.env.Get("TOPIC")] != sarama.ErrNoError {
		t.Fatalf("mTLS esm-mtls: %v %v", err, errs)
	}
	c = newClient(t).tls("CA_PEM").cert("CLIENT_NOACL_CERT_PEM", "CLIENT_NOACL_KEY_PEM")
	errs, _, err = c.metadata("MTLS", c.env.Get("TOPIC"))
	if err != nil || errs[c.env.Get("TOPIC")] != sarama.ErrTopicAuthorizationFailed {
		t.Fatalf("mTLS esm-mtls-noacl: %v %v", err, errs)
	}
	t.Logf("mTLS as esm-mtls-noacl: connects, Metadata(%s) = %v", c.env.Get("TOPIC"), errs[c.env.Get("TOPIC")])

	_, _, err = newClient(t).tls("CA_PEM").metadata("MTLS")
	wantErr(t, "mTLS listener, no client certificate", err, "certificate required", "bad certificate", "EOF", "broken pipe", "connection reset")

	_, _, err = newClient(t).tls("CA_PEM").cert("CLIENT_UNTRUSTED_CERT_PEM", "CLIENT_UNTRUSTED_KEY_PEM").metadata("MTLS")
	wantErr(t, "mTLS listener, certificate from another CA", err, "unknown certificate authority", "bad certificate", "certificate unknown", "EOF", "connection reset")

	_, _, err = newClient(t).tls("CA_PEM").cert("CLIENT_EXPIRED_CERT_PEM", "CLIENT_EXPIRED_KEY_PEM").metadata("MTLS")
	wantErr(t, "mTLS listener, expired certificate", err, "expired", "bad certificate", "unknown certificate", "EOF", "connection reset")

	// A SASL_SSL client (no client certificate) pointed at the mTLS port.
	c = newClient(t).tls("CA_PEM")
	c.scram(sarama.SASLTypeSCRAMSHA512, "esm-ok", c.env.Get("SCRAM_PASSWORD"))
	_, err = c.connect("MTLS")
	wantErr(t, "SASL_SSL client on the mTLS port", err, "certificate required", "bad certificate", "EOF", "broken pipe", "connection reset")

	// A client certificate on a server-auth-only SSL listener is simply not asked for.
	c = newClient(t).tls("CA_PEM").cert("CLIENT_CERT_PEM", "CLIENT_KEY_PEM")
	errs, _, err = c.metadata("SSL", c.env.Get("TOPIC"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("client certificate on the SSL (server-auth) listener: connects as ANONYMOUS, Metadata(%s) = %v", c.env.Get("TOPIC"), errs[c.env.Get("TOPIC")])
}

func TestServerCertificateProblems(t *testing.T) {
	_, err := newClient(t).tls("CA_PEM").connect("BADSAN")
	wantErr(t, "BADSAN listener (SAN wrong.example.com)", err, "certificate is valid for wrong.example.com")

	_, err = newClient(t).tls("OTHER_CA_PEM").connect("SSL")
	wantErr(t, "SSL listener, client trusts another CA", err, "certificate signed by unknown authority")
}

func TestWrongProtocol(t *testing.T) {
	c := newClient(t).tls("CA_PEM")
	_, _, err := c.metadata("PLAINTEXT")
	wantErr(t, "TLS client on the PLAINTEXT port", err, "EOF", "connection reset", "broken pipe", "first record does not look like a TLS handshake")

	c = newClient(t)
	_, _, err = c.metadata("SSL")
	wantErr(t, "plaintext client on the SSL port", err, "EOF", "connection reset", "broken pipe", "invalid", "too large", "malformed")

	c = newClient(t)
	c.cfg.Net.SASL.Enable, c.cfg.Net.SASL.Mechanism = true, sarama.SASLTypeSCRAMSHA512
	c.cfg.Net.SASL.User, c.cfg.Net.SASL.Password = "esm-ok", c.env.Get("SCRAM_PASSWORD")
	c.cfg.Net.SASL.SCRAMClientGeneratorFunc = checks.SCRAMClientGenerator(sarama.SASLTypeSCRAMSHA512)
	_, err = c.connect("PLAINTEXT")
	wantKErr(t, "SASL (no TLS) client on the PLAINTEXT port", err, sarama.ErrIllegalSASLState)

	// Plaintext, no SASL, on the PLAINTEXT listener: connects as ANONYMOUS, sees no topic.
	errs, md, err := newClient(t).metadata("PLAINTEXT", "orders")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("plaintext client on PLAINTEXT as ANONYMOUS: %d broker(s), Metadata(orders) = %v", len(md.Brokers), errs["orders"])
}

// ---------------------------------------------------------------- advertised listeners

func TestAdvertisedListeners(t *testing.T) {
	for _, key := range []string{"ADVERTISED_BAD", "ADVERTISED_CLOSED"} {
		c := newClient(t).tls("CA_PEM")
		c.scram(sarama.SASLTypeSCRAMSHA512, "esm-ok", c.env.Get("SCRAM_PASSWORD"))
		_, md, err := c.metadata(key, c.env.Get("TOPIC"))
		if err != nil {
			t.Fatalf("%s bootstrap: %v", key, err)
		}
		adv := md.Brokers[0].Addr()
		if adv != c.env.Get(key+"_ADVERTISED") {
			t.Fatalf("%s advertises %s, want %s", key, adv, c.env.Get(key+"_ADVERTISED"))
		}
		// Connecting to the advertised leader fails.
		_, err = c.connect(adv)
		wantErr(t, key+": bootstrap OK, advertised leader "+adv, err, "no such host", "connection refused", "server misbehaving")
	}
}

// ---------------------------------------------------------------- auto-create broker

func TestAutoCreateBroker(t *testing.T) {
	c := newClient(t)
	name := fmt.Sprintf("autocreated-%d", time.Now().UnixNano())
	b, err := c.connect("AUTOCREATE")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	md, err := b.GetMetadata(&sarama.MetadataRequest{Version: 9, Topics: []string{name}, AllowAutoTopicCreation: false})
	if err != nil {
		t.Fatal(err)
	}
	if md.Topics[0].Err != sarama.ErrUnknownTopicOrPartition {
		t.Fatalf("no-create metadata: %v", md.Topics[0].Err)
	}
	md, err = b.GetMetadata(&sarama.MetadataRequest{Version: 9, Topics: []string{name}, AllowAutoTopicCreation: true})
	if err != nil {
		t.Fatal(err)
	}
	first := md.Topics[0].Err
	// The creation is asynchronous: poll (without allowing creation) until the topic is there.
	deadline := time.Now().Add(15 * time.Second)
	for {
		md, err = b.GetMetadata(&sarama.MetadataRequest{Version: 9, Topics: []string{name}, AllowAutoTopicCreation: false})
		if err != nil {
			t.Fatal(err)
		}
		if md.Topics[0].Err == sarama.ErrNoError {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("AUTOCREATE: %s not created: %v", name, md.Topics[0].Err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("AUTOCREATE: Metadata(%s, allow_auto_topic_creation=false) = UNKNOWN_TOPIC_OR_PARTITION; with true = %d %v, then the topic exists", name, int16(first), first)
	// The main broker never auto-creates.
	c = newClient(t).tls("CA_PEM")
	c.scram(sarama.SASLTypeSCRAMSHA512, "esm-ok", c.env.Get("SCRAM_PASSWORD"))
	mb, err := c.connect("SASL_SSL")
	if err != nil {
		t.Fatal(err)
	}
	defer mb.Close()
	md, err = mb.GetMetadata(&sarama.MetadataRequest{Version: 9, Topics: []string{c.env.Get("MISSING_TOPIC")}, AllowAutoTopicCreation: true})
	if err != nil || md.Topics[0].Err != sarama.ErrUnknownTopicOrPartition {
		t.Fatalf("main broker auto-create of %s: %v %v", c.env.Get("MISSING_TOPIC"), err, md.Topics[0].Err)
	}
}

// ---------------------------------------------------------------- MSK IAM

func TestIAMRealSignerTokenAccepted(t *testing.T) {
	c := newClient(t).tls("CA_PEM")
	prov := credentials.NewStaticCredentialsProvider(c.env.Get("IAM_ACCESS_KEY_ID"), c.env.Get("IAM_SECRET_ACCESS_KEY"), "")
	tok, _, err := signer.GenerateAuthTokenFromCredentialsProvider(context.Background(), c.env.Get("IAM_REGION"), prov)
	if err != nil {
		t.Fatal(err)
	}
	errs, _, err := c.oauth(tok).metadata("IAM", c.env.Get("TOPIC"))
	if err != nil || errs[c.env.Get("TOPIC")] != sarama.ErrNoError {
		t.Fatalf("aws-msk-iam-sasl-signer-go token: %v %v", err, errs)
	}
	t.Logf("aws-msk-iam-sasl-signer-go token accepted as User:%s, Metadata(%s) OK", c.env.Get("IAM_PRINCIPAL"), c.env.Get("TOPIC"))
}

func TestIAMTokens(t *testing.T) {
	env := newClient(t).env
	region, akid, secret := env.Get("IAM_REGION"), env.Get("IAM_ACCESS_KEY_ID"), env.Get("IAM_SECRET_ACCESS_KEY")
	now := time.Now()
	type gen func() (string, error)
	for _, tc := range []struct {
		name string
		tok  gen
		ok   bool
	}{
		{"valid", func() (string, error) { return iamtoken.Generate(region, akid, secret, now) }, true},
		{"valid with session token", func() (string, error) {
			return iamtoken.GenerateParams(iamtoken.Params{Region: region, AccessKeyID: akid, SecretAccessKey: secret, SessionToken: "IQoJb3JpZ2luX2VjEXAMPLE//+=", At: now})
		}, true},
		{"signed 10 minutes ago (still valid)", func() (string, error) { return iamtoken.Generate(region, akid, secret, now.Add(-10*time.Minute)) }, true},
		{"wrong secret", func() (string, error) { return iamtoken.Generate(region, akid, secret+"x", now) }, false},
		{"expired (signed 16 minutes ago)", func() (string, error) { return iamtoken.Generate(region, akid, secret, now.Add(-16*time.Minute)) }, false},
		{"signed 10 minutes in the future", func() (string, error) { return iamtoken.Generate(region, akid, secret, now.Add(10*time.Minute)) }, false},
		{"other region", func() (string, error) { return iamtoken.Generate("eu-west-1", akid, secret, now) }, false},
		{"right host, scope for another region", func() (string, error) {
			return iamtoken.GenerateParams(iamtoken.Params{Region: "eu-west-1", Host: "kafka." + region + ".amazonaws.com", AccessKeyID: akid, SecretAccessKey: secret, At: now})
		}, false},
		{"unknown access key", func() (string, error) { return iamtoken.Generate(region, "AKIAUNKNOWNKEY000000", secret, now) }, false},
		{"other action", func() (string, error) {
			return iamtoken.GenerateParams(iamtoken.Params{Region: region, AccessKeyID: akid, SecretAccessKey: secret, At: now, Action: "kafka-cluster:ReadData"})
		}, false},
		{"not a token", func() (string, error) { return "not-a-token", nil }, false},
	} {
		tok, err := tc.tok()
		if err != nil {
			t.Fatal(err)
		}
		c := newClient(t).tls("CA_PEM").oauth(tok)
		_, err = c.connect("IAM")
		if tc.ok {
			if err != nil {
				t.Errorf("%s: want success, got %v", tc.name, err)
			}
			continue
		}
		if !isKErr(err, sarama.ErrSASLAuthenticationFailed) {
			t.Errorf("%s: want error 58, got %v", tc.name, err)
			continue
		}
		t.Logf("IAM token %s: Kafka error 58: %v", tc.name, err)
	}

	// The no-ACL key authenticates but is authorized for nothing.
	tok, err := iamtoken.Generate(region, env.Get("IAM_NOACL_ACCESS_KEY_ID"), env.Get("IAM_NOACL_SECRET_ACCESS_KEY"), now)
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t).tls("CA_PEM").oauth(tok)
	errs, _, err := c.metadata("IAM", env.Get("TOPIC"))
	if err != nil || errs[env.Get("TOPIC")] != sarama.ErrTopicAuthorizationFailed {
		t.Fatalf("no-ACL IAM key: %v %v", err, errs)
	}
	t.Logf("IAM no-ACL key: authenticates as User:%s, Metadata(%s) = %v", env.Get("IAM_NOACL_PRINCIPAL"), env.Get("TOPIC"), errs[env.Get("TOPIC")])

	// SCRAM on the IAM listener: mechanism not enabled.
	c = newClient(t).tls("CA_PEM").scram(sarama.SASLTypeSCRAMSHA512, "esm-ok", env.Get("SCRAM_PASSWORD"))
	_, err = c.connect("IAM")
	wantKErr(t, "SCRAM on the IAM listener", err, sarama.ErrUnsupportedSASLMechanism)
}
