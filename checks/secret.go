package checks

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"github.com/esmdoctor/esmdoctor/catalog"
	"strings"

	"github.com/esmdoctor/esmdoctor/jvmtls"
	"github.com/esmdoctor/esmdoctor/secrets"
)

var secretCheck = Check{
	ID:    "secret",
	Title: "secrets are well-formed for the auth mode",
	// The mapping fetches its secrets with the token sts obtained.
	Needs: []string{"mapping", "sts"},
	Run:   runSecret,
}

// kindCodes maps secret validation failures to problem codes.
var kindCodes = map[secrets.Kind]string{
	secrets.KindNotJSON:         catalog.SECRET001,
	secrets.KindMissingKey:      catalog.SECRET001,
	secrets.KindWrongType:       catalog.SECRET001,
	secrets.KindTooLarge:        catalog.SECRET002,
	secrets.KindNoPEM:           catalog.SECRET003,
	secrets.KindWrongPEMType:    catalog.SECRET003,
	secrets.KindNotPKCS8:        catalog.SECRET004,
	secrets.KindPBES2:           catalog.SECRET005,
	secrets.KindPasswordMissing: catalog.SECRET006,
	secrets.KindWrongPassword:   catalog.SECRET006,
	secrets.KindKeyMismatch:     catalog.SECRET007,
	secrets.KindChainOrder:      catalog.SECRET008,
	secrets.KindNotCA:           catalog.SECRET021,
	secrets.KindExpired:         catalog.SECRET009,
	secrets.KindNotYetValid:     catalog.SECRET009,
	secrets.KindBadCertificate:  catalog.SECRET010,
	secrets.KindUnsupportedPBE:  catalog.SECRET011,
	secrets.KindBadKey:          catalog.SECRET012,
	// Kafka's Java PEM loader and the broker (catalog/codes_secret_java.go).
	secrets.KindChainSignature:     catalog.SECRET021,
	secrets.KindPasswordUnused:     catalog.SECRET022,
	secrets.KindPasswordNotASCII:   catalog.SECRET023,
	secrets.KindPasswordWhitespace: catalog.SECRET024,
	secrets.KindJavaUnsupportedPBE: catalog.SECRET025,
	secrets.KindManyKeys:           catalog.SECRET026,
	secrets.KindDSAKey:             catalog.SECRET027,
	secrets.KindNoClientAuth:       catalog.SECRET028,
}

// warningFixes is the remediation for each warning kind.
var warningFixes = map[secrets.Kind]string{
	secrets.KindPasswordSpecialChars:  "if the mapping fails SASL login, choose a password without \\, / or \"",
	secrets.KindUnverifiablePBE:       "re-encrypt the key with PBES1 SHA1/3DES (openssl pkcs8 -topk8 -v1 PBE-SHA1-3DES) so it can be verified",
	secrets.KindSurroundingWhitespace: "remove the leading or trailing whitespace from the value",
	secrets.KindUnverifiedSignature:   "reissue the certificate with a SHA-256 (or stronger) signature so the chain can be verified",
	secrets.KindNotCA:                 "use the CA certificate that signed the broker certificate (basicConstraints CA:TRUE)",
	secrets.KindPEMLayout:             "put each -----BEGIN and -----END line on a line of its own, without indentation, with \\n line breaks (AWS documents that each certificate starts on a new line)",
	secrets.KindChainIncomplete:       "make sure the broker trusts the issuer of the last certificate, or add the missing intermediate and root certificates to the chain",
	secrets.KindIgnoredPEMBlock:       "keep only the certificate chain in certificate and only the key in privateKey: a key in the certificate field is stored as if it were public",
	secrets.KindExpired:               "nothing fails yet: Java never checks a trusted root's own dates; replace the root when the CA is next rotated",
	secrets.KindNotYetValid:           "nothing fails: Java never checks a trusted root's own dates",
}

func runSecret(ctx context.Context, s *State) Outcome {
	fetched, failure, ok := fetchSecrets(ctx, s)
	if !ok {
		return failure
	}
	secret, ca := s.secretDoc(), s.caDoc()
	var warnings []secrets.Warning
	detail := fetched
	if secret != nil {
		w, d, err := parseClientSecret(s, *secret)
		if err != nil {
			return secretFailure(secret.Source, err)
		}
		warnings, detail = append(warnings, w...), append(detail, d...)
	}
	if ca != nil {
		w, lines, err := parseRoots(s, ca)
		if err != nil {
			return secretFailure(ca.Source, err)
		}
		warnings, detail = append(warnings, w...), append(detail, lines...)
	}
	s.TLS = clientTLS(s)
	if secret == nil && ca == nil {
		if s.auth().UsesTLS() {
			return notApplicable("no secret or CA file given; public root CAs like those of Lambda's JVM verify the brokers (not this machine's trust store)").withDetail(detail...)
		}
		return notApplicable("--auth none uses no secret")
	}
	if len(warnings) > 0 {
		w := warnings[0]
		code := catalog.SECRET102
		switch w.Kind {
		case secrets.KindPasswordSpecialChars:
			code = catalog.SECRET101
		case secrets.KindChainIncomplete:
			code = catalog.SECRET103
		}
		for _, more := range warnings[1:] {
			detail = append(detail, "also: "+more.String())
		}
		return warn(code, Args{"source": sources(secret, ca), "detail": w.String(), "fix": warningFixes[w.Kind]}, detail...)
	}
	return pass(detail...)
}

