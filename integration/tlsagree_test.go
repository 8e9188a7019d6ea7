//go:debug rsa1024min=0

package integration

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/fixtures"
	"github.com/esmdoctor/esmdoctor/model"
)

// tlsVerdict is one setup's result for both clients.
type tlsVerdict struct {
	setup      tlsSetup
	esm, code  string // "connects" or "rejects", and esmdoctor's code
	java, why  string // the Java client's verdict and its exception
	agree      bool
	documented bool
}

// TestJavaTLSAgreement serves each generated TLS setup on loopback and asks
// both esmdoctor's tls check and Kafka's Java client (DefaultSslEngineFactory,
// PEM truststore, https identification, one JVM for every case) whether
// the broker is accepted. Every difference must be listed in the setup
// with its reason; make fidelity-tls puts the table into docs/fidelity.md
// (through ESMDOCTOR_FIDELITY_TLS_OUT).
func TestJavaTLSAgreement(t *testing.T) {
	b := requireBed(t)
	classes := compileJavaTLSPeer(t, b)
	dns, err := fixtures.NewLoopbackDNS()
	if err != nil {
		t.Fatal(err)
	}
	defer dns.Close()
	dir := t.TempDir()
	setups := append(tlsSetups(t), javaServedSetups()...)
	served := startJavaServers(t, b, classes, dir, setups)
	var cases, hosts strings.Builder
	addrs := make([]string, len(setups))
	for i, s := range setups {
		addrs[i] = served[s.name]
		if s.java == nil {
			addrs[i] = serveTLSSetup(t, s)
		}
		_, port, _ := net.SplitHostPort(addrs[i])
		trust := "-"
		if pem := s.trust(); len(pem) > 0 {
			trust = writeFile(t, dir, fmt.Sprintf("ca-%d.pem", i), pem)
		}
		fmt.Fprintf(&cases, "%s\t%s\t%s\t%s\n", s.name, s.host, port, trust)
		fmt.Fprintf(&hosts, "127.0.0.1 %s\n", s.host)
	}
	java := runJavaTLSPeer(t, b, classes, writeFile(t, dir, "cases.tsv", []byte(cases.String())), writeFile(t, dir, "hosts", []byte(hosts.String())))
	var rows []tlsVerdict
	for i, s := range setups {
		v := tlsVerdict{setup: s}
		v.esm, v.code = esmTLSVerdict(t, s, addrs[i], dns.Resolver())
		v.java, v.why = java[s.name][0], java[s.name][1]
		v.agree = v.esm == v.java
		v.documented = s.differs != ""
		switch {
		case v.java == "":
			t.Errorf("%s: no verdict from the Java peer", s.name)
		case !v.agree && !v.documented:
			t.Errorf("%s: esmdoctor %s (%s), Java %s (%s)", s.name, v.esm, v.code, v.java, v.why)
		case v.agree && v.documented:
			t.Errorf("%s: documented as a difference, but both %s", s.name, v.esm)
		case s.javaAccepts != (v.java == "connects"):
			t.Errorf("%s: the setup expects Java to accept=%v, Java %s (%s)", s.name, s.javaAccepts, v.java, v.why)
		}
		if s.code != "" && v.code != s.code {
			t.Errorf("%s: esmdoctor code %s, want %s", s.name, v.code, s.code)
		}
		rows = append(rows, v)
	}
	if len(setups) < 50 {
		t.Errorf("only %d setups; the agreement needs at least 50", len(setups))
	}
	if out := os.Getenv("ESMDOCTOR_FIDELITY_TLS_OUT"); out != "" {
		writeTLSTable(t, out, rows)
	}
}

// esmTLSVerdict runs secret, dns, tcp and tls as the mapping's check would.
func esmTLSVerdict(t *testing.T, s tlsSetup, addr string, r *net.Resolver) (string, string) {
	_, port, _ := net.SplitHostPort(addr)
	hp, err := checks.ParseBootstrap("test", []string{net.JoinHostPort(s.host, port)})
	if err != nil {
		t.Fatal(err)
	}
	cfg := checks.Config{Bootstrap: hp, Topic: "t", Auth: checks.AuthTLS, Timeout: 8 * time.Second, Resolver: r}
	if pem := s.trust(); len(pem) > 0 {
		cfg.CA = &checks.SecretDoc{Source: "ca.pem", Data: pem, LocalFile: true}
	}
	var list []checks.Check
	for _, c := range checks.Pipeline() {
		switch c.ID {
		case "secret", "dns", "tcp", "tls":
			list = append(list, c)
		}
	}
	for _, res := range checks.RunChecks(context.Background(), cfg, list, nil) {
		switch {
		case res.Status == model.Fail:
			return "rejects", res.Code
		case res.ID == "tls" && res.Status == model.Warn:
			return "connects", res.Code
		case res.ID == "tls":
			return "connects", ""
		}
	}
	return "rejects", "no tls result"
}

// serveTLSSetup serves the setup on loopback until the test ends: a TLS
// handshake, then one Kafka-shaped answer to the first request (esmdoctor
// sends ApiVersions after the handshake).
func serveTLSSetup(t *testing.T, s tlsSetup) string {
	cfg := &tls.Config{Certificates: []tls.Certificate{s.chain[0].TLSCertificate(s.chain[1:]...)}}
	if s.server != nil {
		s.server(cfg)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go answerOnce(c)
		}
	}()
	return ln.Addr().String()
}

func answerOnce(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	var size [4]byte
	if _, err := io.ReadFull(c, size[:]); err != nil {
		return
	}
	if _, err := io.CopyN(io.Discard, c, int64(binary.BigEndian.Uint32(size[:])&0xfffff)); err != nil {
		return
	}
	_, _ = c.Write([]byte{0, 0, 0, 6, 0, 0, 0, 1, 0, 0})
}

// compileJavaTLSPeer compiles testbed/javatls against the test bed's
// kafka-clients jar (testbed.sh fetches it on a fresh machine).
func compileJavaTLSPeer(t *testing.T, b bed) string {
	dir := t.TempDir()
	out, err := exec.Command("javac", "-cp", kafkaJars(b), "-d", dir,
		"../testbed/javatls/JavaTlsVerdict.java", "../testbed/javatls/JavaTlsServer.java").CombinedOutput()
	if err != nil {
		t.Fatalf("javac: %v: %s", err, out)
	}
	return dir
}

// runJavaTLSPeer runs every case in one JVM; hosts maps the setups' names
// to 127.0.0.1 for Java as the loopback DNS does for esmdoctor.
func runJavaTLSPeer(t *testing.T, b bed, classes, cases, hosts string) map[string][2]string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "java", "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Dlog4j.configuration=none",
		"-Djdk.net.hosts.file="+hosts, "-cp", kafkaJars(b)+string(os.PathListSeparator)+classes, "JavaTlsVerdict", cases)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("java peer: %v", err)
	}
	got := map[string][2]string{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		f := strings.SplitN(sc.Text(), "\t", 3)
		switch {
		case len(f) >= 2 && f[1] == "ok":
			got[f[0]] = [2]string{"connects", ""}
		case len(f) == 3:
			got[f[0]] = [2]string{"rejects", f[2]}
		}
	}
	return got
}

func pemOf(is []*fixtures.Issued) []byte {
	var out []byte
	for _, i := range is {
		out = append(out, i.PEM()...)
	}
	return out
}
