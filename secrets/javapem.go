package secrets

import (
	"bytes"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"regexp"
	"strings"
)

// Lambda's pollers run Kafka's Java client, which reads the secret's PEM
// values with DefaultSslEngineFactory.PemParser: a regular expression that
// finds BEGIN and END anywhere (not only at the start of a line), takes the
// label up to the last occurrence of the name on the BEGIN line, and
// decodes whatever base64 and whitespace lies between. Before that, Kafka's
// ConfigDef trims every value (String.trim). javaPEM reproduces both, so the
// secret check sees exactly the blocks Lambda's loader sees; the strict
// encoding/pem reading then tells where the layout departs from what AWS
// documents (each certificate on its own lines).

// Java's \s and '.' (which excludes line terminators, \r included), spelled
// for RE2: Go's \s lacks \v and its '.' matches \r.
const (
	javaSpace = `[ \t\n\x0B\f\r]`
	javaDot   = `[^\n\r\x{85}\x{2028}\x{2029}]`
)

// javaPEMPattern builds Kafka's PemParser pattern for a name such as
// "PRIVATE KEY"; group 1 is the label, group 2 the base64 body.
func javaPEMPattern(name string) *regexp.Regexp {
	n := strings.ReplaceAll(regexp.QuoteMeta(name), " ", javaSpace+"+")
	begin := `-+BEGIN` + javaSpace + `*(` + javaDot + `*` + n + `)[^-]*-+` + javaSpace + `+`
	params := `(?:` + javaSpace + `*[^\r\n]*:[^\r\n]*[\r\n]+)*`
	body := `([a-zA-Z0-9/+=` + javaSpace[1:len(javaSpace)-1] + `]*)`
	end := `-+END` + javaSpace + `*` + javaDot + `*` + n + `[^-]*-+` + javaSpace + `+`
	return regexp.MustCompile(begin + params + body + end)
}

// pemKind is what Kafka's loader looks for in a field: its entry pattern,
// and a pattern that counts BEGIN lines for it without spanning blocks.
type pemKind struct {
	name  string
	entry *regexp.Regexp
	begin *regexp.Regexp
}

func newPEMKind(name string) pemKind {
	n := strings.ReplaceAll(name, " ", javaSpace+"+")
	return pemKind{name: name, entry: javaPEMPattern(name), begin: regexp.MustCompile(`BEGIN[A-Z0-9 \t]*` + n)}
}

var (
	certKind = newPEMKind("CERTIFICATE")
	keyKind  = newPEMKind("PRIVATE KEY")
)

// javaBlock is one PEM entry as Kafka's loader finds it.
type javaBlock struct {
	Label string // the BEGIN line's text up to the name, e.g. "ENCRYPTED PRIVATE KEY"
	Bytes []byte
}

// plainLabel is a BEGIN label worth naming: the regex's greedy label can
// run across a one-line block into its base64, which must never be shown.
var plainLabel = regexp.MustCompile(`^[A-Z0-9]+( [A-Z0-9]+)*$`)

// safeLabel normalises the label's spacing, or blanks a label that is not
// plain words (it may hold key material).
func safeLabel(s string) string {
	l := strings.Join(strings.Fields(s), " ")
	if len(l) > 40 || !plainLabel.MatchString(l) {
		return ""
	}
	return l
}

// javaTrim is Java's String.trim: it strips every character up to U+0020
// (spaces and control characters) from both ends.
func javaTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
}

// javaPEM returns the entries Kafka's loader finds in value, in order. A
// body that is not base64 is an error, as it is for java.util.Base64.
func javaPEM(field string, kind pemKind, value string) ([]javaBlock, error) {
	text := javaTrim(value) + "\n"
	var out []javaBlock
	for _, m := range kind.entry.FindAllStringSubmatch(text, -1) {
		der, err := javaBase64(m[2])
		if err != nil {
			return nil, newError(KindNoPEM, field, fmt.Sprintf("block %d is not valid base64", len(out)+1))
		}
		out = append(out, javaBlock{Label: safeLabel(m[1]), Bytes: der})
	}
	return out, nil
}

