package checks

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/model"
)

// TestOneSilentBootstrapAmongHealthy: a bootstrap server that accepts TCP
// and never answers, beside a healthy one, is a warning naming it (as a
// refusing one is), and the run goes on through the healthy server.
func TestOneSilentBootstrapAmongHealthy(t *testing.T) {
	_, cfg := saslCluster(t, 1)
	silent := blackholes(t, 1)[0]
	cfg.Bootstrap = append(cfg.Bootstrap, silent)
	cfg.Timeout = 6 * time.Second
	start := time.Now()
	rs := Run(context.Background(), cfg, nil)
	if d := time.Since(start); d > cfg.Timeout+time.Second {
		t.Errorf("run took %s, over --timeout %s + 1s", d, cfg.Timeout)
	}
	want := "mapping=skip api=pass sts=skip secret=pass cluster=skip network=skip permissions=skip dns=pass tcp=pass tls=warn(ESM-TLS-102) token=skip sasl=pass topic=pass brokers=pass group=pass poll=pass registry=skip lambda-endpoint=skip health=skip"
	if got := statuses(rs); got != want {
		t.Fatalf("statuses\n got %s\nwant %s", got, want)
	}
	r := byID(rs, "tls")
	if c := r.Cause(); !strings.Contains(c, silent.String()+" accepted a TCP connection but did not answer") || !strings.Contains(c, "1 of 2 bootstrap servers") {
		t.Errorf("cause %q does not name the silent server %s and the healthy count", c, silent)
	}
	if r.Status != model.Warn {
		t.Errorf("status %s", r.Status)
	}
}

// TestEverySilentBootstrapStillFails: the warning needs a healthy server;
// with none the tls check fails as before.
func TestEverySilentBootstrapStillFails(t *testing.T) {
	rs := Run(context.Background(), blackholeConfig(blackholes(t, 2), AuthTLS, 3*time.Second), nil)
	if r := byID(rs, "tls"); r.Status != model.Fail || r.Code != "ESM-TLS-006" {
		t.Fatalf("tls %s %s, want fail ESM-TLS-006", r.Status, r.Code)
	}
}

func byID(rs []model.Result, id string) model.Result {
	for _, r := range rs {
		if r.ID == id {
			return r
		}
	}
	return model.Result{}
}

// TestOneSilentBootstrapWithoutTLS: with --auth none no handshake runs, so
// the topic check's metadata request is where a silent server shows; it
// warns naming it and the run goes on through the healthy server.
func TestOneSilentBootstrapWithoutTLS(t *testing.T) {
	silent := blackholes(t, 1)[0]
	cfg := Config{Bootstrap: append([]HostPort{silent}, plainCluster(t)...), Topic: "orders", Auth: AuthNone, ConsumerGroup: "g1", Timeout: 6 * time.Second}
	rs := Run(context.Background(), cfg, nil)
	want := "mapping=skip api=pass sts=skip secret=skip cluster=skip network=skip permissions=skip dns=pass tcp=pass tls=skip token=skip sasl=skip topic=warn(ESM-TOPIC-101) brokers=pass group=pass poll=pass registry=skip lambda-endpoint=skip health=skip"
	if got := statuses(rs); got != want {
		t.Fatalf("statuses\n got %s\nwant %s", got, want)
	}
	if c := byID(rs, "topic").Cause(); !strings.Contains(c, silent.String()+" accepted a TCP connection but did not answer a metadata request") || !strings.Contains(c, fmt.Sprintf("%d of %d bootstrap servers answered", len(cfg.Bootstrap)-1, len(cfg.Bootstrap))) {
		t.Errorf("cause %q", c)
	}
}
