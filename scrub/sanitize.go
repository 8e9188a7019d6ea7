// Package scrub is the one pass every report goes through before any
// renderer sees it: it redacts secret values and replaces control
// characters and escape sequences with visible escapes, in every string of
// the report. Renderers then add only their own layout characters.
package scrub

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text replaces what could change how a line is displayed or parsed with a
// visible escape: C0 and C1 control characters (ESC as \x1b, newline as
// \n, tab as \t, NUL as \x00), DEL, Unicode format characters (bidi
// overrides, zero-width characters), line and paragraph separators and
// invalid UTF-8. It also breaks GitHub Actions' legacy "##[" command
// prefix, which the runner acts on anywhere in a line of a step's output.
// Everything else, including backslashes, is kept as it is.
func Text(s string) string {
	if clean(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		case r == '[' && strings.HasSuffix(b.String(), "##"):
			b.WriteString(`\x5b`)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// clean reports whether s needs no escaping (the common case, kept cheap).
func clean(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError || (r >= 0x80 && unsafeRune(r)) {
			return false
		}
	}
	return !strings.Contains(s, "##[")
}

// unsafeRune: C1 controls, format characters (bidi, zero width, BOM), the
// line and paragraph separators, and U+FFFE/U+FFFF (not allowed in XML).
func unsafeRune(r rune) bool {
	return (r >= 0x80 && r <= 0x9f) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029' || r == 0xfffe || r == 0xffff
}
