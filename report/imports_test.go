package report

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestRendererImports: report/ renders a scrubbed model.Report and nothing
// else: it imports neither the checks, nor the redactor (the scrub pass
// redacts before it), nor any network package.
func TestRendererImports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	banned := []string{"github.com/esmdoctor/esmdoctor/checks", "github.com/esmdoctor/esmdoctor/redact", "github.com/esmdoctor/esmdoctor/probe",
		"github.com/esmdoctor/esmdoctor/awsprobe", "net", "net/http", "github.com/IBM/sarama", "github.com/aws/"}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		ast, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range ast.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			for _, b := range banned {
				if path == b || strings.HasSuffix(b, "/") && strings.HasPrefix(path, b) {
					t.Errorf("%s imports %s", f, path)
				}
			}
		}
	}
}
