package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"reflect"
	"sync"
	"time"
)

// TLSObservation is the outcome of a TLS handshake with one broker, followed
// by one Kafka ApiVersions request over the secured connection (TLS 1.3
// servers reject a client certificate only after the client's handshake
// has completed, so the first read is where that rejection shows).
type TLSObservation struct {
	Addr       string // host:port dialled (the host is the name verified)
	Version    uint16
	PeerChain  []*x509.Certificate // what the broker presented, verified or not
	ClientSent bool                // a client certificate was requested and sent
	Requested  bool                // the broker asked for a client certificate
	Err        error               // dial or handshake error
	PostErr    error               // error on the first Kafka request after the handshake
	Elapsed    time.Duration
	// Raw is the server's answer to Java's TLS 1.2 offer, asked when Go's
	// handshake failed in a way Java's client might not (nil otherwise).
	Raw *RawHello
	// Kept is the connection, open, when it was asked for and both the
	// handshake and the first Kafka request succeeded (nil otherwise). The
	// caller hands it to OpenBroker or closes it.
	Kept *Kept
}

// HandshakeAll runs HandshakeKeep against every address at once: each
// observation's Kept, if not nil, is the caller's to use or close.
func HandshakeAll(ctx context.Context, addrs []string, cfg *tls.Config, budget time.Duration) []TLSObservation {
	out := make([]TLSObservation, len(addrs))
	var wg sync.WaitGroup
	for i, a := range addrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = HandshakeKeep(ctx, a, cfg, budget)
		}()
	}
	wg.Wait()
	return out
}

// Handshake dials addr and completes a verified TLS handshake within budget.
func Handshake(ctx context.Context, addr string, base *tls.Config, budget time.Duration) TLSObservation {
	return handshake(ctx, addr, base, budget, false)
}

// HandshakeKeep is Handshake that keeps a successful connection open for
// OpenBroker (in the observation's Kept).
func HandshakeKeep(ctx context.Context, addr string, base *tls.Config, budget time.Duration) TLSObservation {
	return handshake(ctx, addr, base, budget, true)
}

func handshake(ctx context.Context, addr string, base *tls.Config, budget time.Duration, keep bool) (obs TLSObservation) {
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	obs = TLSObservation{Addr: addr}
	start := time.Now()
	// A named result: the deferred assignment reaches the caller.
	defer func() { obs.Elapsed = since(start) }()

	cfg := base.Clone()
	if cfg == nil {
		cfg = &tls.Config{}
	}
	if host, _, err := net.SplitHostPort(addr); err == nil && cfg.ServerName == "" {
		cfg.ServerName = host
	}
	if cfg.GetClientCertificate == nil && len(cfg.Certificates) > 0 {
		cert := cfg.Certificates[0]
		cfg.Certificates = nil
		cfg.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
			obs.Requested, obs.ClientSent = true, true
			return &cert, nil
		}
	} else if cfg.GetClientCertificate == nil {
		cfg.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
			obs.Requested = true
			return &tls.Certificate{}, nil
		}
	}

	d := dialer(ctx)
	raw, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		obs.Err = err
		return obs
	}
	quiet := newSilenceConn(raw)
	conn := tls.Client(quiet, cfg)
	obs.Err = conn.HandshakeContext(ctx)
	var verr *tls.CertificateVerificationError
	if errors.As(obs.Err, &verr) {
		obs.PeerChain = verr.UnverifiedCertificates
	}
	if obs.Err != nil {
		raw.Close()
		return obs
	}
	st := conn.ConnectionState()
	obs.Version, obs.PeerChain = st.Version, st.PeerCertificates
	response, err := awaitValue(ctx, func() ([]byte, error) { return apiVersionsRoundTrip(conn) }, func() { raw.Close() })
	obs.PostErr = err
	if !keep || obs.PostErr != nil {
		raw.Close()
		return obs
	}
	obs.Kept = &Kept{raw: raw, quiet: quiet, conn: conn, response: response}
	return obs
}

// NotKafkaError says the peer answered with something that is not a Kafka
// response frame.
type NotKafkaError struct{ Size uint32 }

func (e *NotKafkaError) Error() string { return "the peer's answer is not a Kafka response" }

// RemoteAlert extracts the TLS alert number a peer sent, if err carries one.
// crypto/tls reports received alerts as *net.OpError{Op: "remote error"}
// wrapping an unexported uint8 type; the number is read through reflection
// so classification never depends on message text.
func RemoteAlert(err error) (uint8, bool) {
	var op *net.OpError
	if !errors.As(err, &op) || op.Op != "remote error" || op.Err == nil {
		return 0, false
	}
	v := reflect.ValueOf(op.Err)
	if v.Kind() != reflect.Uint8 {
		return 0, false
	}
	return uint8(v.Uint()), true
}
