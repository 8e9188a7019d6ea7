package tbenv

import (
	"os"
	"path/filepath"
	"testing"
)

func TestParse(t *testing.T) {
	p := filepath.Join(t.TempDir(), "testbed.env")
	if err := os.WriteFile(p, []byte("# c\nA=1\n\nURL=http://x/?a=b\nEMPTY=\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ESMDOCTOR_TESTBED", p)
	e, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if e.Get("A") != "1" || e.Get("URL") != "http://x/?a=b" || e.Get("MISSING") != "" {
		t.Fatalf("bad parse: %v", e.vars)
	}
	if v, ok := e.Lookup("EMPTY"); !ok || v != "" {
		t.Fatalf("EMPTY: %q %v", v, ok)
	}
	if got := e.Keys(); len(got) != 3 || got[0] != "A" {
		t.Fatalf("keys: %v", got)
	}
}

func TestMissingIsNotExist(t *testing.T) {
	t.Setenv("ESMDOCTOR_TESTBED", filepath.Join(t.TempDir(), "nope.env"))
	if _, err := Load(); !os.IsNotExist(err) {
		t.Fatalf("want not-exist, got %v", err)
	}
}
