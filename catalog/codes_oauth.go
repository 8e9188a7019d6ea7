package catalog

// OAUTHBEARER_AUTH (issue 14): the OAuth secret, the token check and the
// SASL/OAUTHBEARER login. Lambda documents no OAuth-specific PROBLEM text;
// a mapping that cannot log in shows "SASL authentication failed" (P4).
// Registered after codes.go's entries (file order), so the README table
// lists them last.
func init() {
	register(oauthSecretCodes...)
	register(tokenCodes...)
	register(saslOAuthCodes...)
}

const (
	oauthSecretFix = "store the OAUTHBEARER_AUTH secret as Lambda reads it: oauthTokenEndpointUrl (https://) and oauthClientId always; oauthClientSecret for the client-credentials grant, or oauthClientEmail + oauthPrivateKey (PKCS#8 PEM) and optionally oauthTokenExpirationSeconds for the JWT-bearer grant; optionally oauthIdpCaCertificate (PEM)"
	tokenNetFix    = "the mapping requests its token from {endpoint} before it connects to the brokers: from the mapping's network (its subnets, or the internet without VPC settings) the IdP must resolve and accept HTTPS"
	oauthLoginFix  = "compare the token with the listener's validation: its expected audience (Kafka: sasl.oauthbearer.expected.audience) against aud, its expected issuer against iss, the JWKS it trusts (sasl.oauthbearer.jwks.endpoint.url) against the token's key {kid}, and the SASL extensions it requires (OAUTHBEARER_LOGICAL_CLUSTER, OAUTHBEARER_IDENTITY_POOL); the broker's log names the reason"
)

var oauthSecretCodes = []Entry{
	{Code: SECRET030, Check: "secret", Severity: SevFail, Title: "OAuth token endpoint URL is not HTTPS",
		Problem: "P4", ErrorName: namedSASL, Cause: "{source}: {detail}",
		Remediation: "set oauthTokenEndpointUrl to the IdP's token endpoint as an absolute https:// URL (Lambda refuses any other scheme)"},
	{Code: SECRET031, Check: "secret", Severity: SevFail, Title: "OAuth secret mixes the two grants",
		Problem: "P4", ErrorName: namedSASL, Cause: "{source}: {detail}", Remediation: oauthSecretFix},
	{Code: SECRET032, Check: "secret", Severity: SevFail, Title: "OAuth secret has no complete grant",
		Problem: "P4", ErrorName: namedSASL, Cause: "{source}: {detail}", Remediation: oauthSecretFix},
	{Code: SECRET033, Check: "secret", Severity: SevFail, Title: "oauthTokenExpirationSeconds is not a number of seconds",
		Problem: "P4", ErrorName: namedSASL, Cause: "{source}: {detail}",
		Remediation: "set oauthTokenExpirationSeconds to a positive whole number of seconds (the JWT-bearer assertion's lifetime), or remove it"},
	{Code: SECRET034, Check: "secret", Severity: SevFail, Title: "OAuth private key cannot sign the JWT-bearer assertion",
		Problem: "P4", ErrorName: namedSASL, Cause: "{source}: {detail}",
		Remediation: "put the client's private key in oauthPrivateKey as unencrypted PKCS#8 PEM (-----BEGIN PRIVATE KEY-----), newlines escaped as \\n"},
	{Code: SECRET035, Check: "secret", Severity: SevFail, Title: "oauthIdpCaCertificate is not a PEM certificate",
		Problem: "P4", ErrorName: namedSASL, Cause: "{source}: {detail}",
		Remediation: "put the CA certificate(s) that issued the IdP's TLS certificate in oauthIdpCaCertificate as PEM, or remove the key when a public CA issued it"},
}

