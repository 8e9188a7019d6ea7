package secrets

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"strings"
)

// Field names of the mTLS secret, as Lambda spells them.
const (
	fieldCertificate = "certificate"
	fieldKey         = "privateKey"
	fieldPassword    = "privateKeyPassword"
)

// legacyKeyTypes are the PEM labels of private keys that are not PKCS#8.
var legacyKeyTypes = map[string]string{
	"RSA PRIVATE KEY":     "PKCS#1 (BEGIN RSA PRIVATE KEY)",
	"EC PRIVATE KEY":      "SEC1 (BEGIN EC PRIVATE KEY)",
	"DSA PRIVATE KEY":     "OpenSSL DSA (BEGIN DSA PRIVATE KEY)",
	"OPENSSH PRIVATE KEY": "OpenSSH (BEGIN OPENSSH PRIVATE KEY)",
}

// keyResult is what parseKeyPEM learns about a private key.
type keyResult struct {
	key        crypto.Signer
	encryption string       // "none", "PBES1 (...)", "PBES2 (...)"
	scheme     *pbes1Scheme // the PBES1 scheme, nil when not PBES1-encrypted
	warnings   []Warning
}

// keyPassword is the secret's privateKeyPassword: set when the key is in
// the document (even empty), as Kafka's ssl.key.password then is.
type keyPassword struct {
	set   bool
	value string
}

// ParsePKCS8PrivateKeyPEM reads a PKCS#8 private key, decrypting it with
// password when it is a PBES1 ENCRYPTED PRIVATE KEY: every PBES1 scheme
// esmdoctor implements, whether or not Java can load it (ParseClientCertificate
// applies Java's limits). encryption describes the protection ("none",
// "PBES1 (pbeWithSHAAnd3-KeyTripleDES-CBC)", "PBES2 (aes-256-cbc)") and is
// set even with an error when it is known. A password given for an
// unencrypted key is ignored here.
//
// A PBES1 key esmdoctor cannot decrypt (MD2-based schemes, or an iteration
// count above maxIterations) yields a nil key and a KindUnverifiablePBE error.
func ParsePKCS8PrivateKeyPEM(pemBytes []byte, password []byte) (key crypto.Signer, encryption string, err error) {
	block, _, err := keyBlock(string(pemBytes))
	if err != nil {
		return nil, "", err
	}
	if isEPKI(block.Bytes) {
		r, err := decryptPKCS8(block.Bytes, password)
		return r.key, r.encryption, err
	}
	key, err = plainKey(block, string(pemBytes))
	return key, "none", err
}

// parseKeyPEM finds the one private key Kafka's loader reads in the field,
// then reads it as the loader does, by content (the BEGIN line's label
// plays no part): as an EncryptedPrivateKeyInfo when a password is set,
// as plain PKCS#8 otherwise.
func parseKeyPEM(data string, pw keyPassword) (keyResult, error) {
	block, warnings, err := keyBlock(data)
	if err != nil {
		return keyResult{}, err
	}
	var res keyResult
	switch {
	case isEPKI(block.Bytes) && pw.set:
		res, err = decryptJava(block.Bytes, pw)
	case isEPKI(block.Bytes):
		res, err = decryptPKCS8(block.Bytes, nil)
	default:
		var key crypto.Signer
		key, err = plainKey(block, data)
		res = keyResult{key: key, encryption: "none"}
		var e *Error
		if pw.set && (err == nil || errors.As(err, &e) && e.Kind == KindDSAKey) {
			// The loader parses it as an EncryptedPrivateKeyInfo, and fails.
			return keyResult{encryption: "none"}, newError(KindPasswordUnused, fieldPassword, unusedDetail(pw.value))
		}
	}
	if _, ok := res.key.(ed25519.PrivateKey); ok && err == nil {
		return keyResult{}, newError(KindBadKey, fieldKey, "an Ed25519 key; "+msgKeyFactories)
	}
	res.warnings = append(warnings, res.warnings...)
	return res, err
}

// isEPKI reports whether der is an EncryptedPrivateKeyInfo (a plain
// PKCS#8 key starts with its version INTEGER instead).
func isEPKI(der []byte) bool {
	var info encryptedPrivateKeyInfo
	rest, err := asn1.Unmarshal(der, &info)
	return err == nil && len(rest) == 0
}

// plainKey parses an unencrypted key; a legacy label explains a failure.
func plainKey(block javaBlock, data string) (crypto.Signer, error) {
	key, err := parsePKCS8(block.Bytes)
	if err != nil && legacyKeyTypes[block.Label] != "" {
		return nil, newError(KindNotPKCS8, fieldKey, legacyDetail(block.Label, data))
	}
	return key, err
}

