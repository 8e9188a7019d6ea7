package integration

import (
	"strings"
)

// pemCase is one mTLS secret, what esmdoctor's secret check must say about
// it (want: "pass" or a code) and what the Java client must do with it
// (java: ok, load-failed or handshake-failed). differs explains, for the
// cases where the two verdicts do not agree, why Lambda is believed to side
// with esmdoctor; a disagreement without it fails the test.
type pemCase struct {
	name     string
	cert     string
	key      string
	password *string
	want     string
	java     string
	differs  string
	// unavailable says why the case could not be built here (an openssl
	// without the scheme); the row is reported, not run.
	unavailable string
}

const (
	javaOK        = "ok"
	javaLoad      = "load-failed"
	javaHandshake = "handshake-failed"
)

// The broker in the Java peer trusts only the root, so a leaf issued by the
// intermediate needs the intermediate in its chain.
const differsIncomplete = "esmdoctor cannot know which CAs the broker trusts: it warns (ESM-SECRET-103) that the chain stops at a certificate that is not self-signed, and the tls check names it when the broker rejects the certificate; against a broker that trusts the intermediate the same secret connects"

func pw(s string) *string { return &s }

// pemCases builds every case from the PKI.
func pemCases(p *pemPKI) []pemCase {
	const pass = "esm-key-pass"
	chainR := p.leafR + p.root
	chainI := p.leafI + p.inter + p.root
	cases := []pemCase{
		{name: "pkcs8-rsa", cert: chainR, key: p.leafRKey, want: "pass", java: javaOK},
		{name: "pkcs8-ec", cert: p.leafEC + p.root, key: p.leafECKey, want: "pass", java: javaOK},
		{name: "pkcs1-rsa", cert: chainR, key: p.traditional(p.leafRKey), want: "ESM-SECRET-004", java: javaLoad},
		{name: "sec1-ec", cert: p.leafEC + p.root, key: p.traditional(p.leafECKey), want: "ESM-SECRET-004", java: javaLoad},
		{name: "ec-parameters-then-pkcs8", cert: p.leafEC + p.root, key: p.ecParams() + p.leafECKey, want: "pass", java: javaOK},
		{name: "ed25519", cert: p.leafEd + p.root, key: p.leafEdKey, want: "ESM-SECRET-012", java: javaLoad},
		{name: "dsa", cert: p.leafDSA + p.root, key: p.leafDSAKey, want: "ESM-SECRET-027", java: javaHandshake},
		{name: "eku-serverauth-only", cert: p.leafServerOnly + p.root, key: p.leafServerOKey, want: "ESM-SECRET-028", java: javaHandshake},
		{name: "key-not-matching", cert: chainR, key: p.otherKey, want: "ESM-SECRET-007", java: javaHandshake},
		{name: "two-keys", cert: chainR, key: p.leafRKey + p.otherKey, want: "ESM-SECRET-026", java: javaLoad},
		{name: "certificate-field-holds-key-too", cert: chainR + p.leafRKey, key: p.leafRKey, want: "ESM-SECRET-102", java: javaOK},
		{name: "key-field-holds-certificate-too", cert: chainR, key: p.leafR + p.leafRKey, want: "ESM-SECRET-102", java: javaOK},
		{name: "literal-backslash-n", cert: strings.ReplaceAll(chainR, "\n", `\n`), key: p.leafRKey, want: "ESM-SECRET-003", java: javaLoad},
		{name: "pkcs8-under-rsa-label", cert: chainR, key: strings.ReplaceAll(p.leafRKey, "PRIVATE KEY", "RSA PRIVATE KEY"), want: "pass", java: javaOK},
		{name: "issuer-not-a-ca", cert: p.leafUnderLeaf + p.leafR + p.root, key: p.leafUnderLeafKey, want: "ESM-SECRET-021", java: javaHandshake},
		{name: "bag-attributes-preamble", cert: "Bag Attributes\n    localKeyID: 01 02 03\nsubject=CN = esm-pem-client\n" + chainR, key: p.leafRKey, want: "pass", java: javaOK},
	}
	cases = append(cases, pemSchemeCases(p, chainR, pass)...)
	cases = append(cases, pemPasswordCases(p, chainR, pass)...)
	cases = append(cases, []pemCase{
		{name: "chain-leaf-intermediate-root", cert: chainI, key: p.leafIKey, want: "pass", java: javaOK},
		{name: "chain-leaf-intermediate", cert: p.leafI + p.inter, key: p.leafIKey, want: "ESM-SECRET-103", java: javaOK},
		{name: "chain-leaf-only-issued-by-root", cert: p.leafR, key: p.leafRKey, want: "ESM-SECRET-103", java: javaOK},
		{name: "chain-leaf-only-issued-by-intermediate", cert: p.leafI, key: p.leafIKey, want: "ESM-SECRET-103", java: javaHandshake, differs: differsIncomplete},
		{name: "chain-wrong-intermediate-same-name", cert: p.leafI + p.wrongInter + p.root, key: p.leafIKey, want: "ESM-SECRET-021", java: javaHandshake},
		{name: "chain-reversed", cert: p.root + p.inter + p.leafI, key: p.leafIKey, want: "ESM-SECRET-008", java: javaLoad},
		{name: "chain-out-of-order", cert: p.leafI + p.root + p.inter, key: p.leafIKey, want: "ESM-SECRET-008", java: javaLoad},
		{name: "chain-root-repeated", cert: chainR + p.root, key: p.leafRKey, want: "ESM-SECRET-008", java: javaLoad},
	}...)
	return append(cases, pemLayoutCases(p, chainR)...)
}

