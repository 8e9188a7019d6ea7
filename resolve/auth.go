// Package resolve turns what the user gave (flags, files, or an event
// source mapping read from Lambda) into the mapping's target: bootstrap
// servers or MSK cluster, topic, consumer group, auth mode and why, the
// secrets, and the AWS inputs. It is fed a plain Inputs struct, so the CLI
// only copies flags, and the mapping check resolves a mapping read during
// the run with the same rules (FromMapping). It calls no AWS API.
package resolve

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
	// AuthOAuth is OAUTHBEARER_AUTH: SASL/OAUTHBEARER over TLS with an
	// access token the mapping requests from an OAuth 2.0 token endpoint
	// with the secret's client credentials or JWT-bearer key.
	AuthOAuth Auth = "oauth"
	// AuthIAMOAuth is IAM outbound identity federation
	// (IAM_OAUTHBEARER_AUTH): SASL/OAUTHBEARER over TLS with a JWT the
	// execution role gets from sts:GetWebIdentityToken.
	AuthIAMOAuth Auth = "iam-oauthbearer"
)

// Auths lists every mode, for flag validation and help.
var Auths = []Auth{AuthNone, AuthTLS, AuthMTLS, AuthSASLPlain, AuthSCRAM256, AuthSCRAM512, AuthIAM, AuthOAuth, AuthIAMOAuth}

// UsesTLS says whether the mode runs over TLS (every mode but none: the
// mapping never uses SASL without TLS).
func (a Auth) UsesTLS() bool { return a != AuthNone }

// UsesSASL says whether the mode logs in with a username and password
// (PLAIN or SCRAM); MSK IAM logs in with a token instead (LogsIn).
func (a Auth) UsesSASL() bool {
	return a == AuthSASLPlain || a == AuthSCRAM256 || a == AuthSCRAM512
}

// LogsIn says whether the mode performs a SASL login of any kind.
func (a Auth) LogsIn() bool { return a.UsesSASL() || a == AuthIAM || a.UsesToken() }

// UsesToken says whether the mode logs in with an access token the token
// check obtains: from an OAuth token endpoint (OAUTHBEARER_AUTH) or from
// sts:GetWebIdentityToken (IAM_OAUTHBEARER_AUTH).
func (a Auth) UsesToken() bool { return a == AuthOAuth || a == AuthIAMOAuth }

// Mechanism is the SASL mechanism name on the wire.
func (a Auth) Mechanism() string {
	switch a {
	case AuthSASLPlain:
		return "PLAIN"
	case AuthSCRAM256:
		return "SCRAM-SHA-256"
	case AuthSCRAM512:
		return "SCRAM-SHA-512"
	case AuthIAM, AuthOAuth, AuthIAMOAuth:
		return "OAUTHBEARER"
	}
	return ""
}

// Access configuration types (the mapping's SourceAccessConfigurations).
const (
	TypeBasicAuth  = "BASIC_AUTH"
	TypeSCRAM256   = "SASL_SCRAM_256_AUTH"
	TypeSCRAM512   = "SASL_SCRAM_512_AUTH"
	TypeClientCert = "CLIENT_CERTIFICATE_TLS_AUTH"
	TypeRootCA     = "SERVER_ROOT_CA_CERTIFICATE"
	TypeSubnet     = "VPC_SUBNET"
	TypeSG         = "VPC_SECURITY_GROUP"
	TypeOAuth      = "OAUTHBEARER_AUTH"
	// The OAuth settings: literal values (the URI is the value itself),
	// each requiring OAUTHBEARER_AUTH. Scope and audience go into the token
	// request; logical cluster and identity pool are sent to the brokers
	// as the SASL extensions logicalCluster and identityPoolId.
	TypeOAuthScope          = "OAUTHBEARER_SCOPE"
	TypeOAuthAudience       = "OAUTHBEARER_AUDIENCE"
	TypeOAuthLogicalCluster = "OAUTHBEARER_LOGICAL_CLUSTER"
	TypeOAuthIdentityPool   = "OAUTHBEARER_IDENTITY_POOL"
	// TypeIAM selects MSK IAM on a self-managed source (no URI).
	TypeIAM = "IAM_AUTH"
	// TypeIAMOAuth selects IAM outbound identity federation (no URI; needs
	// OAUTHBEARER_AUDIENCE, the only OAuth setting it takes).
	TypeIAMOAuth = "IAM_OAUTHBEARER_AUTH"
)

// AccessConfigType is the SourceAccessConfiguration type of the secret
// that selects the mode ("" for modes that use no secret).
func (a Auth) AccessConfigType() string {
	switch a {
	case AuthMTLS:
		return TypeClientCert
	case AuthSASLPlain:
		return TypeBasicAuth
	case AuthSCRAM256:
		return TypeSCRAM256
	case AuthSCRAM512:
		return TypeSCRAM512
	case AuthOAuth:
		return TypeOAuth
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
