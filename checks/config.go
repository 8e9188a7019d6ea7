// Package checks replays the setup sequence of a Lambda Kafka event source
// mapping, one check per step, in the order the mapping performs them:
// probe -> observation -> classify -> result. Only the probes in this
// package touch the network; classification is pure and works on typed
// errors and Kafka error codes.
package checks

import (
	"context"
	"time"

	"github.com/esmdoctor/esmdoctor/awsprobe"
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
	// AuthIAM is MSK IAM: SASL/OAUTHBEARER over TLS with a token signed by
	// the identity's AWS credentials (no secret).
	AuthIAM Auth = "iam"
)

// Auths lists every mode, for flag validation and help.
var Auths = []Auth{AuthNone, AuthTLS, AuthMTLS, AuthSASLPlain, AuthSCRAM256, AuthSCRAM512, AuthIAM}

// UsesTLS says whether the mode runs over TLS (every mode but none: the
// mapping never uses SASL without TLS).
func (a Auth) UsesTLS() bool { return a != AuthNone }

// UsesSASL says whether the mode logs in with a username and password
// (PLAIN or SCRAM); MSK IAM logs in with a token instead (LogsIn).
func (a Auth) UsesSASL() bool {
	return a == AuthSASLPlain || a == AuthSCRAM256 || a == AuthSCRAM512
}

// LogsIn says whether the mode performs a SASL login of any kind.
func (a Auth) LogsIn() bool { return a.UsesSASL() || a == AuthIAM }

// Mechanism is the SASL mechanism name on the wire.
func (a Auth) Mechanism() string {
	switch a {
	case AuthSASLPlain:
		return "PLAIN"
	case AuthSCRAM256:
		return "SCRAM-SHA-256"
	case AuthSCRAM512:
		return "SCRAM-SHA-512"
	case AuthIAM:
		return "OAUTHBEARER"
	}
	return ""
}

// Access configuration types (the mapping's SourceAccessConfigurations).
const (
	typeBasicAuth  = "BASIC_AUTH"
	typeSCRAM256   = "SASL_SCRAM_256_AUTH"
	typeSCRAM512   = "SASL_SCRAM_512_AUTH"
	typeClientCert = "CLIENT_CERTIFICATE_TLS_AUTH"
	typeRootCA     = "SERVER_ROOT_CA_CERTIFICATE"
	typeSubnet     = "VPC_SUBNET"
	typeSG         = "VPC_SECURITY_GROUP"
)

// AccessConfigType is the SourceAccessConfiguration type of the secret
// that selects the mode ("" for modes that use no secret).
func (a Auth) AccessConfigType() string {
	switch a {
	case AuthMTLS:
		return typeClientCert
	case AuthSASLPlain:
		return typeBasicAuth
	case AuthSCRAM256:
		return typeSCRAM256
	case AuthSCRAM512:
		return typeSCRAM512
	}
	return ""
}

// AuthForAccessConfigType is the mode a secret's access configuration type
// selects; false when the type names no authenticating secret.
func AuthForAccessConfigType(t string) (Auth, bool) {
	for _, a := range Auths {
		if t != "" && a.AccessConfigType() == t {
			return a, true
		}
	}
	return "", false
}

// SecretDoc is a secret document and where it came from (a file name, a
// Secrets Manager ARN, a lab scenario). Its bytes are never printed.
type SecretDoc struct {
	Source string
	Data   []byte
	// ARN, when set, names a Secrets Manager secret the secret check fetches
	// (Data is then filled during the run, not by the caller).
	ARN string
	// LocalFile marks a document the user gave as a file (--secret-file,
	// --ca-file): its flaws are input errors, not the cluster's.
	LocalFile bool
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
	// AWS is the AWS side of the mapping; nil for a purely self-managed
	// target given without any AWS input (sts, cluster and lambda-endpoint
	// are then not applicable).
	AWS *AWSConfig
	// Redact, when set, is called with every secret value the run learns
	// (secrets fetched from Secrets Manager, AWS credentials, MSK IAM
	// tokens), so the caller's redactor scrubs them from the report.
	Redact func(values ...string)
	// Notes are facts to print at the top of the report (with --esm: the
	// mapping's state, LastProcessingResult and what it means, the group id
	// it uses).
	Notes []string
}

// AWSConfig is how to reach AWS and what the mapping names there.
type AWSConfig struct {
	// Options are --region, --profile and --role-arn.
	Options awsprobe.Options
	// Session is the loaded configuration; nil makes the sts check load it
	// from Options.
	Session *awsprobe.Session
	// EventSourceARN is the MSK cluster ARN; "" for self-managed Kafka.
	EventSourceARN string
	// AccessConfigs are the mapping's SourceAccessConfigurations as given;
	// the secret ones are also in Config.Secret / Config.CA, the VPC ones
	// are reported.
	AccessConfigs []awsprobe.AccessConfig
	// Mapping is the event source mapping read with --esm or --function.
	Mapping *awsprobe.Mapping
	// Function is the mapping's function configuration; nil when unknown
	// (FunctionErr says why).
	Function    *awsprobe.Function
	FunctionErr string
	// FunctionName is the function an Invoke DryRun targets ("" without
	// --esm/--function).
	FunctionName string
	// IAMToken replaces the MSK IAM token signer (tests craft expired or
	// wrong-Region tokens with it); nil signs with the session's credentials.
	IAMToken TokenFunc
}

// TokenFunc returns an MSK IAM authentication token.
type TokenFunc func(ctx context.Context) (string, error)

// Region is the function's Region, as far as known.
func (a *AWSConfig) Region() string {
	if a.Session != nil && a.Session.Region != "" {
		return a.Session.Region
	}
	return a.Options.Region
}

// EventSourceARN is the MSK cluster ARN of an MSK target, or "".
func (c Config) EventSourceARN() string {
	if c.AWS == nil {
		return ""
	}
	return c.AWS.EventSourceARN
}

// MappingUUID is the UUID of the mapping read with --esm or --function, or "".
func (c Config) MappingUUID() string {
	if c.AWS == nil || c.AWS.Mapping == nil {
		return ""
	}
	return c.AWS.Mapping.UUID
}

// LastProcessingResult is what the mapping read with --esm reports, or "".
func (c Config) LastProcessingResult() string {
	if c.AWS == nil || c.AWS.Mapping == nil {
		return ""
	}
	return c.AWS.Mapping.LastProcessingResult
}

// ClientCredentials are what the secret check parsed, for later checks.
type ClientCredentials struct {
	SASL   *secrets.SASLCredentials
	Client *secrets.ClientCertificate
	Roots  *secrets.RootCA
}
