package checks

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/probe"
	"github.com/esmdoctor/esmdoctor/registry"
)

// runConfluentRegistry reaches a Confluent-compatible registry as the
// pollers do (DNS, TCP, TLS with its root CA and client certificate),
// proves the credentials with a read-only GET, then fetches the schemas
// the sampled records reference and decodes the records with them.
func runConfluentRegistry(ctx context.Context, s *State, cfg registry.Config) Outcome {
	acc, o := readRegistryAccess(ctx, s, cfg)
	if o != nil {
		return *o
	}
	ep := acc.endpoint(s, cfg)
	reached := registry.Reach(ctx, ep, s.Step)
	detail := append(acc.lines, reachLine(ep, reached))
	if reached.Err != nil {
		return reachFailure(cfg, acc, reached).leading(detail...)
	}
	if o := acc.fetchToken(ctx, s, cfg); o != nil {
		return o.leading(detail...)
	}
	ep = acc.endpoint(s, cfg)
	detail = acc.lines
	detail = append(detail, reachLine(ep, reached))
	c := registry.NewClient(ep)
	defer c.Close()
	if _, err := c.Types(ctx, s.Step); err != nil {
		return httpFailure(s, cfg, acc, reached, "/schemas/types", err).leading(detail...)
	}
	detail = append(detail, fmt.Sprintf("GET %s/schemas/types answered with %s", strings.TrimSuffix(cfg.SchemaRegistryURI, "/"), acc.authName()))
	rep, stop := checkSample(ctx, s, cfg, confluentSource{s: s, c: c, cfg: cfg, acc: acc, reached: reached})
	if stop != nil {
		return stop.leading(detail...)
	}
	return sampleOutcome(s, cfg, rep).leading(detail...)
}

// parseRegistryURL parses SchemaRegistryURI (Validate accepted it).
func parseRegistryURL(uri string) (*url.URL, error) { return url.Parse(uri) }

// reachLine says what reaching the registry observed.
func reachLine(ep registry.Endpoint, r registry.Reached) string {
	line := fmt.Sprintf("registry %s: resolved to %v, connected to %s", ep.Base.Host, r.Addrs, r.Addr)
	if r.TLSVersion != 0 {
		line += fmt.Sprintf(", %s with %s", tlsVersion(r.TLSVersion), r.PeerSubject)
		if r.ClientCertRequested {
			line += " (it asked for a client certificate)"
		}
	}
	return line + fmt.Sprintf(" in %s", r.Elapsed)
}

// reachFailure classifies the step reaching the registry failed at.
func reachFailure(cfg registry.Config, acc registryAccess, r registry.Reached) Outcome {
	e := r.Err
	args := Args{"uri": cfg.SchemaRegistryURI, "addr": e.Addr, "host": e.Addr, "detail": shortErr(e.Err, "")}
	switch e.Stage {
	case registry.StageDNS:
		var de *net.DNSError
		if errors.As(e.Err, &de) && de.IsNotFound {
			args["detail"] = "no such host"
		}
		return fail(catalog.REGISTRY003, args)
	case registry.StageTCP:
		switch {
		case isRefused(e.Err):
			args["detail"] = "connection refused (nothing listens on that port)"
		case isTimeout(e.Err):
			args["detail"] = "no answer (a firewall or security group drops the packets)"
		}
		return fail(catalog.REGISTRY004, args)
	}
	args["detail"], args["fix"] = registryTLSCause(e.Err, acc, r)
	return fail(catalog.REGISTRY005, args)
}

