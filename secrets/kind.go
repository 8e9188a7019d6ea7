package secrets

import (
	"fmt"
	"strings"
)

// Kind is the kind of validation failure (or warning); the caller maps each
// to a stable problem code. Values are never renumbered: new kinds go last.
type Kind int

// The kinds of failure. Those documented as warnings appear in a Warnings
// slice rather than as an error.
const (
	KindNotJSON         Kind = iota + 1 // not a JSON object
	KindMissingKey                      // a required key is absent or empty (Error.Field names it)
	KindWrongType                       // a key is not a string
	KindTooLarge                        // > 65,536 bytes
	KindNoPEM                           // the field holds no PEM block / garbage / truncated PEM
	KindWrongPEMType                    // e.g. a CERTIFICATE where the key should be, or vice versa
	KindNotPKCS8                        // PKCS#1 / SEC1 / other key encoding (Error.Detail says which)
	KindPBES2                           // encrypted with PBES2: Lambda/Java reject it
	KindUnsupportedPBE                  // encrypted with an OID that is neither PBES1 nor PBES2 we know
	KindPasswordMissing                 // encrypted key, no privateKeyPassword
	KindWrongPassword                   // password does not decrypt the key
	KindPasswordUnused                  // privateKeyPassword set (even empty) but the key is not encrypted: Kafka then fails to load it
	KindKeyMismatch                     // key does not match the first certificate
	KindChainOrder                      // chain not leaf-first: cert i+1 does not name cert i's issuer, or a cert repeats
	KindExpired                         // a certificate's NotAfter < now (Error.Detail: subject and date)
	KindNotYetValid                     // a certificate's NotBefore > now
	KindBadCertificate                  // x509 parse error
	KindNotCA                           // warning in a root CA document; an error for an issuer inside a client chain

	KindBadKey                // the key's DER does not parse, or its algorithm cannot sign
	KindUnverifiablePBE       // warning: a PBES1 scheme esmdoctor cannot decrypt (MD2); password not checked
	KindJavaUnsupportedPBE    // a PBES1 scheme Java 17's SunJCE has no SecretKeyFactory for
	KindPasswordNotASCII      // privateKeyPassword outside printable ASCII; Java's PBEKey rejects it
	KindPasswordSpecialChars  // warning: SASL password contains \ / or ", reported to break the mapping
	KindSurroundingWhitespace // warning: a value starts or ends with whitespace (often a stray newline)
	KindNoClientAuth          // the client certificate's extended key usage omits clientAuth: the broker rejects it
	KindUnverifiedSignature   // warning: a chain signature crypto/x509 cannot check (SHA-1, MD5, unknown algorithm)
	KindPasswordWhitespace    // privateKeyPassword has surrounding whitespace Kafka trims, and only the untrimmed one decrypts
	KindManyKeys              // privateKey holds more than one private key
	KindDSAKey                // a DSA key: Kafka's loader reads it, the broker cannot accept it in a TLS 1.3 handshake
	KindChainSignature        // the names chain up, but a signature does not verify: the broker rejects the chain
	KindChainIncomplete       // warning: the chain stops at a certificate that is not self-signed
	KindPEMLayout             // warning: PEM Kafka's loader reads, laid out against AWS's documented format
	KindIgnoredPEMBlock       // warning: a PEM block of another kind in the field, which Kafka's loader ignores
	KindNotHTTPS              // OAuth: oauthTokenEndpointUrl is not an absolute https:// URL
	KindMixedGrants           // OAuth: fields of the client-credentials and the JWT-bearer grant together
	KindNoGrant               // OAuth: neither oauthClientSecret nor oauthClientEmail + oauthPrivateKey
	KindBadNumber             // OAuth: oauthTokenExpirationSeconds is not a positive whole number of seconds
	kindEnd                   // sentinel for tests
)

// kindInfo is the stable name of a kind and the sentence its message starts with.
type kindInfo struct {
	name string
	text string
}

