package secrets

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// MaxDocumentSize is the largest secret value Secrets Manager stores, in bytes.
const MaxDocumentSize = 65536

// document is a secret parsed as a JSON object, values kept raw so each key
// can be checked for its type and looked up case-sensitively (encoding/json
// struct decoding would match "Username" to "username"; Lambda does not).
type document map[string]json.RawMessage

// parseDocument checks the size and that doc is one JSON object.
func parseDocument(doc []byte) (document, error) {
	if len(doc) > MaxDocumentSize {
		return nil, newError(KindTooLarge, "", fmt.Sprintf("%d bytes", len(doc)))
	}
	var d document
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, newError(KindNotJSON, "", describeJSONError(doc, err))
	}
	if d == nil {
		return nil, newError(KindNotJSON, "", "the document is JSON null")
	}
	return d, nil
}

// describeJSONError explains a decoding failure without quoting the input:
// json's own messages echo a character of it, which may belong to a password.
func describeJSONError(doc []byte, err error) string {
	trimmed := bytes.TrimSpace(doc)
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case len(trimmed) == 0:
		return "the document is empty"
	case bytes.HasPrefix(doc, []byte("\xef\xbb\xbf")):
		return "the document starts with a UTF-8 byte order mark"
	case errors.As(err, &typ):
		return "the document is a JSON " + typ.Value + ", not an object"
	case errors.As(err, &syntax):
		return fmt.Sprintf("invalid JSON at byte offset %d", syntax.Offset)
	}
	return "invalid JSON"
}

// str returns the string under key. A required key must be present and
// non-empty; an absent or null optional key yields "".
func (d document) str(key string, required bool) (string, error) {
	raw, ok := d[key]
	isNull := ok && string(bytes.TrimSpace(raw)) == "null"
	if !ok || (isNull && !required) {
		if required {
			return "", newError(KindMissingKey, key, d.caseHint(key))
		}
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil || isNull {
		return "", newError(KindWrongType, key, "found "+jsonTypeName(raw))
	}
	if required && s == "" {
		return "", newError(KindMissingKey, key, "the value is empty")
	}
	return s, nil
}

// present reports whether key is in the document with a non-null value.
func (d document) present(key string) bool {
	raw, ok := d[key]
	return ok && string(bytes.TrimSpace(raw)) != "null"
}

// caseHint names a key that differs from want only in letter case.
func (d document) caseHint(want string) string {
	for k := range d {
		if strings.EqualFold(k, want) {
			return fmt.Sprintf("found %q; key names are case-sensitive", k)
		}
	}
	return ""
}

// jsonTypeName names the JSON type of a raw value (never its content).
func jsonTypeName(raw json.RawMessage) string {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return "nothing"
	}
	switch t[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// whitespaceWarning flags a value with leading or trailing whitespace, the
// usual trace of a value copied from a file that ended in a newline.
func whitespaceWarning(field, value string) []Warning {
	if value == "" || value == strings.TrimFunc(value, unicode.IsSpace) {
		return nil
	}
	return []Warning{{Kind: KindSurroundingWhitespace, Field: field}}
}

// JSONProblem says, in the words the secret check uses, what keeps doc
// from being a JSON object ("" when it is one): a byte order mark, an
// empty document, trailing garbage at an offset, an array.
func JSONProblem(doc []byte) string {
	var d document
	if err := json.Unmarshal(doc, &d); err != nil {
		return describeJSONError(doc, err)
	}
	return ""
}
