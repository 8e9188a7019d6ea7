// Package tbenv reads the state file that testbed/testbed.sh up writes
// (testbed/.run/testbed.env: plain KEY=VALUE lines, no quotes, no export) so Go
// tests can find the real Kafka broker, moto and the certificates.
//
//	func TestSomething(t *testing.T) {
//		env := tbenv.Require(t) // skips unless the test bed is up
//		addr := env.Get("SASL_SSL")
//	}
//
// The file is found through $ESMDOCTOR_TESTBED (a path to the file) or, when
// that is unset, by walking up from the working directory to testbed/.run/testbed.env.
// With ESMDOCTOR_REQUIRE_TESTBED=1 (CI), a missing test bed fails the test instead
// of skipping it.
package tbenv

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// RelPath is where testbed.sh writes the state file, relative to the repository root.
const RelPath = "testbed/.run/testbed.env"

// Env is the parsed state file.
type Env struct {
	Path string            // the file it came from
	vars map[string]string // KEY -> VALUE
}

// Get returns the value for key, or "" when absent.
func (e Env) Get(key string) string { return e.vars[key] }

// Lookup returns the value for key and whether it was present.
func (e Env) Lookup(key string) (string, bool) {
	v, ok := e.vars[key]
	return v, ok
}

// Keys returns the keys in sorted order.
func (e Env) Keys() []string {
	keys := make([]string, 0, len(e.vars))
	for k := range e.vars {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Find returns the state file path: $ESMDOCTOR_TESTBED, or testbed/.run/testbed.env
// in the working directory or one of its parents.
func Find() (string, error) {
	if p := os.Getenv("ESMDOCTOR_TESTBED"); p != "" {
		return p, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, RelPath)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("tbenv: %s not found in any parent of the working directory: %w", RelPath, os.ErrNotExist)
		}
		dir = parent
	}
}

// Load finds and parses the state file.
func Load() (Env, error) {
	p, err := Find()
	if err != nil {
		return Env{}, err
	}
	return Parse(p)
}

// Parse reads KEY=VALUE lines from path; blank lines and lines starting with # are skipped.
func Parse(path string) (Env, error) {
	f, err := os.Open(path)
	if err != nil {
		return Env{}, err
	}
	defer f.Close()
	e := Env{Path: path, vars: map[string]string{}}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || k == "" {
			return Env{}, fmt.Errorf("tbenv: %s:%d: not KEY=VALUE: %q", path, n, line)
		}
		e.vars[k] = v
	}
	return e, sc.Err()
}

// Require returns the test bed's Env. When it cannot be loaded it skips the test
// ("test bed not running"), or fails it when ESMDOCTOR_REQUIRE_TESTBED=1.
func Require(t testing.TB) Env {
	t.Helper()
	e, err := Load()
	if err == nil {
		return e
	}
	if os.Getenv("ESMDOCTOR_REQUIRE_TESTBED") == "1" {
		t.Fatalf("ESMDOCTOR_REQUIRE_TESTBED=1 but the test bed state file cannot be read: %v (run testbed/testbed.sh up)", err)
	}
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("test bed not running: run testbed/testbed.sh up")
	}
	t.Fatalf("test bed state file is unreadable: %v", err)
	return Env{}
}
