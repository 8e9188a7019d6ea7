package secrets

import (
	"crypto"
	"crypto/ecdh"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
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
}

// ParsePKCS8PrivateKeyPEM reads a PKCS#8 private key, decrypting it with
// password when it is a PBES1 ENCRYPTED PRIVATE KEY. encryption describes the
// protection ("none", "PBES1 (pbeWithSHAAnd3-KeyTripleDES-CBC)", "PBES2
// (aes-256-cbc)") and is set even with an error when it is known. A password
// given for an unencrypted key is ignored here; ParseClientCertificate warns.
//
// A PBES1 key esmdoctor cannot decrypt (MD2-based schemes, or an iteration
// count above maxIterations) yields a nil key and a KindUnverifiablePBE error,
// which callers should treat as a warning: Lambda accepts such keys.
func ParsePKCS8PrivateKeyPEM(pemBytes []byte, password []byte) (key crypto.Signer, encryption string, err error) {
	r, err := parseKeyPEM(pemBytes, password)
	return r.key, r.encryption, err
}

func parseKeyPEM(data, password []byte) (keyResult, error) {
	block, err := keyBlock(data)
	if err != nil {
		return keyResult{}, err
	}
	if block.Type == "ENCRYPTED PRIVATE KEY" {
		return decryptPKCS8(block.Bytes, password)
	}
	key, err := parsePKCS8(block.Bytes)
	if err != nil {
		return keyResult{}, err
	}
	return keyResult{key: key, encryption: "none"}, nil
}

// keyBlock picks the key's PEM block: the first one that is not EC
// PARAMETERS (which `openssl ecparam -genkey` writes before the key).
func keyBlock(data []byte) (*pem.Block, error) {
	blocks, err := decodePEM(fieldKey, data)
	if err != nil {
		return nil, err
	}
	for _, b := range blocks {
		switch {
		case b.Type == "EC PARAMETERS":
			continue
		case b.Type == "PRIVATE KEY" || b.Type == "ENCRYPTED PRIVATE KEY":
			return b, nil
		case legacyKeyTypes[b.Type] != "":
			return nil, newError(KindNotPKCS8, fieldKey, legacyDetail(b))
		}
		return nil, newError(KindWrongPEMType, fieldKey, "found "+label(b.Type)+" where a private key belongs")
	}
	return nil, newError(KindNoPEM, fieldKey, "only EC PARAMETERS, no private key")
}

func legacyDetail(b *pem.Block) string {
	d := legacyKeyTypes[b.Type]
	if _, ok := b.Headers["Proc-Type"]; ok {
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

// asSigner keeps keys that can sign a TLS handshake.
func asSigner(key any) (crypto.Signer, error) {
	if _, ok := key.(*ecdh.PrivateKey); ok {
		return nil, newError(KindBadKey, fieldKey, "an X25519 key cannot sign a TLS handshake")
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, newError(KindBadKey, fieldKey, fmt.Sprintf("a %T cannot sign", key))
	}
	return signer, nil
}

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
}

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
		return newError(KindBadKey, fieldKey, "not a valid PKCS#8 structure")
	}
	oid := info.Algo.Algorithm.String()
	if name, ok := keyAlgorithms[oid]; ok {
		return newError(KindBadKey, fieldKey, "malformed "+name+" key")
	}
	if oid == "1.2.840.10040.4.1" {
		return newError(KindBadKey, fieldKey, "DSA keys are not supported by esmdoctor")
	}
	return newError(KindBadKey, fieldKey, "unsupported key algorithm "+oid)
}
