package checks

import "github.com/esmdoctor/esmdoctor/resolve"

// The target's vocabulary lives in package resolve, which builds it from
// the user's inputs; these aliases keep the checks' own names.
type (
	// Auth is the security mode the mapping uses to reach the brokers.
	Auth = resolve.Auth
	// HostPort is one bootstrap server as written by the user.
	HostPort = resolve.HostPort
	// SecretDoc is a secret document and where it came from.
	SecretDoc = resolve.SecretDoc
	// InputError is a bad input: the CLI prints it as one line and exits 2.
	InputError = resolve.InputError
)

// The auth modes (see resolve).
const (
	AuthNone      = resolve.AuthNone
	AuthTLS       = resolve.AuthTLS
	AuthMTLS      = resolve.AuthMTLS
	AuthSASLPlain = resolve.AuthSASLPlain
	AuthSCRAM256  = resolve.AuthSCRAM256
	AuthSCRAM512  = resolve.AuthSCRAM512
	AuthIAM       = resolve.AuthIAM
	AuthOAuth     = resolve.AuthOAuth
	AuthIAMOAuth  = resolve.AuthIAMOAuth
)

// Access configuration types the checks look at.
const (
	typeBasicAuth = resolve.TypeBasicAuth
	typeSCRAM256  = resolve.TypeSCRAM256
	typeRootCA    = resolve.TypeRootCA
	typeSubnet    = resolve.TypeSubnet
	typeSG        = resolve.TypeSG
)

// ParseBootstrap parses a KAFKA_BOOTSTRAP_SERVERS list (see resolve).
func ParseBootstrap(flag string, list []string) ([]HostPort, error) {
	return resolve.ParseBootstrap(flag, list)
}
