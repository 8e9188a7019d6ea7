package registry

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/netip"
	"net/url"
	"time"
)

// Stage is the step of reaching a registry that failed.
type Stage string

// Stages, in the order they happen.
const (
	StageDNS  Stage = "dns"
	StageTCP  Stage = "tcp"
	StageTLS  Stage = "tls"
	StageHTTP Stage = "http"
)

// StageError is a failure to reach the registry, with the step it failed at.
type StageError struct {
	Stage Stage
	Addr  string // host:port, or ip:port once resolved
	Err   error
}

func (e *StageError) Error() string { return string(e.Stage) + " " + e.Addr + ": " + e.Err.Error() }
func (e *StageError) Unwrap() error { return e.Err }

// Resolver is the part of *net.Resolver reaching a registry needs.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Endpoint is how to reach a Confluent-compatible registry.
type Endpoint struct {
	// Base is the registry's URL (SchemaRegistryURI).
	Base *url.URL
	// TLS holds the root CAs (SERVER_ROOT_CA_CERTIFICATE) and the client
	// certificate (CLIENT_CERTIFICATE_TLS_AUTH); nil means the system
	// roots and no client certificate. Ignored for http.
	TLS *tls.Config
	// Username and Password are BASIC_AUTH's; never printed.
	Username, Password string
	// Bearer is an OAUTHBEARER_AUTH access token, sent as
	// "Authorization: Bearer"; never printed.
	Bearer string
	// Resolver resolves the registry's host; nil uses the system resolver.
	Resolver Resolver
}

// hostPort is the registry's host and port (the scheme's default port
// when the URL gives none).
func (e Endpoint) hostPort() (string, string) {
	port := e.Base.Port()
	if port == "" {
		port = "443"
		if e.Base.Scheme == "http" {
			port = "80"
		}
	}
	return e.Base.Hostname(), port
}

// Reached is what reaching the registry once observed.
type Reached struct {
	Addrs      []netip.Addr // what DNS returned
	Addr       string       // the ip:port connected to
	TLSVersion uint16       // 0 for http
	// PeerSubject is the registry certificate's subject, when it sent one.
	PeerSubject string
	// ClientCertRequested says the registry asked for a client certificate.
	ClientCertRequested bool
	Err                 *StageError
	Elapsed             time.Duration
}

// Reach resolves the registry's host, connects and, for https, completes a
// verified TLS handshake, within budget: the steps Lambda takes before its
// first request, each failure named by its step.
func Reach(ctx context.Context, e Endpoint, budget time.Duration) Reached {
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	start := time.Now()
	out := Reached{}
	defer func() { out.Elapsed = time.Since(start).Round(time.Millisecond) }()
	host, port := e.hostPort()
	addrs, err := lookup(ctx, e.Resolver, host)
	out.Addrs = addrs
	if err != nil {
		out.Err = &StageError{Stage: StageDNS, Addr: host, Err: err}
		return out
	}
	conn, addr, err := dialFirst(ctx, addrs, port)
	out.Addr = addr
	if err != nil {
		out.Err = &StageError{Stage: StageTCP, Addr: net.JoinHostPort(host, port), Err: err}
		return out
	}
	defer conn.Close()
	if e.Base.Scheme != "https" {
		return out
	}
	handshake(ctx, conn, e, host, &out)
	return out
}

// handshake completes TLS over conn, recording what the registry sent.
func handshake(ctx context.Context, conn net.Conn, e Endpoint, host string, out *Reached) {
	cfg := tlsConfig(e, host)
	inner := cfg.GetClientCertificate
	cfg.GetClientCertificate = func(i *tls.CertificateRequestInfo) (*tls.Certificate, error) {
		out.ClientCertRequested = true
		return inner(i)
	}
	tc := tls.Client(conn, cfg)
	err := tc.HandshakeContext(ctx)
	var verr *tls.CertificateVerificationError
	if errors.As(err, &verr) && len(verr.UnverifiedCertificates) > 0 {
		out.PeerSubject = verr.UnverifiedCertificates[0].Subject.String()
	}
	if err != nil {
		out.Err = &StageError{Stage: StageTLS, Addr: out.Addr, Err: err}
		return
	}
	st := tc.ConnectionState()
	out.TLSVersion = st.Version
	if len(st.PeerCertificates) > 0 {
		out.PeerSubject = st.PeerCertificates[0].Subject.String()
	}
}

// tlsConfig is the endpoint's TLS configuration for host, always with a
// client-certificate callback (an empty certificate when none is given).
func tlsConfig(e Endpoint, host string) *tls.Config {
	cfg := e.TLS.Clone()
	if cfg == nil {
		cfg = &tls.Config{}
	}
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	if cfg.MinVersion == 0 {
		cfg.MinVersion = tls.VersionTLS12
	}
	certs := cfg.Certificates
	cfg.Certificates = nil
	cfg.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
		if len(certs) > 0 {
			return &certs[0], nil
		}
		return &tls.Certificate{}, nil
	}
	return cfg
}

// lookup resolves host (an IP literal resolves to itself).
func lookup(ctx context.Context, r Resolver, host string) ([]netip.Addr, error) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{ip.Unmap()}, nil
	}
	if r == nil {
		r = net.DefaultResolver
	}
	addrs, err := r.LookupNetIP(ctx, "ip", host)
	if err == nil && len(addrs) == 0 {
		err = &net.DNSError{Err: "no addresses", Name: host, IsNotFound: true}
	}
	for i := range addrs {
		addrs[i] = addrs[i].Unmap()
	}
	return addrs, err
}

// dialFirst connects to the first address that accepts.
func dialFirst(ctx context.Context, addrs []netip.Addr, port string) (net.Conn, string, error) {
	var errs []error
	var d net.Dialer
	for _, a := range addrs {
		addr := net.JoinHostPort(a.String(), port)
		c, err := d.DialContext(ctx, "tcp", addr)
		if err == nil {
			return c, addr, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	return nil, "", errors.Join(errs...)
}
