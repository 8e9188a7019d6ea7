package secrets

// Error is the typed error every function of this package returns. Field is
// the JSON key concerned ("password", "privateKey", ...), empty for the whole
// document or a CA file. Detail is free of secret values by construction.
type Error struct {
	Kind   Kind
	Field  string
	Detail string
	// Err is the underlying cause when it is safe to expose (certificate
	// parse errors); it is nil whenever its text could hold secret material.
	Err error
}

// Error returns a lower-case message naming the field and what is wrong. It
// never includes a password, a key or key bytes.
func (e *Error) Error() string {
	return prefix(e.Field) + e.Kind.message(e.Detail)
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// Warning is a finding that does not stop Lambda from using the secret but
// is worth reporting (or is known to break some clients).
type Warning struct {
	Kind   Kind
	Field  string
	Detail string
}

// String renders the warning like Error.Error.
func (w Warning) String() string {
	return prefix(w.Field) + w.Kind.message(w.Detail)
}

func prefix(field string) string {
	if field == "" {
		return ""
	}
	return field + ": "
}

// newError builds an *Error without a cause.
func newError(kind Kind, field, detail string) *Error {
	return &Error{Kind: kind, Field: field, Detail: detail}
}

// warning converts an error finding into a warning.
func (e *Error) warning() Warning {
	return Warning{Kind: e.Kind, Field: e.Field, Detail: e.Detail}
}
