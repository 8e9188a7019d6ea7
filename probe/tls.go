package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"io"
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
}

// HandshakeAll runs Handshake against every address at once.
func HandshakeAll(ctx context.Context, addrs []string, cfg *tls.Config, budget time.Duration) []TLSObservation {
	out := make([]TLSObservation, len(addrs))
	var wg sync.WaitGroup
	for i, a := range addrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = Handshake(ctx, a, cfg, budget)
		}()
	}
	wg.Wait()
	return out
}

// Handshake dials addr and completes a verified TLS handshake within budget.
func Handshake(ctx context.Context, addr string, base *tls.Config, budget time.Duration) TLSObservation {
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	obs := TLSObservation{Addr: addr}
	start := time.Now()
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
	defer raw.Close()
	conn := tls.Client(newSilenceConn(raw), cfg)
	obs.Err = conn.HandshakeContext(ctx)
	var verr *tls.CertificateVerificationError
	if errors.As(obs.Err, &verr) {
		obs.PeerChain = verr.UnverifiedCertificates
	}
	if obs.Err != nil {
		return obs
	}
	st := conn.ConnectionState()
	obs.Version, obs.PeerChain = st.Version, st.PeerCertificates
	obs.PostErr = await(ctx, func() error { return apiVersionsRoundTrip(conn) }, func() { raw.Close() })
	return obs
}

// apiVersionsRoundTrip sends ApiVersions v0 and reads the response frame.
func apiVersionsRoundTrip(conn net.Conn) error {
	const clientID = "esmdoctor"
	req := make([]byte, 4+2+2+4+2+len(clientID))
	binary.BigEndian.PutUint32(req[0:], uint32(len(req)-4))
	binary.BigEndian.PutUint16(req[4:], 18) // ApiVersions
	binary.BigEndian.PutUint16(req[6:], 0)  // v0
	binary.BigEndian.PutUint32(req[8:], 1)  // correlation id
	binary.BigEndian.PutUint16(req[12:], uint16(len(clientID)))
	copy(req[14:], clientID)
	if _, err := conn.Write(req); err != nil {
		return err
	}
	var size [4]byte
	if _, err := io.ReadFull(conn, size[:]); err != nil {
		return err
	}
	n := binary.BigEndian.Uint32(size[:])
	if n < 4 || n > 1<<20 {
		return &NotKafkaError{Size: n}
	}
	_, err := io.CopyN(io.Discard, conn, int64(n))
	return err
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
