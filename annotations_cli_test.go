package main

import (
	"encoding/xml"
	"os"
	"strings"
	"testing"
)

// TestAnnotationsForEveryFormat: under GitHub Actions every format gets
// its failures as ::error workflow commands, on stderr, so a JSON or XML
// document on stdout stays intact.
func TestAnnotationsForEveryFormat(t *testing.T) {
	if os.Getenv(childTest) != "1" {
		inChildProcess(t, "TestAnnotationsForEveryFormat")
		return
	}
	t.Setenv("GITHUB_ACTIONS", "true")
	for _, format := range []string{"text", "json", "markdown", "junit"} {
		code, out, errOut := esm(t, "lab", "refused", "-o", format, "--timeout", "3s")
		if code != exitFail {
			t.Fatalf("%s: exit %d", format, code)
		}
		var cmds []string
		for _, l := range strings.Split(errOut, "\n") {
			if strings.HasPrefix(l, "::") {
				cmds = append(cmds, l)
			}
		}
		if len(cmds) != 1 || !strings.HasPrefix(cmds[0], "::error title=esmdoctor tcp%3A ESM-TCP-001::PROBLEM: Connection error.") {
			t.Errorf("%s: annotations %q", format, cmds)
		}
		if strings.Contains(out, "::error") {
			t.Errorf("%s: a workflow command on stdout", format)
		}
		switch format {
		case "json":
			parseJSON(t, out)
		case "junit":
			if err := xml.Unmarshal([]byte(out), new(struct{})); err != nil {
				t.Errorf("junit: %v", err)
			}
		}
	}
	t.Setenv("GITHUB_ACTIONS", "")
	if _, _, errOut := esm(t, "lab", "refused", "-o", "json", "--timeout", "3s"); strings.Contains(errOut, "::") {
		t.Errorf("annotations outside GitHub Actions: %q", errOut)
	}
}
