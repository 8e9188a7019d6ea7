package checks

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/fixtures"
	"github.com/esmdoctor/esmdoctor/model"
)

// TestSlowLinkIsHealthy: a healthy TLS + SCRAM cluster behind a link that
// adds 400 ms each way still gets a healthy verdict at the default
// --timeout: the silence timeout that makes a silent listener's verdict
// quick never mistakes a slow answer for none.
func TestSlowLinkIsHealthy(t *testing.T) {
	if testing.Short() {
		t.Skip("slow by design")
	}
	c, cfg := saslCluster(t, 1)
	p, err := fixtures.NewDelayProxy(c.ListenAddrs()[0], 400*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	cfg.Bootstrap, err = ParseBootstrap("test", []string{p.Addr()})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Timeout = DefaultTimeout
	start := time.Now()
	rs := Run(context.Background(), cfg, nil)
	for _, r := range rs {
		if r.Status == model.Fail || r.Status == model.Warn && !strings.HasPrefix(r.Code, "ESM-TCP-1") {
			t.Errorf("%s: %s %s %v", r.ID, r.Status, r.Code, r.Detail)
		}
	}
	t.Logf("healthy through 400 ms each way in %s: %s", time.Since(start).Round(time.Millisecond), statuses(rs))
}
