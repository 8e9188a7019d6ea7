package checks

import (
	"context"
	"crypto/tls"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/fixtures"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/testbed/iamtoken"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// iamBroker is a kfake broker over TLS whose SASL exchange is answered by
// hooks (kfake itself knows no OAUTHBEARER): the handshake offers
// OAUTHBEARER, and authenticate answers with reject(n) for the n-th login.
func iamBroker(t *testing.T, reject func(n int32) bool) (addr string, cfg *tls.Config) {
	t.Helper()
	ca, err := fixtures.NewCA("esmdoctor test CA")
	if err != nil {
		t.Fatal(err)
	}
	cert, _, _, err := ca.Server("localhost", []string{"localhost"}, []net.IP{net.ParseIP("127.0.0.1")})
	if err != nil {
		t.Fatal(err)
	}
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, "orders"),
		kfake.TLS(&tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	c.ControlKey(17, func(req kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		resp := req.(*kmsg.SASLHandshakeRequest).ResponseKind().(*kmsg.SASLHandshakeResponse)
		resp.SupportedMechanisms = []string{"OAUTHBEARER"}
		return resp, nil, true
	})
	var n atomic.Int32
	c.ControlKey(36, func(req kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		resp := req.(*kmsg.SASLAuthenticateRequest).ResponseKind().(*kmsg.SASLAuthenticateResponse)
		if reject(n.Add(1)) {
			msg := "Too many connects"
			resp.ErrorCode, resp.ErrorMessage = 58, &msg
		}
		return resp, nil, true
	})
	return c.ListenAddrs()[0], &tls.Config{RootCAs: ca.Pool(), MinVersion: tls.VersionTLS12}
}

func iamLoginState(t *testing.T, addr string, tlsCfg *tls.Config) *State {
	tok := func(context.Context) (string, error) {
		return iamtoken.Generate("us-east-1", "AKIAEXAMPLE", "secret-key-example", time.Now())
	}
	s := &State{Cfg: Config{Auth: AuthIAM, Now: time.Now, AWS: &AWSConfig{Options: awsprobe.Options{Region: "us-east-1"}, IAMToken: tok}},
		Step: 2 * time.Second, TLS: tlsCfg, Reachable: []string{addr}}
	s.AWS.identity = &awsprobe.Identity{ARN: "arn:aws:sts::1:assumed-role/exec/esmdoctor", Account: "1"}
	t.Cleanup(s.Close)
	return s
}

// A login rejected once and accepted a second later is the connection
// quota: a warning, and the connection is kept for the later checks.
func TestIAMLoginQuotaRetry(t *testing.T) {
	addr, tlsCfg := iamBroker(t, func(n int32) bool { return n == 1 })
	s := iamLoginState(t, addr, tlsCfg)
	o := runSASL(context.Background(), s)
	if o.Status != model.Warn || o.Code != "ESM-SASL-110" || s.conn(addr) == nil {
		t.Fatalf("%s %s %v (kept: %v)", o.Status, o.Code, o.Detail, s.conn(addr) != nil)
	}
	assertFilled(t, o)
}

// Rejected again a second later: the permission (or the credentials), and
// the cause says the quota was ruled out.
func TestIAMLoginRejectedTwice(t *testing.T) {
	addr, tlsCfg := iamBroker(t, func(int32) bool { return true })
	s := iamLoginState(t, addr, tlsCfg)
	o := runSASL(context.Background(), s)
	if o.Code != "ESM-SASL-010" || !strings.Contains(cause(o), "so the connection-rate quota is not the cause") ||
		!strings.Contains(cause(o), `("Too many connects")`) {
		t.Fatalf("%s %q", o.Code, cause(o))
	}
	if h := o.Args["holder"]; h != "role exec" {
		t.Fatalf("holder %q", h)
	}
	assertFilled(t, o)
}
