package secrets

import (
	"strings"
	"testing"
)

func TestParseSASL(t *testing.T) {
	tests := []struct {
		name   string
		doc    string
		want   Kind // 0: accepted
		warn   Kind // 0: no warning
		detail string
	}{
		{"ok", `{"username": "alice", "password": "alice-secret"}`, 0, 0, ""},
		{"extra keys ignored", `{"username": "alice", "password": "p", "note": 1}`, 0, 0, ""},
		{"slash", `{"username": "alice", "password": "a/b"}`, 0, KindPasswordSpecialChars, "slash (/)"},
		{"backslash and quote", `{"username": "alice", "password": "a\\b\"c"}`, 0, KindPasswordSpecialChars, `backslash (\), double quote (")`},
		{"trailing newline", `{"username": "alice", "password": "p\n"}`, 0, KindSurroundingWhitespace, ""},
		{"username missing", `{"password": "p"}`, KindMissingKey, 0, ""},
		{"username case", `{"Username": "alice", "password": "p"}`, KindMissingKey, 0, `found "Username"; key names are case-sensitive`},
		{"password empty", `{"username": "alice", "password": ""}`, KindMissingKey, 0, "the value is empty"},
		{"password number", `{"username": "alice", "password": 1234}`, KindWrongType, 0, "found a number"},
		{"password null", `{"username": "alice", "password": null}`, KindWrongType, 0, "found null"},
		{"username array", `{"username": ["alice"], "password": "p"}`, KindWrongType, 0, "found an array"},
		{"not json", `username=alice password=p`, KindNotJSON, 0, "invalid JSON at byte offset 1"},
		{"empty", ``, KindNotJSON, 0, "the document is empty"},
		{"null", `null`, KindNotJSON, 0, "the document is JSON null"},
		{"string", `"alice:p"`, KindNotJSON, 0, "the document is a JSON string, not an object"},
		{"bom", "\xef\xbb\xbf{\"username\": \"a\", \"password\": \"p\"}", KindNotJSON, 0, "the document starts with a UTF-8 byte order mark"},
		{"trailing data", `{"username": "a", "password": "p"} x`, KindNotJSON, 0, ""},
		{"too large", `{"username": "alice", "password": "` + strings.Repeat("p", MaxDocumentSize) + `"}`, KindTooLarge, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseSASL([]byte(tt.doc))
			if tt.want != 0 {
				e := wantKind(t, err, tt.want)
				if tt.detail != "" && e.Detail != tt.detail {
					t.Errorf("detail %q, want %q", e.Detail, tt.detail)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Username != "alice" || c.Password.IsZero() {
				t.Errorf("got %q / zero password %v", c.Username, c.Password.IsZero())
			}
			checkOneWarning(t, c.Warnings, tt.warn, tt.detail)
		})
	}
}

func checkOneWarning(t *testing.T, ws []Warning, want Kind, detail string) {
	t.Helper()
	if want == 0 {
		if len(ws) != 0 {
			t.Errorf("unexpected warnings %v", ws)
		}
		return
	}
	if len(ws) != 1 || ws[0].Kind != want || (detail != "" && ws[0].Detail != detail) {
		t.Errorf("warnings %+v: want one %v with detail %q", ws, want, detail)
	}
}

func TestSASLMaxSizeIsInclusive(t *testing.T) {
	head := `{"username": "alice", "password": "`
	pad := MaxDocumentSize - len(head) - len(`"}`)
	doc := head + strings.Repeat("p", pad) + `"}`
	if len(doc) != MaxDocumentSize {
		t.Fatalf("built %d bytes", len(doc))
	}
	if _, err := ParseSASL([]byte(doc)); err != nil {
		t.Errorf("exactly %d bytes: %v", MaxDocumentSize, err)
	}
}
