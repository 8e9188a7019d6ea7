package probe

import (
	"errors"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// SilenceTimeout is how long a peer that accepted the TCP connection may
// send nothing at all while esmdoctor waits for its answer. A listener
// that accepts and never answers (a load balancer without a healthy
// target, a hung broker) is then reported after this long instead of
// after the whole step budget, so the verdict comes within 5 s at the
// default --timeout. A slow but healthy link is not mistaken for one:
// each answer (a TLS flight, a Kafka response) starts within one round
// trip, far below this even at 400 ms each way; a response that keeps
// coming, however slowly, is bounded by the step budget instead.
const SilenceTimeout = 3 * time.Second

// SilentError is a peer that sent nothing for SilenceTimeout while an
// answer was due.
type SilentError struct{ After time.Duration }

func (e *SilentError) Error() string {
	return "the peer accepted the connection but sent nothing for " + e.After.String()
}
func (e *SilentError) Timeout() bool   { return true }
func (e *SilentError) Temporary() bool { return true }
func (e *SilentError) Unwrap() error   { return os.ErrDeadlineExceeded }

// IsSilent says whether err is a SilentError.
func IsSilent(err error) bool {
	var s *SilentError
	return errors.As(err, &s)
}

// silenceConn applies SilenceTimeout to every read (unless exempt: a
// JoinGroup the broker holds on purpose), within the caller's own read
// deadline.
type silenceConn struct {
	net.Conn
	idle     time.Duration
	exempt   atomic.Bool
	mu       sync.Mutex
	deadline time.Time // the caller's read deadline
	silent   error     // once the peer was silent: every later call fails so
}

func (c *silenceConn) failed() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.silent
}

func (c *silenceConn) Write(p []byte) (int, error) {
	if err := c.failed(); err != nil {
		return 0, err
	}
	return c.Conn.Write(p)
}

func newSilenceConn(c net.Conn) *silenceConn { return &silenceConn{Conn: c, idle: SilenceTimeout} }

func (c *silenceConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	c.deadline = t
	silent := c.silent
	c.mu.Unlock()
	if silent != nil {
		return silent
	}
	return c.Conn.SetReadDeadline(t)
}

func (c *silenceConn) SetWriteDeadline(t time.Time) error {
	if err := c.failed(); err != nil {
		return err
	}
	return c.Conn.SetWriteDeadline(t)
}

func (c *silenceConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	c.deadline = t
	silent := c.silent
	c.mu.Unlock()
	if silent != nil {
		return silent
	}
	return c.Conn.SetDeadline(t)
}

func (c *silenceConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	d, failed := c.deadline, c.silent
	c.mu.Unlock()
	if failed != nil {
		return 0, failed
	}
	silence := false
	if !c.exempt.Load() {
		if s := time.Now().Add(c.idle); d.IsZero() || s.Before(d) {
			d, silence = s, true
		}
	}
	_ = c.Conn.SetReadDeadline(d)
	n, err := c.Conn.Read(p)
	if err != nil && silence && n == 0 && errors.Is(err, os.ErrDeadlineExceeded) {
		// Sticky: sarama retries a timed-out ApiVersions on the same
		// connection; a silent peer must not cost that twice.
		e := &SilentError{After: c.idle}
		c.mu.Lock()
		c.silent = e
		c.mu.Unlock()
		_ = c.Conn.Close()
		return 0, e
	}
	return n, err
}
