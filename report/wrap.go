package report

import (
	"strings"
	"unicode/utf8"
)

// DefaultWidth is the text report's width when the output is not a
// terminal (a file, a pipe, a CI log).
const DefaultWidth = 80

// wrap breaks text into lines of at most width columns: the first line
// follows a prefix of first columns, the others are indented by indent
// columns (a hanging indent). Words are never split, so a single token
// wider than the room (a command, a URL) stands alone on its line.
func wrap(text string, first, indent, width int) []string {
	words := tokens(text)
	if len(words) == 0 {
		return []string{""}
	}
	var lines []string
	cur, used := words[0], first+cols(words[0])
	for _, w := range words[1:] {
		if used+1+cols(w) > width {
			lines = append(lines, cur)
			cur, used = w, indent+cols(w)
			continue
		}
		cur += " " + w
		used += 1 + cols(w)
	}
	return append(lines, cur)
}

// commandWords start a shell command in a fix; the command is kept on one
// line, so it pastes into a shell whole.
var commandWords = map[string]bool{"kafka-acls": true, "kafka-topics": true, "kafka-configs": true, "openssl": true, "aws": true}

// tokens splits text into words, keeping each shell command (from a
// command word to a word ending in ";", "," or ")", or to the end) as one
// unbreakable token.
func tokens(text string) []string {
	var out []string
	inCmd := false
	for _, w := range strings.Fields(text) {
		switch {
		case inCmd && strings.HasPrefix(w, "("):
			inCmd = false
			out = append(out, w)
		case inCmd:
			out[len(out)-1] += " " + w
		default:
			out = append(out, w)
			inCmd = commandWords[strings.TrimPrefix(w, "(")]
		}
		if inCmd && strings.ContainsAny(w[len(w)-1:], ";,)") {
			inCmd = false
		}
	}
	return out
}

// cols is the display width of s: one column per rune (the report prints
// no wide characters of its own, and scrubbed input has no controls).
func cols(s string) int { return utf8.RuneCountInString(s) }

// pad right-pads s with spaces to n columns.
func pad(s string, n int) string {
	if c := cols(s); c < n {
		return s + strings.Repeat(" ", n-c)
	}
	return s
}

// guardCommand keeps a line that esmdoctor did not mean as a GitHub
// Actions workflow command from being read as one: the runner acts on any
// line that starts with "::" after leading spaces.
func guardCommand(line string) string {
	trimmed := strings.TrimLeft(line, " ")
	if !strings.HasPrefix(trimmed, "::") {
		return line
	}
	return line[:len(line)-len(trimmed)] + `\x3a` + trimmed[1:]
}
