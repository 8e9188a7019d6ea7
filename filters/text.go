package filters

import (
	"errors"
	"strings"
	"unicode"
)

// foldLower lower-cases s rune by rune (the simple case mapping).
func foldLower(s string) string { return strings.Map(unicode.ToLower, s) }

// foldEqual compares two strings ignoring case.
func foldEqual(a, b string) bool { return foldLower(a) == foldLower(b) }

// wildcard is a compiled wildcard pattern: literal segments separated by '*'.
type wildcard struct{ parts []string }

// compileWildcard splits s at unescaped '*'; "\*" is a literal star and
// "\\" a literal backslash; "**" is refused, as event-ruler refuses it.
func compileWildcard(s string) (wildcard, error) {
	var parts []string
	var cur strings.Builder
	prevStar := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			if i+1 >= len(s) || (s[i+1] != '*' && s[i+1] != '\\') {
				return wildcard{}, errors.New("wildcard: a backslash escapes only '*' or '\\'")
			}
			i++
			cur.WriteByte(s[i])
			prevStar = false
		case c == '*':
			if prevStar {
				return wildcard{}, errors.New("wildcard: consecutive '*' characters")
			}
			parts = append(parts, cur.String())
			cur.Reset()
			prevStar = true
		default:
			cur.WriteByte(c)
			prevStar = false
		}
	}
	return wildcard{parts: append(parts, cur.String())}, nil
}

// match reports whether v matches the wildcard pattern.
func (w wildcard) match(v string) bool {
	if len(w.parts) == 1 {
		return v == w.parts[0]
	}
	first, last := w.parts[0], w.parts[len(w.parts)-1]
	if !strings.HasPrefix(v, first) || len(v) < len(first)+len(last) {
		return false
	}
	rest := v[len(first):]
	for _, mid := range w.parts[1 : len(w.parts)-1] {
		if len(rest) < len(last) {
			return false
		}
		i := strings.Index(rest[:len(rest)-len(last)], mid)
		if i < 0 {
			return false
		}
		rest = rest[i+len(mid):]
	}
	return len(rest) >= len(last) && strings.HasSuffix(rest, last)
}
