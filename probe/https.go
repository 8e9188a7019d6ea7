package probe

import (
	"bufio"
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// MaxHTTPSResponse bounds the body an HTTPS probe reads (a token
// endpoint's answer is a few KiB; more is not an OAuth answer).
const MaxHTTPSResponse = 64 << 10

// HTTPS probe phases, in order: where an exchange stopped.
const (
	PhaseDNS  = "dns"
	PhaseTCP  = "tcp"
	PhaseTLS  = "tls"
	PhaseHTTP = "http"
)

// HTTPSPost is one form POST over HTTPS, as a token request.
type HTTPSPost struct {
	URL *url.URL
	// TLS verifies the server (its ServerName is set from the URL).
	TLS  *tls.Config
	Form url.Values
	// BasicUser and BasicPassword, when BasicUser is set, authenticate
	// with HTTP Basic (already encoded as the server expects).
	BasicUser, BasicPassword string
	Resolver                 Resolver
	// Budget bounds each phase.
	Budget time.Duration
}

// HTTPSObservation is what an HTTPS POST met: the phase it stopped in
// (PhaseHTTP once an answer arrived), the addresses, and the answer.
type HTTPSObservation struct {
	Phase       string
	Host, Addr  string // Addr: the ip:port dialled
	Addrs       []netip.Addr
	Err         error
	Status      int
	ContentType string
	Body        []byte // at most MaxHTTPSResponse bytes
	Truncated   bool
	Elapsed     time.Duration
}

// PostForm resolves the URL's host, connects, completes TLS and sends the
// form, reading a bounded answer; each phase is bounded by p.Budget and
// the context.
func PostForm(ctx context.Context, p HTTPSPost) HTTPSObservation {
	start := time.Now()
	host, port := p.URL.Hostname(), p.URL.Port()
	if port == "" {
		port = "443"
	}
	o := HTTPSObservation{Phase: PhaseDNS, Host: host}
	r := p.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	d := resolve(ctx, r, host, p.Budget)
	o.Addrs, o.Err = d.Addrs, d.Err
	if o.Err == nil && len(o.Addrs) == 0 {
		o.Err = &net.DNSError{Err: "no addresses", Name: host, IsNotFound: true}
	}
	if o.Err != nil {
		o.Elapsed = since(start)
		return o
	}
	conn := o.connect(ctx, port, p)
	if conn != nil {
		defer conn.Close()
		o.exchange(ctx, conn, p)
	}
	o.Elapsed = since(start)
	return o
}

// connect dials the addresses in order until one accepts, then completes
// TLS; nil when a phase failed (o says which).
func (o *HTTPSObservation) connect(ctx context.Context, port string, p HTTPSPost) net.Conn {
	o.Phase = PhaseTCP
	var conn net.Conn
	for _, a := range o.Addrs {
		o.Addr = net.JoinHostPort(a.String(), port)
		dctx, cancel := context.WithTimeout(ctx, p.Budget)
		conn, o.Err = dialer(ctx).DialContext(dctx, "tcp", o.Addr)
		cancel()
		if o.Err == nil {
			break
		}
	}
	if o.Err != nil {
		return nil
	}
	o.Phase = PhaseTLS
	cfg := p.TLS.Clone()
	cfg.ServerName = o.Host
	cfg.NextProtos = []string{"http/1.1"}
	tc := tls.Client(conn, cfg)
	hctx, cancel := context.WithTimeout(ctx, p.Budget)
	defer cancel()
	if o.Err = tc.HandshakeContext(hctx); o.Err != nil {
		conn.Close()
		return nil
	}
	return tc
}

// exchange writes the request and reads the bounded answer.
func (o *HTTPSObservation) exchange(ctx context.Context, conn net.Conn, p HTTPSPost) {
	o.Phase = PhaseHTTP
	body := p.Form.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.URL.String(), strings.NewReader(body))
	if err != nil {
		o.Err = err
		return
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "esmdoctor")
	req.Header.Set("Content-Length", strconv.Itoa(len(body)))
	req.Close = true
	if p.BasicUser != "" {
		req.SetBasicAuth(p.BasicUser, p.BasicPassword)
	}
	ch := make(chan httpAnswer, 1)
	go func() { ch <- readAnswer(conn, req, p.Budget) }()
	select {
	case a := <-ch:
		o.Status, o.ContentType, o.Body, o.Truncated, o.Err = a.status, a.contentType, a.body, a.truncated, a.err
	case <-ctx.Done():
		conn.Close()
		o.Err = context.Cause(ctx)
	}
}

// httpAnswer is what readAnswer read.
type httpAnswer struct {
	status      int
	contentType string
	body        []byte
	truncated   bool
	err         error
}

// readAnswer sends req on conn and reads the answer, its body bounded by
// MaxHTTPSResponse, within budget.
func readAnswer(conn net.Conn, req *http.Request, budget time.Duration) httpAnswer {
	_ = conn.SetDeadline(time.Now().Add(budget))
	if err := req.Write(conn); err != nil {
		return httpAnswer{err: err}
	}
	resp, err := http.ReadResponse(bufio.NewReader(io.LimitReader(conn, MaxHTTPSResponse+16<<10)), req)
	if err != nil {
		return httpAnswer{err: err}
	}
	defer resp.Body.Close()
	a := httpAnswer{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type")}
	a.body, a.err = io.ReadAll(io.LimitReader(resp.Body, MaxHTTPSResponse+1))
	if len(a.body) > MaxHTTPSResponse {
		a.body, a.truncated, a.err = a.body[:MaxHTTPSResponse], true, nil
	}
	return a
}
