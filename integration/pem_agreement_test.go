package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/model"
)

// pemSectionHeading starts the PEM agreement section of docs/fidelity.md.
const pemSectionHeading = "## mTLS secrets: Kafka's Java PEM loader against the secret check"

// pemRow is one line of the PEM agreement table.
type pemRow struct {
	pemCase
	esm     string // "pass", "warn CODE" or "fail CODE (P8)"
	problem catalog.ProblemID
	status  model.Status
	peer    string // the Java peer's line, verdict first
	agree   bool
}

// TestPEMAgreement generates mTLS secrets with openssl, runs esmdoctor's
// secret check on each and loads each with Kafka's own PEM loader (the Java
// peer, kafka-clients' DefaultSslEngineFactory, as Lambda's pollers run it),
// handshaking in memory with a broker-side factory that requires client
// certificates when it loads. The verdicts must agree: a secret the loader
// rejects fails at secret with P8; one only the broker rejects fails at
// secret with P10a (caught early); one that connects passes or warns. Every
// other outcome needs a documented reason (pemCase.differs).
//
// With ESMDOCTOR_FIDELITY_PEM_OUT set, the table is also written to that
// file (make fidelity-pem puts it in docs/fidelity.md).
func TestPEMAgreement(t *testing.T) {
	b := requireBed(t)
	p := newPemPKI(t)
	cases := pemCases(p)
	if len(cases) < 40 {
		t.Fatalf("only %d cases", len(cases))
	}
	verdicts := runPemPeer(t, b, p, cases)
	var rows []pemRow
	for _, c := range cases {
		row := pemRow{pemCase: c}
		if c.unavailable == "" {
			row = judgePem(t, c, verdicts[c.name])
		}
		rows = append(rows, row)
	}
	table := pemTable(rows, b.Get("KAFKA_VERSION"))
	t.Log("\n" + table)
	if out := os.Getenv("ESMDOCTOR_FIDELITY_PEM_OUT"); out != "" {
		if err := os.WriteFile(out, []byte(table), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// judgePem compares esmdoctor and the peer on one case.
func judgePem(t *testing.T, c pemCase, peer string) pemRow {
	row := pemRow{pemCase: c, peer: peer}
	r := secretResult(t, c)
	row.status = r.Status
	row.esm = string(r.Status)
	if r.Code != "" {
		row.esm += " " + r.Code
		if e, ok := catalog.Lookup(r.Code); ok && e.Problem != "" {
			row.problem = e.Problem
			row.esm += " (" + string(e.Problem) + ")"
		}
	}
	got := r.Code
	if got == "" {
		got = string(r.Status)
	}
	if got != c.want {
		t.Errorf("%s: esmdoctor says %s (%s), want %s", c.name, row.esm, strings.Join(r.Detail, "; ")+" "+r.Args["detail"], c.want)
	}
	verdict, _, _ := strings.Cut(peer, " ")
	if verdict != c.java {
		t.Errorf("%s: Java peer says %q, want %s", c.name, peer, c.java)
	}
	row.agree = agreesWithJava(row.status, row.problem, verdict)
	if !row.agree && c.differs == "" {
		t.Errorf("%s: unexplained disagreement: esmdoctor %s, Java %s", c.name, row.esm, peer)
	}
	if row.agree && c.differs != "" {
		t.Errorf("%s: agrees now; drop its documented difference", c.name)
	}
	return row
}

// agreesWithJava: the loader's rejection is P8, the broker's is P10a, and a
// secret that connects passes or only warns.
func agreesWithJava(status model.Status, problem catalog.ProblemID, java string) bool {
	switch java {
	case javaOK:
		return status == model.Pass || status == model.Warn
	case javaLoad:
		return status == model.Fail && problem == "P8"
	case javaHandshake:
		return status == model.Fail && problem == "P10a"
	}
	return false
}

// secretResult runs esmdoctor's secret check alone on the case's secret.
func secretResult(t *testing.T, c pemCase) model.Result {
	doc := map[string]string{"certificate": c.cert, "privateKey": c.key}
	if c.password != nil {
		doc["privateKeyPassword"] = *c.password
	}
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	cfg := checks.Config{Auth: checks.AuthMTLS, Timeout: 10 * time.Second,
		Secret: &checks.SecretDoc{Source: "secret " + c.name, Data: data, LocalFile: true}}
	var list []checks.Check
	for _, ch := range checks.Pipeline() {
		if ch.ID == "secret" {
			list = append(list, ch)
		}
	}
	rs := checks.RunChecks(context.Background(), cfg, list, nil)
	if len(rs) != 1 {
		t.Fatalf("secret check not found in the pipeline")
	}
	return rs[0]
}

// runPemPeer writes every case for the Java peer, runs it once and returns
// its verdict line per case name.
func runPemPeer(t *testing.T, b bed, p *pemPKI, cases []pemCase) map[string]string {
	dir := t.TempDir()
	server := filepath.Join(dir, "server")
	writePemFiles(t, server, map[string]string{"chain.pem": p.server + p.root, "key.pem": p.serverKey, "trust.pem": p.root})
	for _, c := range cases {
		if c.unavailable != "" {
			continue
		}
		files := map[string]string{"cert.pem": c.cert, "key.pem": c.key}
		if c.password != nil {
			files["password"] = *c.password
		}
		writePemFiles(t, filepath.Join(dir, c.name), files)
	}
	classes := t.TempDir()
	if out, err := exec.Command("javac", "-nowarn", "-cp", kafkaJars(b), "-d", classes, "peers/PemAgreement.java").CombinedOutput(); err != nil {
		t.Fatalf("javac PemAgreement: %v: %s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "java", "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Dlog4j.configuration=none",
		"-cp", kafkaJars(b)+string(os.PathListSeparator)+classes, "PemAgreement", dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("java PemAgreement: %v: %s", err, stderr.String())
	}
	verdicts := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		name, verdict, _ := strings.Cut(line, " ")
		verdicts[name] = verdict
	}
	return verdicts
}

func writePemFiles(t *testing.T, dir string, files map[string]string) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// pemTable renders the rows as the markdown docs/fidelity.md includes.
func pemTable(rows []pemRow, kafkaVersion string) string {
	var b strings.Builder
	run, agree := 0, 0
	for _, r := range rows {
		if r.unavailable == "" {
			run++
			if r.agree {
				agree++
			}
		}
	}
	fmt.Fprintf(&b, "Generated by `make fidelity-pem` (`go test ./integration -run TestPEMAgreement`) with kafka-clients %s on %s, %s.\n\n",
		kafkaVersion, javaVersion(), time.Now().UTC().Format("2006-01-02"))
	fmt.Fprintf(&b, "**%d cases generated with openssl, %d run: esmdoctor and the Java loader agree on %d; %d disagreement(s), each for the reason given in its row.**\n\n",
		len(rows), run, agree, run-agree)
	fmt.Fprintf(&b, "| case | esmdoctor `secret` | Java: DefaultSslEngineFactory (PEM) + handshake | agree |\n|---|---|---|---|\n")
	for _, r := range rows {
		if r.unavailable != "" {
			fmt.Fprintf(&b, "| %s | not run | not run | n/a: %s |\n", r.name, r.unavailable)
			continue
		}
		agreeCell := "yes"
		if !r.agree {
			agreeCell = "no: " + r.differs
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", r.name, r.esm, mdCell(r.peer), agreeCell)
	}
	return b.String()
}

// mdCell shortens a peer line for a table cell: the wrapper every load
// failure starts with goes, and the chain is cut at 140 characters.
func mdCell(s string) string {
	s = strings.Replace(s, "InvalidConfigurationException: Invalid PEM keystore configs <- ", "", 1)
	s = strings.ReplaceAll(s, "|", "/")
	if len(s) > 140 {
		s = s[:140] + "..."
	}
	return s
}

func javaVersion() string {
	out, err := exec.Command("java", "-version").CombinedOutput()
	if err != nil {
		return "Java (version unknown)"
	}
	first, _, _ := strings.Cut(string(out), "\n")
	return strings.TrimSpace(first)
}
