package secrets

import (
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
)

// encryptedPrivateKeyInfo is PKCS#8's EncryptedPrivateKeyInfo (RFC 5208).
type encryptedPrivateKeyInfo struct {
	Algo          pkix.AlgorithmIdentifier
	EncryptedData []byte
}

// pbeParams is both PKCS#5's PBEParameter and PKCS#12's pkcs-12PbeParams.
type pbeParams struct {
	Salt       []byte
	Iterations int
}

// pbes2Params is PBES2-params (RFC 8018 appendix A.4).
type pbes2Params struct {
	KDF    pkix.AlgorithmIdentifier
	Scheme pkix.AlgorithmIdentifier
}

// maxIterations bounds the key derivation work esmdoctor does (a few
// hundred milliseconds); OpenSSL writes 2048. Beyond it the key is reported
// as unverifiable rather than spending seconds per attempt.
const maxIterations = 1 << 20

const oidPBES2 = "1.2.840.113549.1.5.13"

// pbes2Ciphers names the PBES2 encryption schemes people actually meet.
var pbes2Ciphers = map[string]string{
	"1.3.14.3.2.7":            "des-cbc",
	"1.2.840.113549.3.7":      "des-ede3-cbc",
	"1.2.840.113549.3.2":      "rc2-cbc",
	"2.16.840.1.101.3.4.1.2":  "aes-128-cbc",
	"2.16.840.1.101.3.4.1.22": "aes-192-cbc",
	"2.16.840.1.101.3.4.1.42": "aes-256-cbc",
	"2.16.840.1.101.3.4.1.6":  "aes-128-gcm",
	"2.16.840.1.101.3.4.1.26": "aes-192-gcm",
	"2.16.840.1.101.3.4.1.46": "aes-256-gcm",
}

// decryptPKCS8 identifies the scheme of an ENCRYPTED PRIVATE KEY and, for
// PBES1, decrypts it. PBES2 is only named, never decrypted: Lambda rejects it.
func decryptPKCS8(der, password []byte) (keyResult, error) {
	info, scheme, res, err := identifyPBE(der)
	if err != nil {
		return res, err
	}
	res.key, err = decryptPBES1(scheme, info, password)
	return res, err
}

// decryptPBES1 decrypts with a known PBES1 scheme. A missing password comes
// first: it is a certain failure, while an MD2 scheme is only unverifiable.
func decryptPBES1(s *pbes1Scheme, info encryptedPrivateKeyInfo, password []byte) (key crypto.Signer, err error) {
	if len(password) == 0 {
		return nil, newError(KindPasswordMissing, fieldPassword, "")
	}
	if s.kdf == kdfMD2 {
		return nil, newError(KindUnverifiablePBE, fieldKey, s.name+" needs MD2, which esmdoctor does not implement")
	}
	var p pbeParams
	if rest, err := asn1.Unmarshal(info.Algo.Parameters.FullBytes, &p); err != nil || len(rest) > 0 || p.Iterations < 1 {
		return nil, newError(KindBadKey, fieldKey, "malformed "+s.name+" parameters")
	}
	if p.Iterations > maxIterations {
		detail := fmt.Sprintf("iteration count %d is above esmdoctor's limit of %d", p.Iterations, maxIterations)
		return nil, newError(KindUnverifiablePBE, fieldKey, detail)
	}
	plain, err := s.decrypt(password, p, info.EncryptedData)
	if err != nil {
		return nil, err
	}
	defer clear(plain)
	parsed, err := x509.ParsePKCS8PrivateKey(plain)
	if err != nil {
		// A wrong password gets past the padding check 1 time in 256 for
		// CBC (and always for RC4), but never yields a PKCS#8 structure.
		var info pkcs8
		if rest, err := asn1.Unmarshal(plain, &info); err == nil && len(rest) == 0 {
			return nil, classifyKeyDER(plain)
		}
		return nil, newError(KindWrongPassword, fieldPassword, "")
	}
	return asSigner(parsed)
}

// identifyPBE parses an ENCRYPTED PRIVATE KEY and names its scheme: PBES2
// and unknown schemes are errors (with the scheme in the result), PBES1
// comes back ready to decrypt.
func identifyPBE(der []byte) (encryptedPrivateKeyInfo, *pbes1Scheme, keyResult, error) {
	var info encryptedPrivateKeyInfo
	if rest, err := asn1.Unmarshal(der, &info); err != nil || len(rest) > 0 {
		return info, nil, keyResult{}, newError(KindBadKey, fieldKey, "not a valid EncryptedPrivateKeyInfo structure")
	}
	oid := info.Algo.Algorithm.String()
	if oid == oidPBES2 {
		cipher := describePBES2(info.Algo.Parameters)
		return info, nil, keyResult{encryption: "PBES2 (" + cipher + ")"}, newError(KindPBES2, fieldKey, cipher)
	}
	scheme, ok := pbes1Schemes[oid]
	if !ok {
		return info, nil, keyResult{}, newError(KindUnsupportedPBE, fieldKey, "algorithm OID "+oid)
	}
	return info, scheme, keyResult{encryption: "PBES1 (" + scheme.name + ")", scheme: scheme}, nil
}

// decryptJava reads an encrypted key for which privateKeyPassword is set, as Kafka's
// loader does: as an EncryptedPrivateKeyInfo whose algorithm Java has a
// key factory for, with the trimmed password, which must be printable
// ASCII.
func decryptJava(der []byte, pw keyPassword) (keyResult, error) {
	info, scheme, res, err := identifyPBE(der)
	if err != nil {
		return res, err
	}
	if !scheme.java {
		return res, newError(KindJavaUnsupportedPBE, fieldKey, scheme.name)
	}
	eff := javaTrim(pw.value)
	if eff == "" {
		return res, newError(KindPasswordMissing, fieldPassword, emptyDetail(pw.value))
	}
	if !printableASCII(eff) {
		return res, newError(KindPasswordNotASCII, fieldPassword, "")
	}
	key, err := decryptPBES1(scheme, info, []byte(eff))
	res.key = key
	if eff == pw.value {
		return res, err
	}
	var e *Error
	if errors.As(err, &e) && e.Kind == KindWrongPassword {
		if _, rawErr := decryptPBES1(scheme, info, []byte(pw.value)); rawErr == nil {
			return res, newError(KindPasswordWhitespace, fieldPassword, "")
		}
	}
	if err == nil {
		res.warnings = []Warning{{Kind: KindSurroundingWhitespace, Field: fieldPassword,
			Detail: "Kafka's client trims it, and the trimmed password decrypts the key"}}
	}
	return res, err
}

func unusedDetail(password string) string {
	if password == "" {
		return "privateKeyPassword is the empty string"
	}
	return ""
}

func emptyDetail(password string) string {
	if password == "" {
		return "the value is empty"
	}
	return "the value is only whitespace, which Kafka's client trims away"
}

// printableASCII reports whether Java's PBEKey accepts s (0x20-0x7E only).
func printableASCII(s string) bool {
	for _, r := range s {
		if r < 0x20 || r > 0x7e {
			return false
		}
	}
	return true
}

// describePBES2 names the cipher of PBES2-params, e.g. "aes-256-cbc".
func describePBES2(params asn1.RawValue) string {
	var p pbes2Params
	if rest, err := asn1.Unmarshal(params.FullBytes, &p); err != nil || len(rest) > 0 {
		return "unreadable parameters"
	}
	oid := p.Scheme.Algorithm.String()
	if name, ok := pbes2Ciphers[oid]; ok {
		return name
	}
	return "cipher OID " + oid
}
