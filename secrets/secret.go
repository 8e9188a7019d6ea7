package secrets

import (
	"fmt"
	"log/slog"
)

// redacted is what a Secret prints as, whatever the verb or encoder.
const redacted = "**redacted**"

// Secret is a string that never prints: String, GoString, Format (every
// verb), MarshalJSON, MarshalText and LogValue all yield "**redacted**".
// Reveal returns the value, for the one place that must send it.
type Secret struct {
	value string
}

// NewSecret wraps s.
func NewSecret(s string) Secret { return Secret{value: s} }

// Reveal returns the wrapped value.
func (s Secret) Reveal() string { return s.value }

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.value == "" }

// String returns "**redacted**".
func (s Secret) String() string { return redacted }

// GoString returns "**redacted**", so %#v does not print the value either.
func (s Secret) GoString() string { return redacted }

// Format writes "**redacted**" for every verb and flag (%v %+v %#v %s %q %x...).
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// MarshalJSON encodes the secret as the JSON string "**redacted**".
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText returns "**redacted**" (used by encoders and as a map key).
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// LogValue keeps the value out of log/slog output.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }
