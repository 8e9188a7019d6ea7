// Package secrets validates the Secrets Manager documents a Lambda Kafka event
// source mapping reads (SASL credentials, an mTLS client certificate, a root
// CA) and rejects exactly what Lambda rejects.
//
// Every function returns *Error, whose Kind the caller maps to a stable
// problem code; findings that do not stop Lambda come back as Warnings.
// Nothing in this package prints a password or key material: error texts
// name the field and what is wrong, wrapped causes are only certificate
// parse errors, and Secret values print as "**redacted**".
//
// # Encrypted private keys
//
// crypto/x509 cannot decrypt encrypted PKCS#8, so this package parses
// EncryptedPrivateKeyInfo itself and implements every PBES1 scheme Lambda
// accepts, except the two MD2 ones:
//
//   - PKCS#12 PBE (1.2.840.113549.1.12.1.1-6): RFC 7292 appendix B key
//     derivation with SHA-1 over the password as a BMPString; 3-key and
//     2-key 3DES-CBC, RC2-CBC (128 and 40 bits, rc2.go) and RC4 (128, 40).
//   - PKCS#5 PBES1 (1.2.840.113549.1.5.3, .6, .10, .11): PBKDF1 with MD5 or
//     SHA-1; DES-CBC or RC2-CBC with 64 effective bits.
//   - pbeWithMD2AndDES-CBC and pbeWithMD2AndRC2-CBC (.5.1, .5.4) are not
//     decrypted: the result is a KindUnverifiablePBE warning with no key.
//
// A CBC padding error, or plaintext that is not PKCS#8 (the only check RC4
// allows), is KindWrongPassword. PBES2 (1.2.840.113549.1.5.13) is never
// decrypted: its cipher is named in a KindPBES2 error.
//
// Measured with OpenJDK 17.0.15 and the loader Kafka's PEM key store uses
// (EncryptedPrivateKeyInfo + SecretKeyFactory.getInstance(algName)): Java
// loads .5.3, .12.1.1, .12.1.2, .12.1.3, .12.1.5 and .12.1.6; it has no
// factory for .5.1, .5.4, .5.6, .5.10, .5.11 and .12.1.4, and it rejects
// any password outside printable ASCII (0x20-0x7e).
//
// # mTLS secrets as Lambda loads them
//
// ParseClientCertificate follows Kafka's DefaultSslEngineFactory with
// ssl.keystore.type=PEM, what Lambda's pollers run (javapem.go): PEM
// blocks are found as its PemParser regex finds them, values are trimmed
// as ConfigDef trims them, a set privateKeyPassword (even empty) makes the
// key read as encrypted, the Java limits above are failures, and the
// chain's names are checked as Java's key store does. What only the broker
// rejects (a key that does not match, a signature that does not verify, a
// DSA key, a leaf without clientAuth) is an error too, of its own kind, so
// callers can show the PROBLEM Lambda would. integration/pem_cases_test.go
// holds the cases this was checked on against the real loader.
package secrets
