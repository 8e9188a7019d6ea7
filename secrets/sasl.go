package secrets

import "strings"

// SASLCredentials is a validated BASIC_AUTH / SASL_SCRAM_256_AUTH /
// SASL_SCRAM_512_AUTH secret.
type SASLCredentials struct {
	Username string
	Password Secret
	Warnings []Warning
}

// specialChars are the password characters reported to break the mapping.
var specialChars = []struct{ char, name string }{
	{`\`, "backslash"},
	{`/`, "slash"},
	{`"`, "double quote"},
}

// ParseSASL validates a SASL secret: {"username": "...", "password": "..."},
// both non-empty strings. A password containing \, / or " is accepted with a
// KindPasswordSpecialChars warning.
func ParseSASL(doc []byte) (*SASLCredentials, error) {
	d, err := parseDocument(doc)
	if err != nil {
		return nil, err
	}
	user, err := d.str("username", true)
	if err != nil {
		return nil, err
	}
	pass, err := d.str("password", true)
	if err != nil {
		return nil, err
	}
	c := &SASLCredentials{Username: user, Password: NewSecret(pass)}
	c.Warnings = append(c.Warnings, whitespaceWarning("username", user)...)
	c.Warnings = append(c.Warnings, whitespaceWarning("password", pass)...)
	c.Warnings = append(c.Warnings, specialCharsWarning(pass)...)
	return c, nil
}

// specialCharsWarning names which of the troublesome characters occur (the
// character class only, never their position or the rest of the password).
func specialCharsWarning(pass string) []Warning {
	var found []string
	for _, sc := range specialChars {
		if strings.Contains(pass, sc.char) {
			found = append(found, sc.name+" ("+sc.char+")")
		}
	}
	if len(found) == 0 {
		return nil
	}
	detail := strings.Join(found, ", ")
	return []Warning{{Kind: KindPasswordSpecialChars, Field: "password", Detail: detail}}
}
