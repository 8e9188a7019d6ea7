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

	"github.com/esmdoctor/esmdoctor/jvmtls"
	"github.com/esmdoctor/esmdoctor/model"
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

// alertNames are RFC 8446's names (and TLS 1.2's) for every alert a
// broker may send, so a report never shows a bare number.
var alertNames = map[uint8]string{
	0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac", 21: "decryption_failed",
	22: "record_overflow", 30: "decompression_failure", alertHandshakeFailure: "handshake_failure",
	41: "no_certificate", alertBadCertificate: "bad_certificate", alertUnsupportedCert: "unsupported_certificate",
	alertCertificateRevoked: "certificate_revoked", alertCertificateExpired: "certificate_expired",
	alertCertificateUnknown: "certificate_unknown", 47: "illegal_parameter", alertUnknownCA: "unknown_ca",
	alertAccessDenied: "access_denied", 50: "decode_error", 51: "decrypt_error", 60: "export_restriction",
	70: "protocol_version", 71: "insufficient_security", 80: "internal_error", 86: "inappropriate_fallback",
	90: "user_canceled", 100: "no_renegotiation", 109: "missing_extension", 110: "unsupported_extension",
	111: "certificate_unobtainable", 112: "unrecognized_name", 113: "bad_certificate_status_response",
	114: "bad_certificate_hash_value", 115: "unknown_psk_identity", alertCertificateRequired: "certificate_required",
	120: "no_application_protocol",
}

func alertName(a uint8) string {
	if n, ok := alertNames[a]; ok {
		return fmt.Sprintf("%s (%d)", n, a)
	}
	return fmt.Sprintf("unknown alert %d", a)
}

func runTLS(ctx context.Context, s *State) Outcome {
	if !s.auth().UsesTLS() {
		return notApplicable("--auth none connects without TLS")
	}
	obs, shared := s.handshakes(ctx)
	askAsJava(ctx, obs, s)
	var detail []string
	var first *Outcome
	var silent []string
	failures := 0
	for _, o := range obs {
		if f, failed := classifyTLS(o, s); failed {
			failures++
			if first == nil || (first.Status != model.Fail && f.Status == model.Fail) {
				first = &f
			}
			if isSilent(o) {
				silent = append(silent, o.Addr)
			}
			detail = append(detail, fmt.Sprintf("%s: %s", o.Addr, catalogTitle(f.Code)))
			if len(o.PeerChain) > 0 {
				detail = append(detail, "  presented "+certLine(o.PeerChain[0]))
			}
			continue
		}
		line := fmt.Sprintf("%s: %s, %s", o.Addr, tlsVersion(o.Version), certLine(o.PeerChain[0]))
		if shared[o.Addr] {
			line += " (" + sharedNote + ")"
		}
		detail = append(detail, line)
	}
	if w, ok := silentAmongHealthy(s, silent, failures, len(obs)); ok {
		return w.withDetail(detail...)
	}
	if first != nil {
		first.blocks = true
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
		"ports_hint": portsHint(s.auth(), port), "trust": trustName(s), "now": s.Cfg.Now().UTC().Format(time.RFC3339)}
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
		err = verifyIPHost(o, s)
	}
	if err == nil {
		if s.auth() == AuthMTLS && !o.Requested {
			return fail(catalog.TLS009, args), true
		}
		return Outcome{}, false
	}
	args["detail"] = shortErr(err, "")
	if out, ok := classifyRaw(o, s, args); ok {
		return out, true
	}
	var javaErr *jvmtls.Error
	if errors.As(err, &javaErr) {
		out := classifyJava(javaErr, o, args)
		if s.Creds.Roots == nil && (javaErr.Reason == jvmtls.NoTrustAnchor || javaErr.Reason == jvmtls.Incomplete) {
			if note := localTrustNote(o.PeerChain, host); note != "" {
				out = out.withDetail(note)
			}
		}
		return out, true
	}
	out = classifyTLSErr(err, o, args)
	if o.Raw != nil && o.Raw.HasAlert {
		out = out.withDetail("Java's own TLS 1.2 offer (its DHE and CBC-SHA384 suites included) was refused too: alert " + alertName(o.Raw.Alert))
	}
	return out, true
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
		return "the CA in " + s.caDoc().Source + " (" + strings.Join(names, "; ") + ")"
	}
	return "the public root CAs Lambda's Java trusts (no SERVER_ROOT_CA_CERTIFICATE / --ca-file given)"
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