// pemSchemeCases encrypts the key with every PBES1 scheme openssl offers
// and with the PBES2 variants people meet.
func pemSchemeCases(p *pemPKI, chain, pass string) []pemCase {
	schemes := []struct {
		name string
		opts []string
		java string
		want string
		oid  string // for a synthetic key when openssl cannot make one
	}{
		{"pbes1-sha1-3des", []string{"-v1", "PBE-SHA1-3DES"}, javaOK, "pass", ""},
		{"pbes1-sha1-2des", []string{"-v1", "PBE-SHA1-2DES"}, javaLoad, "ESM-SECRET-025", ""},
		{"pbes1-sha1-rc4-128", []string{"-v1", "PBE-SHA1-RC4-128"}, javaOK, "pass", ""},
		{"pbes1-sha1-rc4-40", []string{"-v1", "PBE-SHA1-RC4-40"}, javaOK, "pass", ""},
		{"pbes1-sha1-rc2-128", []string{"-v1", "PBE-SHA1-RC2-128"}, javaOK, "pass", ""},
		{"pbes1-sha1-rc2-40", []string{"-v1", "PBE-SHA1-RC2-40"}, javaOK, "pass", ""},
		{"pbes1-md5-des", []string{"-v1", "PBE-MD5-DES"}, javaOK, "pass", ""},
		{"pbes1-sha1-des", []string{"-v1", "PBE-SHA1-DES"}, javaLoad, "ESM-SECRET-025", ""},
		{"pbes1-sha1-rc2-64", []string{"-v1", "PBE-SHA1-RC2-64"}, javaLoad, "ESM-SECRET-025", ""},
		{"pbes1-md5-rc2-64", []string{"-v1", "PBE-MD5-RC2-64"}, javaLoad, "ESM-SECRET-025", ""},
		{"pbes1-md2-des", []string{"-v1", "PBE-MD2-DES"}, javaLoad, "ESM-SECRET-025", "1.2.840.113549.1.5.1"},
		{"pbes1-md2-rc2-64", []string{"-v1", "PBE-MD2-RC2-64"}, javaLoad, "ESM-SECRET-025", "1.2.840.113549.1.5.4"},
		{"pbes2-aes-256-cbc", []string{"-v2", "aes-256-cbc"}, javaLoad, "ESM-SECRET-005", ""},
		{"pbes2-aes-128-cbc-hmacwithsha1", []string{"-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA1"}, javaLoad, "ESM-SECRET-005", ""},
		{"pbes2-des3", []string{"-v2", "des3"}, javaLoad, "ESM-SECRET-005", ""},
		{"pbes2-scrypt", []string{"-scrypt"}, javaLoad, "ESM-SECRET-005", ""},
	}
	var out []pemCase
	for _, s := range schemes {
		c := pemCase{name: s.name, cert: chain, password: pw(pass), want: s.want, java: s.java}
		key, ok := p.topk8(p.leafRKey, pass, s.opts...)
		if !ok && s.oid != "" {
			// openssl here has no MD2: an EncryptedPrivateKeyInfo with the
			// scheme's OID and random data is all either side looks at
			// before refusing the scheme.
			key, ok = syntheticEPKI(p.t, s.oid), true
			c.name += "-synthetic"
		}
		if !ok {
			c.unavailable = "openssl " + strings.Join(s.opts, " ") + " is not available here (not even with -provider legacy)"
		}
		c.key = key
		out = append(out, c)
	}
	return out
}