var tokenCodes = []Entry{
	{Code: TOKEN001, Check: "token", Severity: SevFail, Title: "OAuth token endpoint's name does not resolve",
		Problem: "P4", ErrorName: namedSASL, Cause: "{endpoint}: DNS lookup of {host}: {detail}", Remediation: tokenNetFix},
	{Code: TOKEN002, Check: "token", Severity: SevFail, Title: "OAuth token endpoint unreachable",
		Problem: "P4", ErrorName: namedSASL, Cause: "{endpoint}: TCP to {addr}: {detail}", Remediation: tokenNetFix},
	{Code: TOKEN003, Check: "token", Severity: SevFail, Title: "OAuth token endpoint's certificate is not trusted",
		Problem: "P4", ErrorName: namedSASL, Cause: "{endpoint}: TLS with {addr}: {detail} (verified against {trust})",
		Remediation: "put the CA that issued the IdP's certificate in the secret's oauthIdpCaCertificate (PEM), or serve a certificate from a public CA whose names include {host}"},
	{Code: TOKEN004, Check: "token", Severity: SevFail, Title: "IdP rejected the OAuth client credentials",
		Problem: "P4", ErrorName: namedSASL, Cause: "{endpoint}: HTTP {status} invalid_client for client {client_id} ({grant}){description}",
		Remediation: "check oauthClientId and oauthClientSecret (or, for the JWT-bearer grant, the key registered for oauthClientEmail) against the client registered at the IdP"},
	{Code: TOKEN005, Check: "token", Severity: SevFail, Title: "IdP refused the requested scope",
		Problem: "P4", ErrorName: namedSASL, Cause: "{endpoint}: HTTP {status} invalid_scope for client {client_id}, scope {scope}{description}",
		Remediation: "set OAUTHBEARER_SCOPE to scopes the client is allowed at the IdP, or grant the client that scope"},
	{Code: TOKEN006, Check: "token", Severity: SevFail, Title: "OAuth client may not use this grant",
		Problem: "P4", ErrorName: namedSASL, Cause: "{endpoint}: HTTP {status} unauthorized_client for client {client_id}, grant {grant}{description}",
		Remediation: "allow the grant for the client at the IdP, or store the other grant's fields in the secret"},
	{Code: TOKEN007, Check: "token", Severity: SevFail, Title: "IdP rejected the JWT-bearer assertion",
		Problem: "P4", ErrorName: namedSASL, Cause: "{endpoint}: HTTP {status} invalid_grant for {client_id} (assertion issued by {email}){description}",
		Remediation: "register the public key of oauthPrivateKey for {email} at the IdP, and check oauthTokenExpirationSeconds against the IdP's maximum assertion lifetime"},
	{Code: TOKEN008, Check: "token", Severity: SevFail, Title: "IdP knows no resource for the requested audience",
		Problem: "P4", ErrorName: namedSASL, Cause: "{endpoint}: HTTP {status} invalid_target for audience {audience}{description}",
		Remediation: "set OAUTHBEARER_AUDIENCE to the audience the IdP issues for the cluster (the value the brokers expect), or register it at the IdP"},
	{Code: TOKEN009, Check: "token", Severity: SevFail, Title: "IdP answered with an OAuth error",
		Problem: "P4", ErrorName: namedSASL, Cause: "{endpoint}: HTTP {status} {error} for client {client_id} ({grant}){description}",
		Remediation: "the IdP refused the token request; its error code {error} says why (RFC 6749 section 5.2)"},
	{Code: TOKEN010, Check: "token", Severity: SevFail, Title: "token endpoint answered with an HTTP error",
		Problem: "P4", ErrorName: namedSASL, Cause: "{endpoint}: HTTP {status} ({content_type}, {size} bytes), not an OAuth answer",
		Remediation: "check oauthTokenEndpointUrl: it must be the IdP's token endpoint (its discovery document's token_endpoint), not a login page or another path"},
	{Code: TOKEN011, Check: "token", Severity: SevFail, Title: "token endpoint answered without a token",
		Problem: "P4", ErrorName: namedSASL, Cause: "{endpoint}: HTTP {status} ({content_type}, {size} bytes): {detail}",
		Remediation: "check oauthTokenEndpointUrl: a token endpoint answers a token request with JSON holding access_token; this URL answers something else"},
	{Code: TOKEN012, Check: "token", Severity: SevFail, Title: "token request got no answer",
		Problem: "P4", ErrorName: namedSASL, Cause: "{endpoint}: {detail}",
		Remediation: "check the IdP's health and that nothing between the mapping and the IdP drops HTTPS requests"},
	{Code: TOKEN101, Check: "token", Severity: SevWarn, Title: "the IdP issued an expired token",
		Cause:       "the token of {sub} expired at {exp} (issued at {iat}); now is {now}: a broker rejects it",
		Remediation: "check the IdP's clock and the client's token lifetime"},
	{Code: TOKEN102, Check: "token", Severity: SevWarn, Title: "the access token is not a JWT",
		Cause:       "the IdP issued an opaque access token ({size} characters): its claims (sub, aud, exp) cannot be read, and brokers that validate JWTs against a JWKS reject it",
		Remediation: "configure the IdP to issue JWT access tokens for this client or audience"},
	{Code: TOKEN103, Check: "token", Severity: SevWarn, Title: "the token's audience is not the one requested",
		Cause:       "the mapping asked for audience {audience}, the token's aud is {aud}",
		Remediation: "brokers check aud: make the IdP honour the requested audience, or set OAUTHBEARER_AUDIENCE to the audience it issues"},
}

var saslOAuthCodes = []Entry{
	{Code: SASL020, Check: "sasl", Severity: SevFail, Title: "broker rejected the OAuth token",
		Problem: "P4", ErrorName: namedSASL,
		Cause:       "{addr}: OAUTHBEARER login with the token of {sub} (iss {iss}, aud {aud}, key {kid}, expires {exp}; extensions sent: {extensions}) rejected: Kafka error 58 SASL_AUTHENTICATION_FAILED{broker_message}",
		Remediation: oauthLoginFix},
	{Code: SASL021, Check: "sasl", Severity: SevFail, Title: "broker rejected an expired OAuth token",
		Problem: "P4", ErrorName: namedSASL,
		Cause:       "{addr}: the token of {sub} expired at {exp} (issued at {iat}; now is {now}) and the broker rejected it: Kafka error 58 SASL_AUTHENTICATION_FAILED{broker_message}",
		Remediation: "the IdP issues tokens that are already expired (or valid from a time still ahead): check its clock and the client's token lifetime"},
}
