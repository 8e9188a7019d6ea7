package checks

import "encoding/json"

// sensitiveKeys are the secret document keys whose values must never be
// printed (usernames and certificates are public).
var sensitiveKeys = []string{"password", "privateKey", "privateKeyPassword"}

// SecretValues returns every sensitive value in the run's secret documents,
// for the redactor. A document that is not JSON is registered whole.
func SecretValues(cfg Config) []string {
	var out []string
	for _, d := range []*SecretDoc{cfg.Secret, cfg.CA} {
		if d == nil || d == cfg.CA && !cfg.CAIsSecret {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(d.Data, &m); err != nil {
			out = append(out, string(d.Data))
			continue
		}
		for _, k := range sensitiveKeys {
			if s, ok := m[k].(string); ok && s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}
