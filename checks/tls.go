package checks

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"github.com/esmdoctor/esmdoctor/catalog"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/esmdoctor/esmdoctor/probe"
)

var tlsCheck = Check{
	ID:    "tls",
	Title: "brokers complete a verified TLS handshake",
	Needs: []string{"tcp", "secret"},
	Run:   runTLS,
}

// TLS alert numbers (RFC 8446 section 6) that mean "your certificate".
const (
	alertHandshakeFailure    = 40
	alertBadCertificate      = 42
	alertUnsupportedCert     = 43
	alertCertificateRevoked  = 44
	alertCertificateExpired  = 45
	alertCertificateUnknown  = 46
	alertUnknownCA           = 48
	alertAccessDenied        = 49
	alertCertificateRequired = 116
)

var alertNames = map[uint8]string{
	alertHandshakeFailure: "handshake_failure", alertBadCertificate: "bad_certificate",
	alertUnsupportedCert: "unsupported_certificate", alertCertificateRevoked: "certificate_revoked",
	alertCertificateExpired: "certificate_expired", alertCertificateUnknown: "certificate_unknown",
	alertUnknownCA: "unknown_ca", alertAccessDenied: "access_denied", alertCertificateRequired: "certificate_required",
}

func alertName(a uint8) string {
	if n, ok := alertNames[a]; ok {
		return fmt.Sprintf("%d (%s)", a, n)
	}
	return fmt.Sprint(a)
}

func runTLS(ctx context.Context, s *State) Outcome {
	if !s.Cfg.Auth.UsesTLS() {
		return notApplicable("--auth none connects without TLS")
	}
	obs := probe.HandshakeAll(ctx, s.Reachable, s.TLS, s.Step)
	var detail []string
	var first *Outcome
	for _, o := range obs {
		if f, failed := classifyTLS(o, s); failed {
			if first == nil {
				first = &f
			}
			detail = append(detail, fmt.Sprintf("%s: %s", o.Addr, catalogTitle(f.Code)))
			if len(o.PeerChain) > 0 {
				detail = append(detail, "  presented "+certLine(o.PeerChain[0]))
			}
			continue
		}
		detail = append(detail, fmt.Sprintf("%s: %s, %s", o.Addr, tlsVersion(o.Version), certLine(o.PeerChain[0])))
	}
	if first != nil {
		return first.withDetail(detail...)
	}
	return pass(detail...)
}

// classifyTLS maps a handshake observation to a failure; failed is false
// when the handshake and the first Kafka request both succeeded.
func classifyTLS(o probe.TLSObservation, s *State) (out Outcome, failed bool) {
	host, portStr, _ := net.SplitHostPort(o.Addr)
	port, _ := strconv.Atoi(portStr)
	args := Args{"addr": o.Addr, "host": host, "port": portStr, "budget": waited(o.Err, o.PostErr, s.Step),
		"ports_hint": portsHint(s.Cfg.Auth, port), "trust": trustName(s), "now": s.Cfg.Now().UTC().Format(time.RFC3339)}
	if len(o.PeerChain) > 0 {
		leaf := o.PeerChain[0]
		args["subject"], args["issuer"] = leaf.Subject.String(), leaf.Issuer.String()
		args["sans"] = sanList(leaf)
		args["not_before"], args["not_after"] = leaf.NotBefore.UTC().Format(time.RFC3339), leaf.NotAfter.UTC().Format(time.RFC3339)
	}
	if s.Creds.Client != nil {
		args["client"] = clientDescription(s.Creds.Client)
	}
	err := o.Err
	if err == nil {
		err = o.PostErr
	}
	if err == nil {
		if s.Cfg.Auth == AuthMTLS && !o.Requested {
			return fail(catalog.TLS009, args), true
		}
		return Outcome{}, false
	}
	args["detail"] = shortErr(err, "")
	return classifyTLSErr(err, o, args), true
}

// classifyTLSErr is the typed classification of a TLS failure.
func classifyTLSErr(err error, o probe.TLSObservation, args Args) Outcome {
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var header tls.RecordHeaderError
	var notKafka *probe.NotKafkaError
	if alert, ok := probe.RemoteAlert(err); ok {
		args["alert"] = alertName(alert)
		switch {
		case !o.ClientSent && (o.Requested || alert == alertCertificateRequired):
			return fail(catalog.TLS007, args)
		case o.ClientSent && isCertAlert(alert):
			return fail(catalog.TLS004, args)
		}
		args["detail"] = "the broker sent TLS alert " + alertName(alert)
		return fail(catalog.TLS008, args)
	}
	switch {
	case errors.As(err, &unknownCA):
		return fail(catalog.TLS001, args)
	case errors.As(err, &hostErr):
		return fail(catalog.TLS002, args)
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return fail(catalog.TLS003, args)
	case errors.As(err, &header):
		args["detail"] = "the broker answered with bytes that are not TLS"
		return fail(catalog.TLS005, args)
	case errors.As(err, &notKafka):
		args["detail"] = "the TLS peer answered an ApiVersions request with something that is not Kafka"
		return fail(catalog.TLS008, args)
	case isTimeout(err) && o.Err == nil:
		args["detail"] = "the handshake completed but the broker did not answer a Kafka ApiVersions request within " + args["budget"]
		return fail(catalog.TLS008, args)
	case isTimeout(err):
		return fail(catalog.TLS006, args)
	case isClosed(err) && o.Err != nil:
		args["detail"] = closedDetail(err)
		return fail(catalog.TLS005, args)
	case isClosed(err) && o.Requested && !o.ClientSent:
		args["alert"] = "none (connection closed)"
		return fail(catalog.TLS007, args)
	case isClosed(err) && o.ClientSent:
		args["alert"] = "none (connection closed)"
		return fail(catalog.TLS004, args)
	}
	return fail(catalog.TLS008, args)
}

func isCertAlert(a uint8) bool {
	switch a {
	case alertBadCertificate, alertUnsupportedCert, alertCertificateRevoked, alertCertificateExpired,
		alertCertificateUnknown, alertUnknownCA, alertAccessDenied, alertCertificateRequired, alertHandshakeFailure:
		return true
	}
	return false
}

func trustName(s *State) string {
	if s.Creds.Roots != nil && len(s.Creds.Roots.Certs) > 0 {
		var names []string
		for _, c := range s.Creds.Roots.Certs {
			names = append(names, c.Subject.String())
		}
		return "the CA in " + s.Cfg.CA.Source + " (" + strings.Join(names, "; ") + ")"
	}
	return "any CA in the system trust store (no SERVER_ROOT_CA_CERTIFICATE / --ca-file given)"
}

func sanList(c *x509.Certificate) string {
	var s []string
	for _, d := range c.DNSNames {
		s = append(s, "DNS:"+d)
	}
	for _, ip := range c.IPAddresses {
		s = append(s, "IP:"+ip.String())
	}
	if len(s) == 0 {
		return "no subject alternative names"
	}
	return strings.Join(s, ", ")
}

func certLine(c *x509.Certificate) string {
	return fmt.Sprintf("certificate %s [%s] issued by %s, expires %s", c.Subject, sanList(c), c.Issuer, c.NotAfter.UTC().Format("2006-01-02"))
}

func tlsVersion(v uint16) string {
	if v == 0 {
		return "TLS"
	}
	return tls.VersionName(v)
}
