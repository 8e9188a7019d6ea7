package checks

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/IBM/sarama"
	"github.com/esmdoctor/esmdoctor/probe"
	"github.com/esmdoctor/esmdoctor/secrets"
)

func opErr(op string, err error) error {
	return &net.OpError{Op: op, Net: "tcp", Err: os.NewSyscallError(op, err)}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestClassifyDNS(t *testing.T) {
	cases := []struct {
		name string
		obs  probe.DNSObservation
		want string
	}{
		{"nxdomain", probe.DNSObservation{Host: "h", Err: &net.DNSError{Err: "no such host", Name: "h", IsNotFound: true}}, "ESM-DNS-001"},
		{"servfail", probe.DNSObservation{Host: "h", Err: &net.DNSError{Err: "server misbehaving", Name: "h", IsTemporary: true}}, "ESM-DNS-002"},
		{"timeout", probe.DNSObservation{Host: "h", Err: &net.DNSError{Err: "i/o timeout", Name: "h", IsTimeout: true}}, "ESM-DNS-003"},
		{"budget", probe.DNSObservation{Host: "h", Err: context.DeadlineExceeded}, "ESM-DNS-003"},
		{"empty", probe.DNSObservation{Host: "h"}, "ESM-DNS-004"},
		{"ok", probe.DNSObservation{Host: "h", Addrs: []netipAddr{mustAddr("127.0.0.1")}}, ""},
	}
	for _, c := range cases {
		if got, _ := classifyDNS(c.obs, time.Second); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestClassifyDial(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"refused", opErr("connect", syscall.ECONNREFUSED), "ESM-TCP-001"},
		{"timeout", &net.OpError{Op: "dial", Err: timeoutErr{}}, "ESM-TCP-002"},
		{"deadline", context.DeadlineExceeded, "ESM-TCP-002"},
		{"host unreachable", opErr("connect", syscall.EHOSTUNREACH), "ESM-TCP-003"},
		{"net unreachable", opErr("connect", syscall.ENETUNREACH), "ESM-TCP-003"},
	}
	for _, c := range cases {
		got := classifyDial(c.err, "127.0.0.1:9096", 9096, AuthSCRAM512, time.Second)
		if got.Code != c.want {
			t.Errorf("%s: got %s, want %s", c.name, got.Code, c.want)
		}
	}
	if h := classifyDial(opErr("connect", syscall.ECONNREFUSED), "a:19095", 19095, AuthSCRAM512, time.Second).Args["ports_hint"]; h != "; port 19095 is not the usual port for --auth sasl-scram-512: MSK uses 9096 or 9196" {
		t.Errorf("ports hint %q", h)
	}
}

func TestClassifyTLSErr(t *testing.T) {
	s := &State{Cfg: Config{Auth: AuthTLS, Now: time.Now}, Step: time.Second}
	cases := []struct {
		name string
		obs  probe.TLSObservation
		want string
	}{
		{"unknown authority", probe.TLSObservation{Err: &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}}, "ESM-TLS-001"},
		{"hostname", probe.TLSObservation{Err: &tls.CertificateVerificationError{Err: x509.HostnameError{Certificate: &x509.Certificate{}, Host: "h"}}}, "ESM-TLS-002"},
		{"expired", probe.TLSObservation{Err: &tls.CertificateVerificationError{Err: x509.CertificateInvalidError{Reason: x509.Expired}}}, "ESM-TLS-003"},
		{"record header", probe.TLSObservation{Err: tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}}, "ESM-TLS-005"},
		{"eof in handshake", probe.TLSObservation{Err: io.EOF}, "ESM-TLS-005"},
		{"reset in handshake", probe.TLSObservation{Err: opErr("read", syscall.ECONNRESET)}, "ESM-TLS-005"},
		{"handshake timeout", probe.TLSObservation{Err: &net.OpError{Op: "read", Err: timeoutErr{}}}, "ESM-TLS-006"},
		{"no kafka answer", probe.TLSObservation{PostErr: &net.OpError{Op: "read", Err: timeoutErr{}}}, "ESM-TLS-008"},
		{"not kafka", probe.TLSObservation{PostErr: &probe.NotKafkaError{Size: 1 << 30}}, "ESM-TLS-008"},
		{"closed after handshake, cert requested, none sent", probe.TLSObservation{PostErr: io.EOF, Requested: true}, "ESM-TLS-007"},
		{"closed after handshake, cert sent", probe.TLSObservation{PostErr: io.EOF, Requested: true, ClientSent: true}, "ESM-TLS-004"},
	}
	for _, c := range cases {
		c.obs.Addr = "localhost:9094"
		got, failed := classifyTLS(c.obs, s)
		if !failed || got.Code != c.want {
			t.Errorf("%s: got %s (failed=%v), want %s", c.name, got.Code, failed, c.want)
		}
	}
	mtls := &State{Cfg: Config{Auth: AuthMTLS, Now: time.Now}, Step: time.Second}
	if got, _ := classifyTLS(probe.TLSObservation{Addr: "localhost:9094", PeerChain: []*x509.Certificate{{}}}, mtls); got.Code != "ESM-TLS-009" {
		t.Errorf("mTLS without a certificate request: got %s, want ESM-TLS-009", got.Code)
	}
}

func TestClassifySASL(t *testing.T) {
	s := &State{Cfg: Config{Auth: AuthSCRAM512}, Step: time.Second}
	s.Creds.SASL = saslCreds("alice")
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"wrong credentials", sarama.ErrSASLAuthenticationFailed, "ESM-SASL-001"},
		{"wrong credentials with broker message", sarama.Wrap(sarama.ErrSASLAuthenticationFailed, fmt.Errorf("Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512")), "ESM-SASL-001"},
		{"eof", io.EOF, "ESM-SASL-003"},
		{"reset", opErr("read", syscall.ECONNRESET), "ESM-SASL-003"},
		{"timeout", &net.OpError{Op: "read", Err: timeoutErr{}}, "ESM-SASL-004"},
		{"listener without SASL", sarama.ErrIllegalSASLState, "ESM-SASL-006"},
		{"other Kafka error", sarama.ErrUnsupportedVersion, "ESM-SASL-005"},
	}
	for _, c := range cases {
		if got := classifySASL(context.Background(), "127.0.0.1:1", c.err, s); got.Code != c.want {
			t.Errorf("%s: got %s, want %s", c.name, got.Code, c.want)
		}
	}
	got := classifySASL(context.Background(), "127.0.0.1:1", sarama.Wrap(sarama.ErrSASLAuthenticationFailed, fmt.Errorf("Authentication failed")), s)
	if got.Args["broker_message"] != ` ("Authentication failed")` || got.Args["kafka_code"] != "58" || got.Args["kafka_error"] != "SASL_AUTHENTICATION_FAILED" {
		t.Errorf("args %v", got.Args)
	}
}

// TestEverySecretKindIsMapped: a new secrets.Kind must get a code (errors)
// or a remediation (warnings) here, or it would render as a bare code.
func TestEverySecretKindIsMapped(t *testing.T) {
	for k := secrets.Kind(1); !strings.HasPrefix(k.String(), "kind("); k++ {
		_, isErr := kindCodes[k]
		_, isOAuth := oauthKindCodes[k]
		isErr = isErr || isOAuth
		_, isWarn := warningFixes[k]
		if !isErr && !isWarn {
			t.Errorf("secrets.Kind %s has neither a code nor a warning fix", k)
		}
	}
}
