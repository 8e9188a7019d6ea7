package integration

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// javaServed is a server Go's crypto/tls cannot be, presented by
// testbed/javatls/JavaTlsServer with a self-signed key made by keytool.
type javaServed struct {
	keyalg, sigalg, keyopt string // keytool -keyalg, -sigalg, and -keysize/-groupname
	san                    string // keytool -ext san=...
	protocols, suites      string // "-": Java's defaults
	trustSelf              bool   // the CA file holds the server's own certificate
	certPEM                []byte // filled when the keystore is made
}

func javaServedSetups() []tlsSetup {
	rsa := func(san, protocols, suites string, self bool) *javaServed {
		return &javaServed{keyalg: "RSA", sigalg: "SHA256withRSA", keyopt: "-keysize=2048", san: san, protocols: protocols, suites: suites, trustSelf: self}
	}
	dhe := "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"
	other := caCert("Java-served Other Root", nil)
	setups := []tlsSetup{
		{name: "dhe-rsa-only", java: rsa("dns:"+agreeHost, "TLSv1.2", dhe, true), javaAccepts: true, code: "ESM-TLS-101"},
		{name: "dhe-rsa-only-wrong-name", java: rsa("dns:other.example.test", "TLSv1.2", dhe, true), code: "ESM-TLS-002"},
		{name: "dhe-rsa-only-untrusted", java: rsa("dns:"+agreeHost, "TLSv1.2", dhe, false), roots: chain(other), code: "ESM-TLS-001"},
		{name: "dsa-certificate", java: &javaServed{keyalg: "DSA", sigalg: "SHA256withDSA", keyopt: "-keysize=2048",
			san: "dns:" + agreeHost, protocols: "TLSv1.2", suites: "-", trustSelf: true}, javaAccepts: true, code: "ESM-TLS-101"},
		{name: "rsassa-pss-key", java: &javaServed{keyalg: "RSASSA-PSS", sigalg: "RSASSA-PSS", keyopt: "-keysize=2048",
			san: "dns:" + agreeHost, protocols: "-", suites: "-", trustSelf: true}, javaAccepts: true, code: "ESM-TLS-101"},
		{name: "rsassa-pss-key-tls13-only", java: &javaServed{keyalg: "RSASSA-PSS", sigalg: "RSASSA-PSS", keyopt: "-keysize=2048",
			san: "dns:" + agreeHost, protocols: "TLSv1.3", suites: "-", trustSelf: true}, javaAccepts: true, code: "ESM-TLS-008",
			differs: "Go cannot use an RSASSA-PSS key, and a TLS 1.3-only server hides its certificate from esmdoctor's TLS 1.2 question: esmdoctor fails (ESM-TLS-008) where Lambda connects"},
		{name: "ecdhe-cbc-sha384-only", java: &javaServed{keyalg: "EC", sigalg: "SHA256withECDSA", keyopt: "-groupname=secp256r1",
			san: "dns:" + agreeHost, protocols: "TLSv1.2", suites: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", trustSelf: true}, javaAccepts: true, code: "ESM-TLS-101"},
	}
	for i := range setups {
		setups[i].host = agreeHost
	}
	return setups
}

// startJavaServers makes each Java-served setup's keystore and starts one
// JVM serving them all; it returns their loopback addresses by name.
func startJavaServers(t *testing.T, b bed, classes, dir string, setups []tlsSetup) map[string]string {
	var lines strings.Builder
	for i := range setups {
		if j := setups[i].java; j != nil {
			store := filepath.Join(dir, setups[i].name+".p12")
			j.certPEM = keytool(t, store, j)
			fmt.Fprintf(&lines, "%s\t%s\t%s\t%s\n", setups[i].name, store, j.protocols, j.suites)
		}
	}
	cmd := exec.Command("java", "-Xmx96m", "-XX:TieredStopAtLevel=1", "-cp", classes, "JavaTlsServer",
		writeFile(t, dir, "servers.tsv", []byte(lines.String())))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); _ = cmd.Wait() })
	return readServerPorts(t, stdout)
}

func readServerPorts(t *testing.T, stdout io.Reader) map[string]string {
	addrs := map[string]string{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() && sc.Text() != "ready" {
			if f := strings.Split(sc.Text(), "\t"); len(f) == 2 {
				addrs[f[0]] = "127.0.0.1:" + f[1]
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("the Java TLS servers did not start within a minute")
	}
	return addrs
}

// keytool makes a PKCS12 store with a self-signed key pair and returns
// its certificate in PEM.
func keytool(t *testing.T, store string, j *javaServed) []byte {
	opt := strings.SplitN(strings.TrimPrefix(j.keyopt, "-"), "=", 2)
	gen := exec.Command("keytool", "-genkeypair", "-keystore", store, "-storetype", "PKCS12", "-storepass", "changeit",
		"-keypass", "changeit", "-alias", "s", "-keyalg", j.keyalg, "-"+opt[0], opt[1], "-sigalg", j.sigalg,
		"-dname", "CN="+agreeHost, "-ext", "san="+strings.TrimPrefix(j.san, "san="), "-validity", "30")
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("keytool -genkeypair: %v: %s", err, out)
	}
	out, err := exec.Command("keytool", "-exportcert", "-rfc", "-keystore", store, "-storepass", "changeit", "-alias", "s").Output()
	if err != nil {
		t.Fatalf("keytool -exportcert: %v", err)
	}
	return out
}