// pemPasswordCases are the privateKeyPassword edge cases.
func pemPasswordCases(p *pemPKI, chain, pass string) []pemCase {
	enc := func(password string) string { return encKey(p, p.leafRKey, password) }
	sha3des := enc(pass)
	return []pemCase{
		{name: "password-wrong", cert: chain, key: sha3des, password: pw("not-the-password"), want: "ESM-SECRET-006", java: javaLoad},
		{name: "password-missing", cert: chain, key: sha3des, want: "ESM-SECRET-006", java: javaLoad},
		{name: "password-empty-encrypted-key", cert: chain, key: sha3des, password: pw(""), want: "ESM-SECRET-006", java: javaLoad},
		{name: "password-on-unencrypted-key", cert: chain, key: p.leafRKey, password: pw(pass), want: "ESM-SECRET-022", java: javaLoad},
		{name: "password-empty-unencrypted-key", cert: chain, key: p.leafRKey, password: pw(""), want: "ESM-SECRET-022", java: javaLoad},
		{name: "password-non-ascii", cert: chain, key: enc("pässwörd"), password: pw("pässwörd"), want: "ESM-SECRET-023", java: javaLoad},
		{name: "password-trailing-space-in-key-and-secret", cert: chain, key: enc(pass + " "), password: pw(pass + " "), want: "ESM-SECRET-024", java: javaLoad},
		{name: "password-leading-space-in-key-and-secret", cert: chain, key: enc(" " + pass), password: pw(" " + pass), want: "ESM-SECRET-024", java: javaLoad},
		{name: "password-trailing-newline-in-secret-only", cert: chain, key: sha3des, password: pw(pass + "\n"), want: "ESM-SECRET-102", java: javaOK},
		{name: "password-on-pkcs1-key", cert: chain, key: p.traditional(p.leafRKey), password: pw(pass), want: "ESM-SECRET-004", java: javaLoad},
		{name: "password-whitespace-only-unencrypted-key", cert: chain, key: p.leafRKey, password: pw(" \t"), want: "ESM-SECRET-022", java: javaLoad},
		{name: "password-whitespace-only-encrypted-key", cert: chain, key: sha3des, password: pw("  "), want: "ESM-SECRET-006", java: javaLoad},
		{name: "encrypted-ec-key", cert: p.leafEC + p.root, key: encKey(p, p.leafECKey, pass), password: pw(pass), want: "pass", java: javaOK},
		{name: "encrypted-dsa-key", cert: p.leafDSA + p.root, key: encKey(p, p.leafDSAKey, pass), password: pw(pass), want: "ESM-SECRET-027", java: javaHandshake},
		{name: "password-inner-space", cert: chain, key: enc("two words"), password: pw("two words"), want: "pass", java: javaOK},
		{name: "password-ascii-punctuation", cert: chain, key: enc(`a"b\c/d{e}`), password: pw(`a"b\c/d{e}`), want: "pass", java: javaOK},
	}
}

// encKey encrypts key with PBE-SHA1-3DES, the scheme AWS documents.
func encKey(p *pemPKI, key, password string) string {
	k, ok := p.topk8(key, password, "-v1", "PBE-SHA1-3DES")
	if !ok {
		p.t.Fatalf("openssl cannot encrypt with PBE-SHA1-3DES")
	}
	return k
}

// pemLayoutCases vary line endings, indentation and line breaks.
func pemLayoutCases(p *pemPKI, chainR string) []pemCase {
	oneLine := func(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\n", " ")) }
	indent := func(s string) string {
		return "  " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n  ") + "\n"
	}
	return []pemCase{
		{name: "crlf", cert: strings.ReplaceAll(chainR, "\n", "\r\n"), key: strings.ReplaceAll(p.leafRKey, "\n", "\r\n"), want: "pass", java: javaOK},
		{name: "cr-only", cert: strings.ReplaceAll(chainR, "\n", "\r"), key: strings.ReplaceAll(p.leafRKey, "\n", "\r"), want: "ESM-SECRET-102", java: javaOK},
		{name: "no-trailing-newline", cert: strings.TrimSpace(chainR), key: strings.TrimSpace(p.leafRKey), want: "pass", java: javaOK},
		{name: "surrounding-blank-lines", cert: "\n\n" + chainR + "\n\n", key: "\n" + p.leafRKey + "\n", want: "pass", java: javaOK},
		{name: "indented", cert: indent(chainR), key: indent(p.leafRKey), want: "ESM-SECRET-102", java: javaOK},
		{name: "certificate-on-one-line", cert: oneLine(p.leafR), key: p.leafRKey, want: "ESM-SECRET-102", java: javaOK},
		{name: "key-on-one-line", cert: chainR, key: oneLine(p.leafRKey), want: "ESM-SECRET-102", java: javaOK},
		{name: "chain-on-one-line", cert: oneLine(chainR), key: p.leafRKey, want: "ESM-SECRET-007", java: javaHandshake},
		{name: "begin-glued-to-end", cert: strings.TrimRight(p.leafR, "\n") + p.root, key: p.leafRKey, want: "ESM-SECRET-102", java: javaOK},
	}
}
