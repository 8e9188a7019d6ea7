package catalog

// secretJavaCodes are the mTLS secret findings that follow Kafka's Java PEM
// loader (DefaultSslEngineFactory with ssl.keystore.type=PEM, what Lambda's
// pollers run) and the broker's judgement of the chain it presents: P8
// where the loader rejects the secret, P10a where only the broker does
// (esmdoctor catches those at secret, before any connection).
var secretJavaCodes = []Entry{
	{Code: SECRET021, Check: "secret", Severity: SevFail, Title: "the broker will not accept the client certificate chain",
		Problem: "P10a", ErrorName: namedServerRejects, Cause: "{source}: {detail}",
		Remediation: "put the certificates that issued the client certificate in the chain, in order (client certificate, its issuer, ..., root): check each link with openssl verify -partial_chain -CAfile issuer.pem cert.pem"},
	{Code: SECRET022, Check: "secret", Severity: SevFail, Title: "privateKeyPassword set for an unencrypted key",
		Problem: "P8", ErrorName: namedInvalidCert, Cause: "{source}: {detail}",
		Remediation: "remove privateKeyPassword from the secret (an empty value counts as set), or encrypt the key with PBES1: openssl pkcs8 -topk8 -v1 PBE-SHA1-3DES -in key.pem -out key-pbes1.pem"},
	{Code: SECRET023, Check: "secret", Severity: SevFail, Title: "private key password is not printable ASCII",
		Problem: "P8", ErrorName: namedInvalidCert, Cause: "{source}: {detail}",
		Remediation: "re-encrypt the key with an ASCII password (letters, digits, punctuation, inner spaces): openssl pkcs8 -topk8 -v1 PBE-SHA1-3DES -in key.pem -out key-pbes1.pem, and store that password"},
	{Code: SECRET024, Check: "secret", Severity: SevFail, Title: "private key password has whitespace Kafka trims",
		Problem: "P8", ErrorName: namedInvalidCert, Cause: "{source}: {detail}",
		Remediation: "re-encrypt the key with a password without leading or trailing whitespace (openssl pkcs8 -topk8 -v1 PBE-SHA1-3DES -in key.pem -out key-pbes1.pem) and store it exactly"},
	{Code: SECRET025, Check: "secret", Severity: SevFail, Title: "private key is encrypted with a PBES1 scheme Java cannot load",
		Problem: "P8", ErrorName: namedInvalidCert, Cause: "{source}: {detail}",
		Remediation: "re-encrypt the key with PBE-SHA1-3DES: openssl pkcs8 -topk8 -v1 PBE-SHA1-3DES -in key.pem -out key-pbes1.pem (Java 17 loads PBE-SHA1-3DES, PBE-SHA1-RC2-128/40, PBE-SHA1-RC4-128/40 and PBE-MD5-DES only)"},
	{Code: SECRET026, Check: "secret", Severity: SevFail, Title: "privateKey holds more than one private key",
		Problem: "P8", ErrorName: namedInvalidCert, Cause: "{source}: {detail}",
		Remediation: "keep one key in privateKey: the one the client certificate was issued for (compare openssl pkey -pubout with openssl x509 -noout -pubkey)"},
	{Code: SECRET027, Check: "secret", Severity: SevFail, Title: "DSA client key",
		Problem: "P10a", ErrorName: namedServerRejects, Cause: "{source}: {detail}",
		Remediation: "issue the client certificate for an RSA or EC key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048)"},
	{Code: SECRET028, Check: "secret", Severity: SevFail, Title: "client certificate not valid for TLS client authentication",
		Problem: "P10a", ErrorName: namedServerRejects, Cause: "{source}: {detail}",
		Remediation: "issue the client certificate with extendedKeyUsage clientAuth (or without an extended key usage extension)"},
	{Code: SECRET103, Check: "secret", Severity: SevWarn, Title: "client certificate chain stops below a root",
		Cause:       "{source}: {detail}",
		Remediation: "make sure the broker trusts the issuer of the last certificate (its ssl.truststore), or add the missing intermediate and root certificates to the secret's certificate, in order"},
}
