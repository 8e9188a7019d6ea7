package resolve

import "fmt"

// InputError is a bad value given on the command line or in a file: the CLI
// prints it as one line and exits with code 2.
type InputError struct {
	Input string // the flag or file concerned
	Value string // the offending value (never a secret)
	Msg   string
}

func (e *InputError) Error() string {
	switch {
	case e.Input == "":
		return e.Msg
	case e.Value != "":
		return fmt.Sprintf("%s: %q: %s", e.Input, e.Value, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Input, e.Msg)
}

// Usage is an input error that names no single input (a missing or
// conflicting flag); its message says which. Every exit-2 error, the
// CLI's own included, is an *InputError.
func Usage(format string, args ...any) error {
	return &InputError{Msg: fmt.Sprintf(format, args...)}
}
