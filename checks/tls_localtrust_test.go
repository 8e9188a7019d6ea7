package checks

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/fixtures"
)

// TestLocalTrustNote: a root installed on this machine (here through
// SSL_CERT_FILE) is named when the public roots Lambda uses reject the
// broker. crypto/x509 loads the system roots once per process, so the
// check runs in a child process with its own SSL_CERT_FILE.
func TestLocalTrustNote(t *testing.T) {
	if os.Getenv("ESMDOCTOR_LOCAL_TRUST_CHILD") == "1" {
		localTrustChild(t)
		return
	}
	root := fixtures.MustIssue(fixtures.Spec{CN: "Laptop Root", IsCA: true, KeyUsage: x509.KeyUsageCertSign}, nil)
	leaf := fixtures.MustIssue(fixtures.Spec{CN: "kafka.example.test", DNS: []string{"kafka.example.test"}}, root)
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := dir + "/" + name
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestLocalTrustNote$")
	cmd.Env = append(os.Environ(), "ESMDOCTOR_LOCAL_TRUST_CHILD=1", "SSL_CERT_DIR=/nonexistent",
		"SSL_CERT_FILE="+write("roots.pem", root.PEM()), "ESMDOCTOR_TEST_LEAF="+write("leaf.pem", leaf.PEM()))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
}

func localTrustChild(t *testing.T) {
	data, err := os.ReadFile(os.Getenv("ESMDOCTOR_TEST_LEAF"))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatal("leaf: no PEM")
	}
	leaf, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	certs := []*x509.Certificate{leaf}
	note := localTrustNote(certs, "kafka.example.test")
	if !strings.Contains(note, "CN=Laptop Root") || !strings.Contains(note, "public roots only") {
		t.Fatalf("note %q", note)
	}
	if other := localTrustNote([]*x509.Certificate{fixtures.MustIssue(fixtures.Spec{CN: "x"}, nil).Cert}, "x"); other != "" {
		t.Fatalf("an untrusted chain got a note: %q", other)
	}
}
