package checks

import (
	"context"
	"sync"
	"testing"

	"github.com/esmdoctor/esmdoctor/model"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// The tls check's verified connection is the one the SASL login and every
// later request use: one TLS handshake and one ApiVersions per broker, as a
// Kafka client makes (a SASL listener refuses a second ApiVersions before
// SaslHandshake), and the run still passes.
func TestTLSConnectionCarriesTheLogin(t *testing.T) {
	c, cfg := saslCluster(t, 1)
	var mu sync.Mutex
	var versions []int16
	var handshakes int
	c.ControlKey(int16(kmsg.ApiVersions), func(r kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		mu.Lock()
		versions = append(versions, r.GetVersion())
		mu.Unlock()
		return nil, nil, false
	})
	c.ControlKey(int16(kmsg.SASLHandshake), func(kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		mu.Lock()
		handshakes++
		mu.Unlock()
		return nil, nil, false
	})
	rs := Run(context.Background(), cfg, nil)
	for _, r := range rs {
		if r.Status == model.Fail || r.Status == model.Warn {
			t.Fatalf("healthy run has %s %s %s\n%s", r.ID, r.Status, r.Code, statuses(rs))
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(versions) != 1 || versions[0] != 3 || handshakes != 1 {
		t.Fatalf("ApiVersions requests %v (want one, v3), SASL handshakes %d (want 1): the login did not continue on the verified connection", versions, handshakes)
	}
}

// A scan's runs share SCRAM clients (Config.SCRAM): logins alike derive
// their keys once, and a different password is a different client, whose
// verdict is the one an unshared run gets.
func TestSharedSCRAMClients(t *testing.T) {
	_, cfg := saslCluster(t, 1)
	shared := &SCRAMClients{}
	cfg.SCRAM = shared
	for range 2 {
		if f := first(t, Run(context.Background(), cfg, nil)); f.ID != "" {
			t.Fatalf("healthy run with shared SCRAM clients failed: %s %s", f.ID, f.Code)
		}
	}
	wrong := cfg
	wrong.Secret = &SecretDoc{Source: "wrong", Data: []byte(`{"username":"esm","password":"not-the-password"}`)}
	wrong.SCRAM = nil
	alone := first(t, Run(context.Background(), wrong, nil))
	wrong.SCRAM = shared
	together := first(t, Run(context.Background(), wrong, nil))
	if alone.ID != "sasl" || together.ID != alone.ID || together.Code != alone.Code {
		t.Fatalf("wrong password: alone %s %s, sharing %s %s", alone.ID, alone.Code, together.ID, together.Code)
	}
	if n := len(shared.clients); n != 2 {
		t.Fatalf("%d shared clients, want 2 (one per password)", n)
	}
}
