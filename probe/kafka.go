package probe

import (
	"context"
	"crypto/tls"
	"net"
	"sync"
	"time"

	"github.com/IBM/sarama"
)

// KafkaObservation is the outcome of opening (and authenticating) a Kafka
// connection to one broker.
type KafkaObservation struct {
	Addr    string
	Broker  *sarama.Broker // open on success; the caller closes it
	Err     error
	Elapsed time.Duration
}

// sarama holds a broker's lock for the whole of Open (dial, ApiVersions,
// TLS, SASL) and of every request, and Broker.Close takes the same lock:
// closing a broker that waits on a silent peer blocks until sarama's own
// read timeout. So every broker connection is dialled through a
// connDialer that remembers the socket, and a cancelled step closes that
// socket directly (which fails sarama's read at once) before closing the
// broker from a goroutine.

// connDialer dials like sarama's default dialer and keeps the connection.
// It also does the TLS sarama would do (so that the size limits of
// limitConn see the plaintext responses).
type connDialer struct {
	d    net.Dialer
	tls  *tls.Config // nil: plaintext
	mu   sync.Mutex
	conn net.Conn
	kept *Kept // a connection the tls check verified, used instead of dialling
	// stream is what sarama reads and writes: the connection after TLS,
	// under the response size limits (KmsgConn speaks on it).
	stream net.Conn
}

func (c *connDialer) Dial(network, addr string) (net.Conn, error) {
	c.mu.Lock()
	k := c.kept
	c.kept = nil
	if k != nil {
		c.conn = k.raw
	}
	c.mu.Unlock()
	if k != nil {
		lc := newLimitConn(&replayConn{Conn: k.conn, response: k.response})
		lc.silence = k.quiet
		c.mu.Lock()
		c.stream = lc
		c.mu.Unlock()
		return lc, nil
	}
	conn, err := c.d.Dial(network, addr)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.conn = conn
	c.mu.Unlock()
	quiet := newSilenceConn(conn)
	conn = quiet
	if c.tls != nil {
		conn = tls.Client(conn, serverName(addr, c.tls))
	}
	lc := newLimitConn(conn)
	lc.silence = quiet
	c.mu.Lock()
	c.stream = lc
	c.mu.Unlock()
	return lc, nil
}

// serverName is sarama's validServerNameTLS: the host of addr unless the
// configuration names a server.
func serverName(addr string, cfg *tls.Config) *tls.Config {
	if cfg.ServerName != "" {
		return cfg
	}
	c := cfg.Clone()
	c.ServerName, _, _ = net.SplitHostPort(addr)
	return c
}

// closeConn closes the socket under sarama's feet.
func (c *connDialer) closeConn() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn != nil {
		_ = c.conn.Close()
	}
	if c.kept != nil { // never dialled
		_ = c.kept.Close()
		c.kept = nil
	}
}

// sockets maps each broker OpenBroker opened to its dialer.
var sockets sync.Map // *sarama.Broker -> *connDialer

// abort unblocks whatever b is doing and closes it without waiting for
// its lock.
func abort(b *sarama.Broker) {
	if d, ok := sockets.Load(b); ok {
		d.(*connDialer).closeConn()
	}
	go func() { _ = b.Close() }()
}

// Forget drops what OpenBroker remembers about b; call it when closing b.
func Forget(b *sarama.Broker) { sockets.Delete(b) }

// OpenBroker connects to one broker with cfg (TLS and SASL included) and
// waits for the connection, bounded by budget. Opening each broker
// directly, rather than through a sarama client, keeps the per-broker cause
// that a client would hide behind ErrOutOfBrokers.
func OpenBroker(ctx context.Context, addr string, cfg *sarama.Config, budget time.Duration) KafkaObservation {
	return OpenBrokerOn(ctx, addr, nil, cfg, budget)
}

// OpenBrokerOn is OpenBroker over kept, the connection HandshakeKeep left
// open to addr, when it is not nil and cfg's client would open it with the
// request already answered on it (otherwise kept is closed and a new
// connection dialled): the broker then verifies one TLS handshake, not two.
// kept is the opened broker's afterwards, whatever happens.
func OpenBrokerOn(ctx context.Context, addr string, kept *Kept, cfg *sarama.Config, budget time.Duration) KafkaObservation {
	if kept != nil && (!cfg.Net.TLS.Enable || !kept.usableBy(cfg)) {
		_ = kept.Close()
		kept = nil
	}
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	start := time.Now()
	conf := *cfg
	dialer := &connDialer{d: net.Dialer{Timeout: cfg.Net.DialTimeout, KeepAlive: cfg.Net.KeepAlive, LocalAddr: cfg.Net.LocalAddr}, kept: kept}
	if cfg.Net.TLS.Enable {
		dialer.tls = cfg.Net.TLS.Config
		if dialer.tls == nil {
			dialer.tls = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		conf.Net.TLS.Enable, conf.Net.TLS.Config = false, nil
	}
	conf.Net.Proxy.Enable, conf.Net.Proxy.Dialer = true, dialer
	b := sarama.NewBroker(addr)
	sockets.Store(b, dialer)
	err := await(ctx, func() error {
		if err := b.Open(&conf); err != nil {
			return err
		}
		_, err := b.Connected()
		return err
	}, func() { abort(b) })
	if err != nil {
		abort(b)
		Forget(b)
		return KafkaObservation{Addr: addr, Err: err, Elapsed: since(start)}
	}
	return KafkaObservation{Addr: addr, Broker: b, Elapsed: since(start)}
}

// Request runs one request on an open broker, bounded by budget. When the
// budget ends first the broker's socket is closed, which unblocks the
// request.
func Request[T any](ctx context.Context, b *sarama.Broker, budget time.Duration, fn func(*sarama.Broker) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	return awaitValue(ctx, func() (T, error) { return fn(b) }, func() { abort(b) })
}
