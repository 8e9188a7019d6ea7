package checks

import (
	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/catalog"
)

// listener is the MSK listener a mapping uses and why.
type listener struct {
	auth    Auth
	brokers string // GetBootstrapBrokers' string for it
	field   string // the string's name in GetBootstrapBrokers' answer
	why     string
}

// chooseListener picks the listener Lambda uses for an MSK cluster by its
// documented preference: an mTLS secret, then a SCRAM secret, then IAM, then
// unauthenticated TLS, then plaintext (esm-problems.md section 3). When the
// mapping's choice is not offered it fails: Lambda never falls back.
func chooseListener(c awsprobe.Cluster, auth Auth) (listener, Outcome, bool) {
	b := c.Bootstrap
	tlsOK := c.Unauthenticated && c.InTransit != "PLAINTEXT"
	plainOK := c.Unauthenticated && c.InTransit != "TLS"
	var l listener
	var offered bool
	switch auth {
	case AuthMTLS:
		l, offered = listener{AuthMTLS, b.TLS, "BootstrapBrokerStringTls", "a CLIENT_CERTIFICATE_TLS_AUTH secret is given (Lambda's first preference)"}, c.TLSAuth
	case AuthSCRAM512:
		l, offered = listener{AuthSCRAM512, b.SASLSCRAM, "BootstrapBrokerStringSaslScram", "a SASL_SCRAM_512_AUTH secret is given (preferred to IAM)"}, c.SCRAM
	case AuthIAM:
		l, offered = listener{AuthIAM, b.SASLIAM, "BootstrapBrokerStringSaslIam", "--auth iam"}, c.IAM
	case AuthTLS:
		l, offered = listener{AuthTLS, b.TLS, "BootstrapBrokerStringTls", "--auth tls"}, tlsOK
	case AuthNone:
		l, offered = listener{AuthNone, b.Plaintext, "BootstrapBrokerString", "--auth none"}, plainOK
	case "":
		l, offered = preferred(c, tlsOK, plainOK)
	default:
		return l, fail(catalog.CLUSTER008, Args{"type": auth.AccessConfigType(), "why": "MSK offers SASL/SCRAM-SHA-512 only"}), false
	}
	args := Args{"arn": c.ARN, "wanted": string(l.auth), "why": l.why, "has": "enables " + authModes(c) + " with client-broker encryption " + c.InTransit,
		"field": l.field, "auth": string(l.auth)}
	if !offered {
		if l.auth == "" {
			args["wanted"], args["why"] = "a listener", "no secret is given"
			args["fix"] = "enable IAM (or unauthenticated access) on the cluster, or add a SASL_SCRAM_512_AUTH or CLIENT_CERTIFICATE_TLS_AUTH secret to the mapping"
		} else {
			args["fix"] = "enable " + string(l.auth) + " client authentication on the cluster (aws kafka update-security), or change the mapping's SourceAccessConfigurations to a mode the cluster offers"
		}
		return l, fail(catalog.CLUSTER006, args), false
	}
	if l.brokers == "" {
		return l, fail(catalog.CLUSTER007, args), false
	}
	return l, Outcome{}, true
}

// preferred is the listener Lambda uses when the mapping names no secret.
func preferred(c awsprobe.Cluster, tlsOK, plainOK bool) (listener, bool) {
	b := c.Bootstrap
	switch {
	case c.IAM:
		return listener{AuthIAM, b.SASLIAM, "BootstrapBrokerStringSaslIam", "no secret is given and the cluster enables IAM"}, true
	case tlsOK:
		return listener{AuthTLS, b.TLS, "BootstrapBrokerStringTls", "no secret is given, IAM is not enabled and the cluster allows unauthenticated TLS"}, true
	case plainOK:
		return listener{AuthNone, b.Plaintext, "BootstrapBrokerString", "no secret is given, IAM is not enabled and the cluster allows unauthenticated plaintext"}, true
	}
	return listener{}, false
}