// keyBlock returns the private key block Kafka's loader reads: exactly one
// entry whose BEGIN line names a PRIVATE KEY, anywhere in the field.
func keyBlock(data string) (javaBlock, []Warning, error) {
	blocks, err := javaPEM(fieldKey, keyKind, data)
	if err != nil {
		return javaBlock{}, nil, err
	}
	switch {
	case len(blocks) > 1:
		return javaBlock{}, nil, newError(KindManyKeys, fieldKey, fmt.Sprintf("found %d; keep only the key the certificate was issued for", len(blocks)))
	case len(blocks) == 0:
		return javaBlock{}, nil, noBlockError(fieldKey, "a private key", data)
	}
	warnings, _ := layoutWarnings(fieldKey, keyKind, blocks, data)
	return blocks[0], warnings, nil
}

// noBlockError explains a field where Kafka's loader finds nothing.
func noBlockError(field, want, data string) *Error {
	for _, b := range strictBlocks(data) {
		if b.Type != "EC PARAMETERS" {
			return newError(KindWrongPEMType, field, "found "+label(b.Type)+" where "+want+" belongs")
		}
	}
	if strings.Contains(data, "EC PARAMETERS") {
		return newError(KindNoPEM, field, "only EC PARAMETERS, no private key")
	}
	return newError(KindNoPEM, field, diagnoseNoPEM([]byte(data)))
}

func legacyDetail(typ, data string) string {
	d := legacyKeyTypes[typ]
	if strings.Contains(data, "Proc-Type:") {
		d += " with legacy OpenSSL PEM encryption"
	}
	return d
}

// parsePKCS8 parses an unencrypted PKCS#8 key that must be able to sign.
func parsePKCS8(der []byte) (crypto.Signer, error) {
	key, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, classifyKeyDER(der)
	}
	return asSigner(key)
}

// asSigner keeps keys that can sign a TLS handshake. Kafka's loader reads
// RSA, DSA and EC keys only: parseKeyPEM refuses Ed25519 for mTLS secrets,
// and classifyKeyDER names DSA (which crypto/x509 does not parse).
func asSigner(key any) (crypto.Signer, error) {
	switch key.(type) {
	case *rsa.PrivateKey, *ecdsa.PrivateKey, ed25519.PrivateKey:
		return key.(crypto.Signer), nil
	case *ecdh.PrivateKey:
		return nil, newError(KindBadKey, fieldKey, "an X25519 key cannot sign a TLS handshake; "+msgKeyFactories)
	}
	return nil, newError(KindBadKey, fieldKey, fmt.Sprintf("a %T; %s", key, msgKeyFactories))
}

const msgKeyFactories = "Kafka's Java client reads RSA, DSA and EC keys only"

// pkcs8 is the outer PrivateKeyInfo structure (RFC 5208).
type pkcs8 struct {
	Version    int
	Algo       pkix.AlgorithmIdentifier
	PrivateKey []byte
}

// keyAlgorithms names the algorithms crypto/x509 reads from PKCS#8.
var keyAlgorithms = map[string]string{
	"1.2.840.113549.1.1.1": "RSA",
	"1.2.840.10045.2.1":    "EC",
	"1.3.101.112":          "Ed25519",
	"1.3.101.110":          "X25519",
	"1.3.101.111":          "X448",
	"1.3.101.113":          "Ed448",
}

const (
	oidDSA      = "1.2.840.10040.4.1"
	msgNotPKCS8 = "not a valid PKCS#8 structure"
)

// classifyKeyDER explains why a PRIVATE KEY block did not parse.
func classifyKeyDER(der []byte) *Error {
	if _, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return newError(KindNotPKCS8, fieldKey, "PKCS#1 RSA key inside a PRIVATE KEY block")
	}
	if _, err := x509.ParseECPrivateKey(der); err == nil {
		return newError(KindNotPKCS8, fieldKey, "SEC1 EC key inside a PRIVATE KEY block")
	}
	var info pkcs8
	if rest, err := asn1.Unmarshal(der, &info); err != nil || len(rest) > 0 {
		return newError(KindBadKey, fieldKey, msgNotPKCS8)
	}
	oid := info.Algo.Algorithm.String()
	switch oid {
	case "1.3.101.111", "1.3.101.113":
		return newError(KindBadKey, fieldKey, "an "+keyAlgorithms[oid]+" key; "+msgKeyFactories)
	case oidDSA:
		return newError(KindDSAKey, fieldKey, "")
	}
	if name, ok := keyAlgorithms[oid]; ok {
		return newError(KindBadKey, fieldKey, "malformed "+name+" key")
	}
	return newError(KindBadKey, fieldKey, "unsupported key algorithm "+oid)
}