// javaBase64 decodes like java.util.Base64's basic decoder after Kafka
// removed the whitespace: padding is optional, but must end the data.
func javaBase64(body string) ([]byte, error) {
	s := strings.Map(func(r rune) rune {
		if strings.ContainsRune(" \t\n\x0B\f\r", r) {
			return -1
		}
		return r
	}, body)
	trimmed := strings.TrimRight(s, "=")
	if strings.Contains(trimmed, "=") || len(s)-len(trimmed) > 2 {
		return nil, fmt.Errorf("misplaced padding")
	}
	return base64.RawStdEncoding.DecodeString(trimmed)
}

// strictBlocks is encoding/pem's reading of value: blocks whose BEGIN and
// END lines stand on lines of their own, as AWS documents.
func strictBlocks(value string) []*pem.Block {
	var blocks []*pem.Block
	rest := []byte(javaTrim(value))
	for {
		b, r := pem.Decode(rest)
		if b == nil {
			return blocks
		}
		blocks = append(blocks, b)
		rest = r
	}
}

// layoutWarnings compares what Kafka's loader found with the documented
// layout: blocks it reads only because it is lenient (indented, on one
// line, CR line breaks), blocks it skips (several on one line, truncated),
// and blocks of another kind it ignores. dropped is set when the loader
// reads fewer blocks of the kind than the field has BEGIN lines for.
func layoutWarnings(field string, k pemKind, found []javaBlock, value string) (warnings []Warning, dropped string) {
	kind := k.name
	strict := strictBlocks(value)
	var same []*pem.Block
	var other []string
	for _, b := range strict {
		switch {
		case strings.Contains(b.Type, kind):
			same = append(same, b)
		case b.Type != "EC PARAMETERS":
			other = append(other, label(b.Type))
		}
	}
	if len(other) > 0 {
		warnings = append(warnings, Warning{Kind: KindIgnoredPEMBlock, Field: field,
			Detail: fmt.Sprintf("%s besides the %s; Kafka's loader ignores it", strings.Join(other, ", "), strings.ToLower(kind))})
	}
	begins := len(k.begin.FindAllStringIndex(value, -1))
	if begins > len(found) {
		dropped = fmt.Sprintf("the field has %d -----BEGIN lines for a %s but Kafka's loader reads %d (%s)",
			begins, strings.ToLower(kind), len(found), layoutReason(value))
		return append(warnings, Warning{Kind: KindPEMLayout, Field: field, Detail: dropped}), dropped
	}
	if !sameBlocks(same, found) {
		warnings = append(warnings, Warning{Kind: KindPEMLayout, Field: field,
			Detail: "Kafka's loader reads it, but " + layoutReason(value)})
	}
	return warnings, ""
}

func sameBlocks(strict []*pem.Block, found []javaBlock) bool {
	if len(strict) != len(found) {
		return false
	}
	for i := range strict {
		if !bytes.Equal(strict[i].Bytes, found[i].Bytes) {
			return false
		}
	}
	return true
}

// layoutReason names how value departs from one block per line group.
func layoutReason(value string) string {
	v := javaTrim(value)
	lines := strings.Split(strings.ReplaceAll(v, "\r\n", "\n"), "\n")
	switch {
	case !strings.Contains(v, "\n") && strings.Contains(v, "\r"):
		return "its lines end in a bare CR; AWS documents one PEM line per line"
	case glued([]byte(v)):
		return msgGlued + ": several blocks share a line, and Kafka's loader keeps only one of them"
	}
	for _, l := range lines {
		if strings.Contains(l, "-----BEGIN") && strings.Contains(l, "-----END") {
			return "a whole PEM block is on one line; several blocks on one line are read as the last one only"
		}
		if strings.HasPrefix(strings.TrimLeft(l, " \t"), "-----") && l != strings.TrimLeft(l, " \t") {
			return "the PEM lines are indented; AWS documents that each -----BEGIN line starts a new line"
		}
	}
	return "a PEM block is truncated or malformed, and Kafka's loader skips it"
}
