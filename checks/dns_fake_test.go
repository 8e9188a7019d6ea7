package checks

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/dns/dnsmessage"
)

// fakeDNS is a loopback DNS server: nx.test. is NXDOMAIN, fail.test. is
// SERVFAIL, slow.test. never answers, anything else is 127.0.0.1.
func fakeDNS(t *testing.T) *net.Resolver {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 512)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if out, ok := answer(buf[:n]); ok {
				_, _ = pc.WriteTo(out, from)
			}
		}
	}()
	addr := pc.LocalAddr().String()
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", addr)
	}}
}

func answer(req []byte) ([]byte, bool) {
	var p dnsmessage.Parser
	h, err := p.Start(req)
	if err != nil {
		return nil, false
	}
	q, err := p.Question()
	if err != nil {
		return nil, false
	}
	name := strings.ToLower(q.Name.String())
	h.Response, h.Authoritative, h.RCode = true, true, dnsmessage.RCodeSuccess
	switch name {
	case "slow.test.":
		return nil, false
	case "nx.test.":
		h.RCode = dnsmessage.RCodeNameError
	case "fail.test.":
		h.RCode = dnsmessage.RCodeServerFailure
	}
	b := dnsmessage.NewBuilder(nil, h)
	b.EnableCompression()
	_ = b.StartQuestions()
	_ = b.Question(q)
	_ = b.StartAnswers()
	if h.RCode == dnsmessage.RCodeSuccess && q.Type == dnsmessage.TypeA {
		_ = b.AResource(dnsmessage.ResourceHeader{Name: q.Name, Class: dnsmessage.ClassINET, TTL: 60}, dnsmessage.AResource{A: [4]byte{127, 0, 0, 1}})
	}
	out, err := b.Finish()
	return out, err == nil
}

func TestDNSFaults(t *testing.T) {
	res := fakeDNS(t)
	cases := map[string]string{"nx.test": "ESM-DNS-001", "fail.test": "ESM-DNS-002", "slow.test": "ESM-DNS-003"}
	for host, want := range cases {
		cfg := Config{Bootstrap: []HostPort{{Host: host, Port: 9092}}, Topic: "t", Auth: AuthNone, ConsumerGroup: "g",
			Timeout: 2 * time.Second, Resolver: res}
		start := time.Now()
		rs := Run(context.Background(), cfg, nil)
		if d := time.Since(start); d > cfg.Timeout+time.Second {
			t.Errorf("%s: run took %s", host, d)
		}
		if r := rs[7]; r.ID != "dns" || r.Code != want {
			t.Errorf("%s: dns %s %s, want %s (%v)", host, r.Status, r.Code, want, r.Detail)
		}
	}
	rs := Run(context.Background(), Config{Bootstrap: []HostPort{{Host: "ok.test", Port: closedPortForTest(t)}, {Host: "nx.test", Port: 9092}},
		Topic: "t", Auth: AuthNone, Timeout: 2 * time.Second, Resolver: res}, nil)
	if r := rs[7]; r.Status != "warn" || r.Code != "ESM-DNS-101" {
		t.Errorf("one of two hosts resolving: dns %s %s", r.Status, r.Code)
	}
}
