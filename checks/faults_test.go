package checks

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/fixtures"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// saslCluster starts a TLS + SCRAM-SHA-512 kfake cluster and returns it
// with a config that logs in as a superuser.
func saslCluster(t *testing.T, brokers int) (*kfake.Cluster, Config) {
	t.Helper()
	ca, err := fixtures.NewCA("faults CA")
	if err != nil {
		t.Fatal(err)
	}
	cert, _, _, err := ca.Server("localhost", []string{"localhost"}, []net.IP{net.ParseIP("127.0.0.1")})
	if err != nil {
		t.Fatal(err)
	}
	c, err := kfake.NewCluster(kfake.NumBrokers(brokers), kfake.SeedTopics(3, "orders"), kfake.EnableSASL(),
		kfake.Superuser("SCRAM-SHA-512", "esm", "faults-password"), kfake.TLS(&tls.Config{Certificates: []tls.Certificate{cert}}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	bs, err := ParseBootstrap("test", c.ListenAddrs()[:1])
	if err != nil {
		t.Fatal(err)
	}
	return c, Config{Bootstrap: bs, Topic: "orders", Auth: AuthSCRAM512, ConsumerGroup: "g", Timeout: 4 * time.Second,
		Secret: &SecretDoc{Source: "faults", Data: fixtures.SASLSecret("esm", "faults-password")},
		CA:     &SecretDoc{Source: "faults CA", Data: fixtures.RootCASecret(ca.CertPEM)}, CAIsSecret: true}
}

func first(t *testing.T, rs []model.Result) model.Result {
	t.Helper()
	for _, r := range rs {
		if r.Status == model.Fail {
			return r
		}
	}
	return model.Result{}
}

func TestFaults(t *testing.T) {
	cases := []struct {
		name      string
		arrange   func(c *kfake.Cluster)
		wantCheck string
		wantCode  string
	}{
		{"healthy", func(*kfake.Cluster) {}, "", ""},
		{"reset in the middle of SASL", func(c *kfake.Cluster) {
			c.ControlKey(int16(kmsg.SASLAuthenticate), func(kmsg.Request) (kmsg.Response, error, bool) {
				c.KeepControl()
				return nil, errors.New("drop the connection"), true
			})
		}, "sasl", "ESM-SASL-003"},
		{"no answer to SASL", func(c *kfake.Cluster) {
			c.ControlKey(int16(kmsg.SASLAuthenticate), func(kmsg.Request) (kmsg.Response, error, bool) {
				c.KeepControl()
				return nil, nil, true
			})
		}, "sasl", "ESM-SASL-004"},
		{"metadata answered after the step budget", func(c *kfake.Cluster) {
			c.ControlKey(int16(kmsg.Metadata), func(kmsg.Request) (kmsg.Response, error, bool) {
				c.KeepControl()
				c.SleepControl(func() { time.Sleep(1500 * time.Millisecond) })
				return nil, nil, false
			})
		}, "topic", "ESM-TOPIC-003"},
		{"fetch never answered", func(c *kfake.Cluster) {
			c.ControlKey(int16(kmsg.Fetch), func(kmsg.Request) (kmsg.Response, error, bool) {
				c.KeepControl()
				return nil, nil, true
			})
		}, "poll", "ESM-POLL-002"},
		{"coordinator not available", func(c *kfake.Cluster) {
			c.ControlKey(int16(kmsg.FindCoordinator), func(r kmsg.Request) (kmsg.Response, error, bool) {
				c.KeepControl()
				resp := r.ResponseKind().(*kmsg.FindCoordinatorResponse)
				resp.ErrorCode = 15
				for _, k := range r.(*kmsg.FindCoordinatorRequest).CoordinatorKeys {
					co := kmsg.NewFindCoordinatorResponseCoordinator()
					co.Key, co.ErrorCode, co.NodeID = k, 15, -1
					resp.Coordinators = append(resp.Coordinators, co)
				}
				return resp, nil, true
			})
		}, "group", "ESM-GROUP-002"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, cfg := saslCluster(t, 1)
			tc.arrange(c)
			start := time.Now()
			rs := Run(context.Background(), cfg, nil)
			if d := time.Since(start); d > cfg.Timeout+time.Second {
				t.Errorf("run took %s, over --timeout %s + 1s", d, cfg.Timeout)
			}
			f := first(t, rs)
			if f.ID != tc.wantCheck || f.Code != tc.wantCode {
				t.Fatalf("first failure %q %q, want %q %q\n%s", f.ID, f.Code, tc.wantCheck, tc.wantCode, statuses(rs))
			}
		})
	}
}

func TestHalfOfTheBrokersDown(t *testing.T) {
	_, cfg := saslCluster(t, 1)
	dead := HostPort{Host: "127.0.0.1", Port: closedPortForTest(t)}
	cfg.Bootstrap = append(cfg.Bootstrap, dead)
	rs := Run(context.Background(), cfg, nil)
	want := "mapping=skip api=pass sts=skip secret=pass cluster=skip network=skip permissions=skip dns=pass tcp=warn(ESM-TCP-101) tls=pass token=skip sasl=pass topic=pass brokers=pass group=pass poll=pass registry=skip lambda-endpoint=skip health=skip"
	if got := statuses(rs); got != want {
		t.Fatalf("statuses\n got %s\nwant %s", got, want)
	}
}

func closedPortForTest(t *testing.T) int {
	port, err := fixtures.ClosedPort()
	if err != nil {
		t.Fatal(err)
	}
	return port
}
