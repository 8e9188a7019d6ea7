package awsprobe

import (
	"context"
	"crypto/tls"
	"net"
	"net/netip"
	"net/url"
	"time"

	"github.com/esmdoctor/esmdoctor/probe"
)

// Reach is what happened when esmdoctor connected to one AWS endpoint the
// way an SDK would: resolve the host, connect, and complete a verified TLS
// handshake (for an http:// override, such as a local test endpoint, a TCP
// connect is all an SDK would do, so that is all that is tried).
type Reach struct {
	Service Service
	URL     string
	Host    string
	Port    string
	Plain   bool // http:// endpoint: TCP connect only
	Addrs   []netip.Addr
	Addr    string // ip:port that answered, or the last one tried
	// Err is the first error: DNS (a *net.DNSError), the dial, or the
	// handshake; Stage says which.
	Err        error
	Stage      string // "url", "dns", "connect", "tls" or "" on success
	TLSVersion uint16
	Peer       string // the leaf certificate's subject
	Elapsed    time.Duration
}

// ReachEndpoint resolves, connects to and handshakes with rawURL within
// budget. r may be nil (the system resolver).
func ReachEndpoint(ctx context.Context, r probe.Resolver, service Service, rawURL string, budget time.Duration) (out Reach) {
	start := time.Now()
	out = Reach{Service: service, URL: rawURL}
	// A named result: the deferred assignment reaches the caller.
	defer func() { out.Elapsed = since(start) }()
	u, err := url.Parse(rawURL)
	if err != nil || u.Hostname() == "" {
		out.Err, out.Stage = err, "url"
		if err == nil {
			out.Err = &url.Error{Op: "parse", URL: rawURL, Err: net.UnknownNetworkError("no host")}
		}
		return out
	}
	out.Host, out.Port, out.Plain = u.Hostname(), u.Port(), u.Scheme == "http"
	if out.Port == "" {
		out.Port = "443"
		if out.Plain {
			out.Port = "80"
		}
	}
	dns := probe.ResolveAll(ctx, r, []string{out.Host}, budget)[0]
	if dns.Err != nil {
		out.Err, out.Stage = dns.Err, "dns"
		return out
	}
	out.Addrs = dns.Addrs
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	var conn net.Conn
	for _, a := range dns.Addrs {
		out.Addr = net.JoinHostPort(a.String(), out.Port)
		var d net.Dialer
		conn, err = d.DialContext(ctx, "tcp", out.Addr)
		if err == nil {
			break
		}
	}
	if err != nil {
		out.Err, out.Stage = err, "connect"
		return out
	}
	defer conn.Close()
	if out.Plain {
		return out
	}
	tc := tls.Client(conn, &tls.Config{ServerName: out.Host, MinVersion: tls.VersionTLS12})
	if err := tc.HandshakeContext(ctx); err != nil {
		out.Err, out.Stage = err, "tls"
		return out
	}
	st := tc.ConnectionState()
	out.TLSVersion = st.Version
	if len(st.PeerCertificates) > 0 {
		out.Peer = st.PeerCertificates[0].Subject.String()
	}
	return out
}
