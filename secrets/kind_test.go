package secrets

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// TestKindRegistry pins the kinds: each has a unique lower-kebab name and a
// lower-case message, and the numbering of the first kinds never changes.
func TestKindRegistry(t *testing.T) {
	kebab := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	seen := map[string]Kind{}
	for k := Kind(1); k < kindEnd; k++ {
		info, ok := kindInfos[k]
		if !ok {
			t.Fatalf("kind %d has no entry", k)
		}
		if !kebab.MatchString(info.name) {
			t.Errorf("kind %d: name %q is not lower-kebab", k, info.name)
		}
		if prev, dup := seen[info.name]; dup {
			t.Errorf("kinds %d and %d share the name %q", prev, k, info.name)
		}
		seen[info.name] = k
		if r := []rune(info.text)[0]; !unicode.IsLower(r) {
			t.Errorf("kind %v: message %q does not start lower-case", k, info.text)
		}
	}
	if len(kindInfos) != int(kindEnd)-1 {
		t.Errorf("%d entries for %d kinds", len(kindInfos), kindEnd-1)
	}
	if KindNotJSON != 1 || KindNotCA != 18 {
		t.Error("the documented kinds were renumbered")
	}
}

func TestErrorText(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{newError(KindPBES2, "privateKey", "aes-256-cbc"), "privateKey: encrypted with PBES2 (aes-256-cbc); Lambda accepts only PBES1 keys"},
		{newError(KindPBES2, "privateKey", ""), "privateKey: encrypted with PBES2 (unknown); Lambda accepts only PBES1 keys"},
		{newError(KindMissingKey, "username", ""), "username: required key is missing or empty"},
		{newError(KindNotJSON, "", "the document is empty"), "secret is not a JSON object: the document is empty"},
		{newError(Kind(999), "x", ""), "x: kind(999)"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
		if strings.Contains(tt.err.Error(), "%!") {
			t.Errorf("format error in %q", tt.err.Error())
		}
	}
	if w := (Warning{Kind: KindPasswordUnused, Field: "privateKeyPassword"}); w.String() != "privateKeyPassword: set, but the private key is not encrypted; once a password is set, Kafka's client reads the key as encrypted and fails" {
		t.Errorf("warning text %q", w.String())
	}
}
