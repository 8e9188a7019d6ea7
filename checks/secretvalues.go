package checks

import "encoding/json"

// sensitiveKeys are the secret document keys whose values must never be
// printed (usernames and certificates are public).
var sensitiveKeys = []string{"password", "privateKey", "privateKeyPassword"}

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
	return out
}
