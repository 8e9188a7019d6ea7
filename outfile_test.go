package main

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestOutputFileRefusedBeforeTheRun: every --output-file that cannot end
// well is refused with exit 2 and one line before any check runs, and the
// file it names (an input, an earlier report) is left as it was.
func TestOutputFileRefusedBeforeTheRun(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "s.json")
	const secretDoc = `{"username":"alice","password":"pw-canary-1"}`
	_ = os.WriteFile(secret, []byte(secretDoc), 0o600)
	link := filepath.Join(dir, "link.json")
	_ = os.Symlink(secret, link)
	hard := filepath.Join(dir, "hard.json")
	_ = os.Link(secret, hard)
	dangling := filepath.Join(dir, "dangling.json")
	_ = os.Symlink(filepath.Join(dir, "nowhere.json"), dangling)
	loop := filepath.Join(dir, "loop.json")
	_ = os.Symlink(filepath.Join(dir, "loop2.json"), loop)
	_ = os.Symlink(loop, filepath.Join(dir, "loop2.json"))
	notWritable := filepath.Join("/proc", "esmdoctor-report.json") // no one creates files there, root included
	if os.Geteuid() != 0 {
		ro := filepath.Join(dir, "ro")
		_ = os.Mkdir(ro, 0o500)
		notWritable = filepath.Join(ro, "r.json")
	}
	base := []string{"check", "-b", "127.0.0.1:1", "-t", "orders", "--secret-file", secret, "--auth", "sasl-scram-512", "--output", "json"}
	cases := []struct {
		file, want string
	}{
		{dir, "is a directory"},
		{filepath.Join(dir, "no", "such", "r.json"), "its folder does not exist"},
		{filepath.Join(secret, "r.json"), "its folder does not exist"},
		{notWritable, "is not writable"},
		{secret, "is the same file as --secret-file"},
		{link, "is the same file as --secret-file"},
		{hard, "is the same file as --secret-file"},
		{filepath.Join(dir, "x", "..", "s.json"), "is the same file as --secret-file"},
		{"/dev/null", "is not a regular file (a character device)"},
		{dangling, "symbolic link to a file that does not exist"},
		{loop, "symbolic link loop"},
	}
	for _, c := range cases {
		start := time.Now()
		code, _, errOut := esm(t, append(base, "--output-file", c.file)...)
		line := strings.TrimSpace(errOut)
		if code != exitUsage || strings.Contains(line, "\n") || !strings.Contains(line, "--output-file") || !strings.Contains(line, c.want) {
			t.Errorf("--output-file %s: exit %d, stderr %q; want exit 2 and one line with %q", c.file, code, errOut, c.want)
		}
		if d := time.Since(start); d > 500*time.Millisecond {
			t.Errorf("--output-file %s: refused after %s: the checks ran first", c.file, d)
		}
	}
	if got, _ := os.ReadFile(secret); string(got) != secretDoc {
		t.Fatalf("the secret file was changed: %q", got)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestOutputFileWrittenWhole: the report replaces an earlier file whole,
// mode 0600, through a symbolic link when the name is one, with no
// temporary file left; a run refused for another reason leaves it as it
// was.
func TestOutputFileWrittenWhole(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "report.json")
	_ = os.WriteFile(out, []byte("an earlier report\n"), 0o644)
	code, _, errOut := esm(t, "lab", "--output", "json", "--output-file", out)
	if code != exitPass {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	data, _ := os.ReadFile(out)
	if r := parseJSON(t, string(data)); r.Verdict != "pass" {
		t.Fatalf("verdict %q", r.Verdict)
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %o, want 0600", fi.Mode().Perm())
	}

	// Through a symbolic link: the file it points at gets the report.
	target := filepath.Join(dir, "target.json")
	_ = os.WriteFile(target, []byte("old"), 0o600)
	link := filepath.Join(dir, "link.json")
	_ = os.Symlink(target, link)
	if code, _, errOut := esm(t, "lab", "--output", "json", "--output-file", link); code != exitPass {
		t.Fatalf("via a link: exit %d: %s", code, errOut)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced by a file")
	}
	if data, _ := os.ReadFile(target); !json.Valid(data) {
		t.Errorf("the link's target holds %q", data)
	}

	// A run refused after --output-file was checked leaves it alone.
	before, _ := os.ReadFile(out)
	if code, _, _ := esm(t, "check", "-b", "127.0.0.1:1", "-t", "orders", "--auth", "kerberos", "--output-file", out); code != exitUsage {
		t.Fatalf("exit %d", code)
	}
	if after, _ := os.ReadFile(out); string(after) != string(before) {
		t.Errorf("a refused run changed --output-file")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestOutputFileFailedWriteKeepsTheOldFile: a report that fails half-way
// leaves the earlier file and no temporary file.
func TestOutputFileFailedWriteKeepsTheOldFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "report.xml")
	_ = os.WriteFile(out, []byte("earlier"), 0o600)
	err := writeAtomically(out, func(w io.Writer) error {
		_, _ = io.WriteString(w, "<half")
		return errors.New("renderer failed")
	})
	if err == nil {
		t.Fatal("no error")
	}
	if got, _ := os.ReadFile(out); string(got) != "earlier" {
		t.Errorf("the earlier file now holds %q", got)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
