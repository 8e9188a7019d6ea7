package checks

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/model"
	"github.com/twmb/franz-go/pkg/kfake"
)

func plainCluster(t *testing.T, opts ...kfake.Opt) []HostPort {
	t.Helper()
	c, err := kfake.NewCluster(append([]kfake.Opt{kfake.NumBrokers(2), kfake.SeedTopics(3, "orders")}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	bs, err := ParseBootstrap("test", c.ListenAddrs())
	if err != nil {
		t.Fatal(err)
	}
	return bs
}

func statuses(rs []model.Result) string {
	var s []string
	for _, r := range rs {
		s = append(s, r.ID+"="+string(r.Status)+code(r))
	}
	return strings.Join(s, " ")
}

func code(r model.Result) string {
	if r.Code == "" {
		return ""
	}
	return "(" + r.Code + ")"
}

func TestPipelinePlaintextHealthy(t *testing.T) {
	bs := plainCluster(t)
	cfg := Config{Bootstrap: bs, Topic: "orders", Auth: AuthNone, ConsumerGroup: "g1", Timeout: 10 * time.Second}
	rs := Run(context.Background(), cfg, nil)
	want := "mapping=skip api=pass sts=skip secret=skip cluster=skip network=skip permissions=skip dns=pass tcp=pass tls=skip token=skip sasl=skip topic=pass brokers=pass group=pass poll=pass registry=skip lambda-endpoint=skip health=skip"
	if got := statuses(rs); got != want {
		for _, r := range rs {
			t.Logf("%s %s %s %s %v", r.ID, r.Status, r.Code, r.Reason, r.Detail)
		}
		t.Fatalf("statuses\n got %s\nwant %s", got, want)
	}
}

func TestPipelineUnknownTopic(t *testing.T) {
	bs := plainCluster(t)
	cfg := Config{Bootstrap: bs, Topic: "ghost", Auth: AuthNone, ConsumerGroup: "g1", Timeout: 10 * time.Second}
	rs := Run(context.Background(), cfg, nil)
	want := "mapping=skip api=pass sts=skip secret=skip cluster=skip network=skip permissions=skip dns=pass tcp=pass tls=skip token=skip sasl=skip topic=fail(ESM-TOPIC-001) brokers=skip group=skip poll=skip registry=skip lambda-endpoint=skip health=skip"
	if got := statuses(rs); got != want {
		t.Fatalf("statuses\n got %s\nwant %s", got, want)
	}
	if r := rs[13]; r.Reason != "requires topic (failed: ESM-TOPIC-001)" {
		t.Fatalf("brokers reason %q", r.Reason)
	}
}
