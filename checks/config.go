// Package checks replays the setup sequence of a Lambda Kafka event source
// mapping, one check per step, in the order the mapping performs them:
// probe -> observation -> classify -> result. Only the probes in this
// package touch the network; classification is pure and works on typed
// errors and Kafka error codes.
package checks

import (
	"time"

	"github.com/esmdoctor/esmdoctor/probe"
	"github.com/esmdoctor/esmdoctor/secrets"
)

// Resolver resolves hostnames; *net.Resolver implements it.
type Resolver = probe.Resolver

// Auth is the security mode the mapping uses to reach the brokers.
type Auth string

// The auth modes, named after what the mapping's SourceAccessConfigurations
// select (see README for the mapping).
const (
	AuthNone      Auth = "none"
	AuthTLS       Auth = "tls"
	AuthMTLS      Auth = "mtls"
	AuthSASLPlain Auth = "sasl-plain"
	AuthSCRAM256  Auth = "sasl-scram-256"
	AuthSCRAM512  Auth = "sasl-scram-512"
)

// Auths lists every mode, for flag validation and help.
var Auths = []Auth{AuthNone, AuthTLS, AuthMTLS, AuthSASLPlain, AuthSCRAM256, AuthSCRAM512}

// UsesTLS says whether the mode runs over TLS (every mode but none: the
// mapping never uses SASL without TLS).
func (a Auth) UsesTLS() bool { return a != AuthNone }

// UsesSASL says whether the mode logs in with SASL.
func (a Auth) UsesSASL() bool {
	return a == AuthSASLPlain || a == AuthSCRAM256 || a == AuthSCRAM512
}

// Mechanism is the SASL mechanism name on the wire.
func (a Auth) Mechanism() string {
	switch a {
	case AuthSASLPlain:
		return "PLAIN"
	case AuthSCRAM256:
		return "SCRAM-SHA-256"
	case AuthSCRAM512:
		return "SCRAM-SHA-512"
	}
	return ""
}

// AccessConfigType is the SourceAccessConfiguration type Lambda uses for the mode.
func (a Auth) AccessConfigType() string {
	switch a {
	case AuthMTLS:
		return "CLIENT_CERTIFICATE_TLS_AUTH"
	case AuthSASLPlain:
		return "BASIC_AUTH"
	case AuthSCRAM256:
		return "SASL_SCRAM_256_AUTH"
	case AuthSCRAM512:
		return "SASL_SCRAM_512_AUTH"
	}
	return ""
}

// SecretDoc is a secret document and where it came from (a file name, a
// Secrets Manager ARN, a lab scenario). Its bytes are never printed.
type SecretDoc struct {
	Source string
	Data   []byte
}

// Config is everything a run needs, copied out of the CLI flags into a plain
// struct so the checks never see the CLI library.
type Config struct {
	Bootstrap     []HostPort
	Topic         string
	Auth          Auth
	AuthReason    string // why this mode (given, or inferred from the secrets)
	Secret        *SecretDoc
	CA            *SecretDoc // a plain PEM file, or a SERVER_ROOT_CA_CERTIFICATE secret
	CAIsSecret    bool       // CA holds the JSON secret shape rather than plain PEM
	ConsumerGroup string
	Timeout       time.Duration
	JoinGroup     bool
	Verbose       bool
	// Now is the clock certificates are validated against (tests pin it).
	Now func() time.Time
	// Resolver lets tests replace DNS; nil uses the system resolver.
	Resolver Resolver
}

// ClientCredentials are what the secret check parsed, for later checks.
type ClientCredentials struct {
	SASL   *secrets.SASLCredentials
	Client *secrets.ClientCertificate
	Roots  *secrets.RootCA
}