// registryTLSCause names a TLS failure with the registry and its fix.
func registryTLSCause(err error, acc registryAccess, r registry.Reached) (string, string) {
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var header tls.RecordHeaderError
	alert, alerted := probe.RemoteAlert(err)
	subject := r.PeerSubject
	switch {
	case errors.As(err, &unknownCA):
		return "the registry's certificate (" + subject + ") is not signed by a trusted CA", "add a SERVER_ROOT_CA_CERTIFICATE access configuration whose secret holds the CA that signed the registry's certificate"
	case errors.As(err, &hostErr):
		return "the registry's certificate does not name the host: " + hostErr.Error(), "use the host name the certificate names in SchemaRegistryURI, or reissue the certificate with it"
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return "the registry's certificate has expired or is not yet valid: " + invalid.Error(), "renew the registry's certificate"
	case errors.As(err, &header):
		return "the registry answered with bytes that are not TLS", "use http:// in SchemaRegistryURI, or the registry's TLS port"
	case alerted && acc.client == nil && (r.ClientCertRequested || alert == alertCertificateRequired):
		return "the registry requires a client certificate and none was given (TLS alert " + alertName(alert) + ")", "add a CLIENT_CERTIFICATE_TLS_AUTH access configuration with a certificate the registry trusts"
	case alerted && acc.client != nil:
		return "the registry rejected the client certificate (TLS alert " + alertName(alert) + ")", "use a client certificate signed by a CA the registry trusts, and check that it has not expired"
	case alerted:
		return "the registry sent TLS alert " + alertName(alert), "check the registry's TLS configuration"
	}
	return shortErr(err, "TLS handshake failed"), "check the registry's TLS configuration"
}

// httpFailure classifies a failed GET. Over TLS 1.3 a registry rejects a
// client certificate (or its absence) only after the handshake completed,
// so the rejection shows on the first request: it is still a TLS failure.
func httpFailure(s *State, cfg registry.Config, acc registryAccess, reached registry.Reached, path string, err error) Outcome {
	if _, ok := probe.RemoteAlert(err); ok {
		detail, fix := registryTLSCause(err, acc, reached)
		return fail(catalog.REGISTRY005, Args{"uri": cfg.SchemaRegistryURI, "addr": reached.Addr, "detail": detail, "fix": fix})
	}
	var st *registry.StatusError
	if errors.As(err, &st) && (st.Status == 401 || st.Status == 403) {
		args := Args{"uri": cfg.SchemaRegistryURI, "path": path, "status": statusText(st), "auth": acc.authName()}
		args["fix"] = unauthorizedFix(acc, st.Status)
		return fail(catalog.REGISTRY006, args)
	}
	detail := shortErr(err, "")
	if isTimeout(err) {
		detail = "no answer within " + s.Step.String()
	}
	return fail(catalog.REGISTRY009, Args{"uri": cfg.SchemaRegistryURI, "path": path, "detail": detail})
}

func statusText(st *registry.StatusError) string {
	s := fmt.Sprintf("HTTP %d", st.Status)
	if st.ErrorCode != 0 {
		s += fmt.Sprintf(" (error_code %d)", st.ErrorCode)
	}
	return s
}

func unauthorizedFix(acc registryAccess, status int) string {
	switch {
	case acc.basic == nil && acc.client == nil:
		return "the registry requires authentication: add a BASIC_AUTH (or CLIENT_CERTIFICATE_TLS_AUTH) access configuration to the SchemaRegistryConfig"
	case status == 403:
		return "the registry knows the credentials but does not let them read schemas: grant the user read access in the registry"
	case acc.basic != nil:
		return "correct the username and password in the BASIC_AUTH secret (the registry rejects them)"
	}
	return "use a client certificate the registry accepts"
}

// confluentSource fetches schemas by id.
type confluentSource struct {
	s       *State
	c       *registry.Client
	cfg     registry.Config
	acc     registryAccess
	reached registry.Reached
}

func (confluentSource) wire() registry.Wire { return registry.WireConfluent }

func (c confluentSource) fetch(ctx context.Context, ref registry.Ref) (registry.Schema, error, *Outcome) {
	path := fmt.Sprintf("/schemas/ids/%d", ref.ID)
	sch, err := c.c.Schema(ctx, ref.ID, c.s.Step)
	var st *registry.StatusError
	if errors.As(err, &st) && st.Status == 404 {
		return sch, fmt.Errorf("GET %s: %s", path, statusText(st)), nil
	}
	if err != nil {
		o := httpFailure(c.s, c.cfg, c.acc, c.reached, path, err)
		return sch, nil, &o
	}
	return sch, nil, nil
}
