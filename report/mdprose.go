package report

import "strings"

// prose renders free text for Markdown without escaping: words that
// Markdown would interpret (emphasis, HTML, links, tables, entities), JSON
// hints and shell commands go in code spans; everything else stays as
// written, so the raw text reads the same in a plain-text support case.
func prose(s string) string {
	toks := groupBrackets(tokens(s))
	for i, t := range toks {
		if commandWords[strings.TrimPrefix(strings.Fields(t)[0], "(")] || active(t) {
			toks[i] = spanned(t)
		}
	}
	return strings.Join(toks, " ")
}

// mdActive are characters that can change how GitHub renders text.
const mdActive = "\\`*<>[]|&~"

// active reports whether Markdown could interpret the token: it holds an
// active character, or starts or ends with "_" (intraword underscores, as
// in SERVER_ROOT_CA_CERTIFICATE, are literal in GitHub's Markdown).
func active(t string) bool {
	core := strings.Trim(t, "(),;:.\"'")
	return strings.ContainsAny(t, mdActive) || strings.HasPrefix(core, "_") || strings.HasSuffix(core, "_")
}

// spanned puts a token in a code span, leaving sentence punctuation
// around it outside the span.
func spanned(t string) string {
	lead := len(t) - len(strings.TrimLeft(t, "("))
	body := strings.TrimRight(t[lead:], ",;:.)")
	if body == "" {
		return t
	}
	// A closing bracket that belongs to the span stays inside it.
	for strings.Count(body, "(") > strings.Count(body, ")") && len(body) < len(t)-lead && t[lead+len(body)] == ')' {
		body += ")"
	}
	return t[:lead] + code(body) + t[lead+len(body):]
}

// groupBrackets joins tokens while a "{" or "<" is open, so a JSON hint
// such as {"certificate": "<root CA PEM>"} becomes one code span.
func groupBrackets(toks []string) []string {
	var out []string
	depth := 0
	for _, t := range toks {
		if depth > 0 {
			out[len(out)-1] += " " + t
		} else {
			out = append(out, t)
		}
		depth += strings.Count(t, "{") + strings.Count(t, "<") - strings.Count(t, "}") - strings.Count(t, ">")
		if depth < 0 {
			depth = 0
		}
	}
	return out
}