// parseRoots validates the root CA (a PEM file, or the
// SERVER_ROOT_CA_CERTIFICATE secret's JSON) and keeps it for TLS.
func parseRoots(s *State, ca *SecretDoc) ([]secrets.Warning, []string, error) {
	var roots *secrets.RootCA
	var err error
	if s.caIsSecret() {
		roots, err = secrets.ParseRootCASecret(ca.Data, s.Cfg.Now())
	} else {
		roots, err = secrets.ParseCAFile(ca.Data, s.Cfg.Now())
	}
	if err != nil {
		return nil, nil, err
	}
	s.Creds.Roots = roots
	var lines []string
	for _, c := range roots.Certs {
		lines = append(lines, fmt.Sprintf("%s: trusts CA %s (expires %s)", ca.Source, c.Subject, c.NotAfter.UTC().Format("2006-01-02")))
	}
	return roots.Warnings, lines, nil
}

// parseClientSecret validates the secret for the auth mode and stores the
// credentials for later checks.
func parseClientSecret(s *State, doc SecretDoc) ([]secrets.Warning, []string, error) {
	switch {
	case s.auth() == AuthIAM:
		return nil, []string{fmt.Sprintf("%s: not used by MSK IAM", doc.Source)}, nil
	case s.auth() == AuthOAuth:
		return parseOAuthSecret(s, doc)
	case s.auth() == AuthMTLS:
		cc, err := secrets.ParseClientCertificate(doc.Data, s.Cfg.Now())
		if err != nil {
			return nil, nil, err
		}
		s.Creds.Client = cc
		leaf := cc.Chain[0]
		s.Principal = "User:" + leaf.Subject.String()
		return cc.Warnings, []string{fmt.Sprintf("%s: client certificate %s issued by %s, expires %s; key %s",
			doc.Source, leaf.Subject, leaf.Issuer, leaf.NotAfter.UTC().Format("2006-01-02"), cc.KeyEncryption)}, nil
	case s.auth().UsesSASL():
		sc, err := secrets.ParseSASL(doc.Data)
		if err != nil {
			return nil, nil, err
		}
		s.Creds.SASL = sc
		s.Principal = "User:" + sc.Username
		return sc.Warnings, []string{fmt.Sprintf("%s: username %q, password present (%s)", doc.Source, sc.Username, s.auth().Mechanism())}, nil
	}
	return nil, []string{fmt.Sprintf("%s: not used by --auth %s", doc.Source, s.auth())}, nil
}

// secretFailure maps a validation error to its code.
func secretFailure(source string, err error) Outcome {
	var se *secrets.Error
	if !errors.As(err, &se) {
		return fail(catalog.SECRET001, Args{"source": source, "detail": "cannot be read"})
	}
	code, ok := oauthSecretCode(se)
	if !ok {
		code, ok = kindCodes[se.Kind]
	}
	if !ok {
		code = catalog.SECRET001
	}
	return fail(code, Args{"source": source, "detail": se.Error()})
}

// clientTLS builds the TLS configuration every broker connection uses:
// what Lambda's Java client offers and verifies (jvmtls: TLS 1.2 or later,
// Java's suites, Java 17's path and hostname rules against the CA file or,
// without one, public roots like the JVM's), and the client certificate
// for mTLS.
func clientTLS(s *State) *tls.Config {
	if !s.auth().UsesTLS() {
		return nil
	}
	cfg := jvmtls.ClientConfig(brokerRoots(s), s.Cfg.Now)
	if s.Creds.Client != nil {
		cfg.Certificates = []tls.Certificate{s.Creds.Client.TLS}
	}
	return cfg
}

// sources names where the secrets came from, for messages.
func sources(docs ...*SecretDoc) string {
	var parts []string
	for _, d := range docs {
		if d != nil {
			parts = append(parts, d.Source)
		}
	}
	return strings.Join(parts, ", ")
}
