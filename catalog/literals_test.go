package catalog

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var codeLiteral = regexp.MustCompile(`^ESM-[A-Z]+-[0-9]{3}$`)

// TestProductCodeNamesCodesByConstant keeps codes declared once: product code
// outside this package must use the constants of code_names.go, so a
// misspelt code fails to compile instead of rendering as an unknown code.
// Tests may spell codes out (they pin the registry's values).
func TestProductCodeNamesCodesByConstant(t *testing.T) {
	err := filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "testbed", "catalog", "testdata":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && codeLiteral.MatchString(s) {
					t.Errorf("%s: code literal %s: use the catalog constant", path, lit.Value)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestConstantsMatchTheirCodes pins each constant's name to its value
// (SECRET001 is "ESM-SECRET-001"), so a constant cannot name another code.
func TestConstantsMatchTheirCodes(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "code_names.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	ast.Inspect(f, func(node ast.Node) bool {
		vs, ok := node.(*ast.ValueSpec)
		if !ok || len(vs.Values) != 1 {
			return true
		}
		lit, ok := vs.Values[0].(*ast.BasicLit)
		if !ok {
			return true
		}
		v, _ := strconv.Unquote(lit.Value)
		name := vs.Names[0].Name
		if want := strings.ReplaceAll(strings.TrimPrefix(v, "ESM-"), "-", ""); name != want {
			t.Errorf("constant %s = %q: want the name %s", name, v, want)
		}
		if _, ok := Lookup(v); !ok {
			t.Errorf("constant %s = %q names no registered code", name, v)
		}
		n++
		return true
	})
	if n != len(All()) {
		t.Errorf("%d constants for %d registered codes: declare one constant per code", n, len(All()))
	}
}
