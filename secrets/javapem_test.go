package secrets

import (
	"strings"
	"testing"
)

// TestJavaPEMFindsWhatKafkaFinds pins the PemParser behaviours the
// agreement test measured against kafka-clients 3.9.2: BEGIN and END
// anywhere, several blocks on one line read as the last one, a glued
// BEGIN swallowed by the END line before it, CR line breaks.
func TestJavaPEMFindsWhatKafkaFinds(t *testing.T) {
	pki := testPKI(t)
	leaf, root := pki.leaf.pem, pki.root.pem
	oneLine := func(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\n", " ")) }
	tests := []struct {
		name  string
		value string
		want  []string // the certificates found, as PEM
	}{
		{"documented layout", leaf + root, []string{leaf, root}},
		{"crlf", strings.ReplaceAll(leaf+root, "\n", "\r\n"), []string{leaf, root}},
		{"cr only", strings.ReplaceAll(leaf+root, "\n", "\r"), []string{leaf, root}},
		{"indented", "  " + strings.ReplaceAll(strings.TrimSpace(leaf), "\n", "\n  "), []string{leaf}},
		{"one certificate on one line", oneLine(leaf), []string{leaf}},
		{"two on one line: the last one", oneLine(leaf + root), []string{root}},
		{"glued: the second is swallowed", strings.TrimRight(leaf, "\n") + root, []string{leaf}},
		{"text around the blocks", "subject=CN = x\n" + leaf + "trailing words\n", []string{leaf}},
		{"literal backslash n", strings.ReplaceAll(leaf, "\n", `\n`), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := javaPEM(fieldCertificate, certKind, tt.value)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("found %d blocks, want %d", len(got), len(tt.want))
			}
			for i, w := range tt.want {
				b := strictBlocks(w)[0]
				// A label that ran into base64 is blanked (two on one line).
				if string(got[i].Bytes) != string(b.Bytes) || got[i].Label != "CERTIFICATE" && got[i].Label != "" {
					t.Errorf("block %d (%q) differs", i+1, got[i].Label)
				}
			}
		})
	}
}

// TestLayoutWarnings: what the loader reads only because it is lenient is
// a warning naming the layout; blocks it skips are counted.
func TestLayoutWarnings(t *testing.T) {
	pki := testPKI(t)
	leaf, root := pki.leaf.pem, pki.root.pem
	for _, tt := range []struct {
		name, value, want, dropped string
	}{
		{"documented", leaf + root, "", ""},
		{"cr only", strings.ReplaceAll(leaf, "\n", "\r"), "bare CR", ""},
		{"indented", "  " + strings.ReplaceAll(strings.TrimSpace(leaf), "\n", "\n  "), "indented", ""},
		{"one line", strings.ReplaceAll(leaf, "\n", " "), "on one line", ""},
		{"two on one line", strings.ReplaceAll(leaf+root, "\n", " "), "reads 1", "2 -----BEGIN lines"},
		{"key too", leaf + pkcs8PEM(t, ecKey(t)), `"PRIVATE KEY" besides the certificate`, ""},
	} {
		found, err := javaPEM(fieldCertificate, certKind, tt.value)
		if err != nil {
			t.Fatal(err)
		}
		ws, dropped := layoutWarnings(fieldCertificate, certKind, found, tt.value)
		text := ""
		for _, w := range ws {
			text += w.String() + "\n"
		}
		if (tt.want == "") != (text == "") || !strings.Contains(text, tt.want) {
			t.Errorf("%s: warnings %q, want one containing %q", tt.name, text, tt.want)
		}
		if !strings.Contains(dropped, tt.dropped) || (tt.dropped == "") != (dropped == "") {
			t.Errorf("%s: dropped %q, want %q", tt.name, dropped, tt.dropped)
		}
	}
}

// TestLabelsNeverCarryKeyMaterial: the label is the text the regex puts
// between BEGIN and the name, which can run into a one-line block's
// base64; such a label is blanked, never quoted.
func TestLabelsNeverCarryKeyMaterial(t *testing.T) {
	for in, want := range map[string]string{
		"PRIVATE KEY":             "PRIVATE KEY",
		"ENCRYPTED  PRIVATE\tKEY": "ENCRYPTED PRIVATE KEY",
		"RSA PRIVATE KEY":         "RSA PRIVATE KEY",
		"PRIVATE KEY----- MIIEvQIBADAN -----END PRIVATE KEY": "",
		"x PRIVATE KEY": "",
	} {
		if got := safeLabel(in); got != want {
			t.Errorf("safeLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestJavaTrimAndBase64(t *testing.T) {
	if got := javaTrim("\x00 \tpass word\n\r "); got != "pass word" {
		t.Errorf("javaTrim = %q", got)
	}
	for in, ok := range map[string]bool{"QUJD": true, "QUI=": true, "QUI": true, "Q=UI": false, "QQ===": false} {
		if _, err := javaBase64(in); (err == nil) != ok {
			t.Errorf("javaBase64(%q) error %v, want ok=%v", in, err, ok)
		}
	}
}