var kindInfos = map[Kind]kindInfo{
	KindNotJSON:               {"not-json", "secret is not a JSON object"},
	KindMissingKey:            {"missing-key", "required key is missing or empty"},
	KindWrongType:             {"wrong-type", "value is not a JSON string"},
	KindTooLarge:              {"too-large", "secret is larger than the 65,536 bytes Secrets Manager allows"},
	KindNoPEM:                 {"no-pem", "no usable PEM block"},
	KindWrongPEMType:          {"wrong-pem-type", "wrong kind of PEM block"},
	KindNotPKCS8:              {"not-pkcs8", "private key is not PKCS#8; Lambda accepts only BEGIN PRIVATE KEY or BEGIN ENCRYPTED PRIVATE KEY"},
	KindPBES2:                 {"pbes2", "encrypted with PBES2 (%s); Lambda accepts only PBES1 keys"},
	KindUnsupportedPBE:        {"unsupported-pbe", "encrypted with an unsupported scheme"},
	KindPasswordMissing:       {"password-missing", "missing or empty, but the private key is encrypted"},
	KindWrongPassword:         {"wrong-password", "does not decrypt the private key"},
	KindPasswordUnused:        {"password-unused", "set, but the private key is not encrypted; once a password is set, Kafka's client reads the key as encrypted and fails"},
	KindKeyMismatch:           {"key-mismatch", "private key does not match the first certificate"},
	KindChainOrder:            {"chain-order", "certificate chain is not in order (client certificate first, root last)"},
	KindExpired:               {"expired", "certificate has expired"},
	KindNotYetValid:           {"not-yet-valid", "certificate is not valid yet"},
	KindBadCertificate:        {"bad-certificate", "certificate does not parse"},
	KindNotCA:                 {"not-ca", "certificate is not a CA"},
	KindBadKey:                {"bad-key", "private key does not parse"},
	KindUnverifiablePBE:       {"unverifiable-pbe", "encrypted with a PBES1 scheme esmdoctor cannot decrypt; password and key match not verified"},
	KindJavaUnsupportedPBE:    {"java-unsupported-pbe", "encrypted with a PBES1 scheme Kafka's Java client cannot load (Java 17 has no key factory for it)"},
	KindPasswordNotASCII:      {"password-not-ascii", "has characters outside printable ASCII (0x20-0x7E), which Java's PBE key factory rejects before decrypting"},
	KindPasswordSpecialChars:  {"password-special-chars", "password contains characters reported to break the mapping"},
	KindSurroundingWhitespace: {"surrounding-whitespace", "value starts or ends with whitespace"},
	KindNoClientAuth:          {"no-client-auth", "client certificate's extended key usage does not allow TLS client authentication, so the broker rejects it"},
	KindUnverifiedSignature:   {"unverified-signature", "esmdoctor could not verify a certificate signature"},
	KindPasswordWhitespace:    {"password-whitespace", "starts or ends with whitespace, which Kafka's client trims before decrypting; only the untrimmed password decrypts the key"},
	KindManyKeys:              {"many-keys", "holds more than one private key; Kafka's loader requires exactly one"},
	KindDSAKey:                {"dsa-key", "is a DSA key: Kafka's loader reads it, but TLS 1.3 has no DSA signature, so no client certificate is sent and the broker rejects the handshake"},
	KindChainSignature:        {"chain-signature", "certificate chain does not verify, so the broker rejects it"},
	KindChainIncomplete:       {"chain-incomplete", "certificate chain stops below a root"},
	KindPEMLayout:             {"pem-layout", "the PEM layout differs from the documented one"},
	KindIgnoredPEMBlock:       {"ignored-pem-block", "holds a PEM block of another kind"},
	KindNotHTTPS:              {"not-https", "is not an absolute https:// URL"},
	KindMixedGrants:           {"mixed-grants", "fields of both OAuth grants are set; use oauthClientSecret (client credentials) or oauthClientEmail + oauthPrivateKey (JWT bearer), not both"},
	KindNoGrant:               {"no-grant", "no OAuth grant is complete; give oauthClientSecret (client credentials) or oauthClientEmail + oauthPrivateKey (JWT bearer)"},
	KindBadNumber:             {"bad-number", "is not a positive whole number of seconds"},
}

// String returns the kind's stable lower-kebab name, e.g. "pbes2".
func (k Kind) String() string {
	if info, ok := kindInfos[k]; ok {
		return info.name
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// message renders the kind's sentence with an optional detail. A text with a
// %s verb places the detail inside; otherwise the detail follows a colon.
func (k Kind) message(detail string) string {
	info, ok := kindInfos[k]
	if !ok {
		info.text = k.String()
	}
	if strings.Contains(info.text, "%s") {
		if detail == "" {
			detail = "unknown"
		}
		return fmt.Sprintf(info.text, detail)
	}
	if detail == "" {
		return info.text
	}
	return info.text + ": " + detail
}
