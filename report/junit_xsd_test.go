package report

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/model"
)

// junitSchema is the JUnit XML schema Jenkins publishes (see the file's
// header for its source and licence).
const junitSchema = "testdata/junit-10.xsd"

// validateJUnit validates a JUnit document with xmllint (Debian's
// libxml2-utils; testbed/testbed.sh installs it). Without xmllint the test
// skips, unless ESMDOCTOR_REQUIRE_TESTBED=1 (CI), where it fails.
func validateJUnit(t *testing.T, doc []byte) {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("ESMDOCTOR_REQUIRE_TESTBED") == "1" {
			t.Fatal("xmllint not installed (apt-get install libxml2-utils; testbed/testbed.sh up installs it)")
		}
		t.Skip("xmllint not installed (apt-get install libxml2-utils)")
	}
	path := filepath.Join(t.TempDir(), "report.xml")
	if err := os.WriteFile(path, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(xmllint, "--noout", "--schema", junitSchema, path).CombinedOutput()
	if err != nil {
		t.Fatalf("the JUnit report does not validate against %s: %v\n%s\n%s", junitSchema, err, out, doc)
	}
}

// TestJUnitValidatesAgainstTheSchema renders reports with every status,
// hostile text and an empty run, and validates each against the schema.
func TestJUnitValidatesAgainstTheSchema(t *testing.T) {
	hostile := sample()
	hostile.Target.Topic = "t\x1b]0;x\x07\x00"
	hostile.Results[3].Detail = append(hostile.Results[3].Detail, "]]> <x/> &amp; \"' \ufffe")
	for name, r := range map[string]*model.Report{"sample": sample(), "hostile": hostile, "empty": {ToolName: "esmdoctor"}} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := renderJUnit(&buf, clean(r)); err != nil {
				t.Fatal(err)
			}
			validateJUnit(t, buf.Bytes())
		})
	}
}

// TestJUnitOneCasePerCheck: every check is a test case named by its id;
// skips carry their reason as <skipped message>, failures the code.
func TestJUnitOneCasePerCheck(t *testing.T) {
	var buf bytes.Buffer
	if err := renderJUnit(&buf, clean(sample())); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, c := range sample().Results {
		if !strings.Contains(out, `classname="esmdoctor.`+c.ID+`"`) {
			t.Errorf("no test case for %s", c.ID)
		}
	}
	for _, want := range []string{`<skipped message="requires tls (failed: ESM-TLS-001)"></skipped>`,
		`<failure message="ESM-TLS-001: broker certificate is not signed by a trusted CA" type="ESM-TLS-001">`,
		`<property name="topic" value="orders"></property>`} {
		if !strings.Contains(out, want) {
			t.Errorf("JUnit lacks %s:\n%s", want, out)
		}
	}
}
