package oauthidp

import "crypto/rsa"

// VerifyRS256 checks a token's RS256 signature with pub and decodes its
// claims into out: a resource server in a test (the schema registry's
// OAuth gateway) accepts the IdP's tokens with it.
func VerifyRS256(token string, pub *rsa.PublicKey, out any) error {
	return verifyRS256(token, pub, out)
}
