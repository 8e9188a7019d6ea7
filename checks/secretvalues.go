package checks

import (
	"encoding/json"
	"strings"
)

// sensitiveKeys are the secret document keys whose values must never be
// printed (usernames and certificates are public).
var sensitiveKeys = []string{"password", "privateKey", "privateKeyPassword", "oauthClientSecret", "oauthPrivateKey"}

// SecretValues returns every sensitive value the configuration holds before
// the run, for the redactor: the secret documents given as files. Values
// learned during the run (documents fetched from Secrets Manager, AWS
// credentials, MSK IAM tokens) go to Config.Redact as they are learned.
func SecretValues(cfg Config) []string {
	var out []string
	for _, d := range []*SecretDoc{cfg.Secret, cfg.CA} {
		if d == nil || d == cfg.CA && !cfg.CAIsSecret && d.ARN == "" {
			continue
		}
		out = append(out, secretDocValues(d.Data)...)
	}
	return out
}

// secretDocValues returns the sensitive values of one secret document; a
// document that is not JSON is returned whole.
func secretDocValues(data []byte) []string {
	if len(data) == 0 {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return []string{string(data)}
	}
	var out []string
	for _, k := range sensitiveKeys {
		if s, ok := m[k].(string); ok && s != "" {
			out = append(out, s)
		}
	}
	return append(out, unknownKeys(m)...)
}

// documentKeys are the key names Lambda reads from a secret.
var documentKeys = []string{"username", "password", "certificate", "privateKey", "privateKeyPassword",
	"oauthTokenEndpointUrl", "oauthClientId", "oauthClientSecret", "oauthClientEmail", "oauthPrivateKey",
	"oauthTokenExpirationSeconds", "oauthIdpCaCertificate"}

// unknownKeys returns the key names that are none of Lambda's (in any
// letter case): such a name is treated like a value, since a secret pasted
// where a key belongs is a secret all the same.
func unknownKeys(m map[string]any) []string {
	var out []string
	for k := range m {
		known := false
		for _, d := range documentKeys {
			known = known || strings.EqualFold(k, d)
		}
		if !known {
			out = append(out, k)
		}
	}
	return out
}
