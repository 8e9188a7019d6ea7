package integration

import (
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/testbed/awsfake"
)

// esmdoctor scan: every Kafka mapping of the Region (ListEventSourceMappings
// across pages), filtered by function prefix, checked concurrently; the
// summary comes first, the exit code is the worst verdict.

type scanDoc struct {
	Region   string         `json:"region"`
	Parallel int            `json:"parallel"`
	Counts   map[string]int `json:"counts"`
	Summary  []struct {
		Mapping, Function, State, Verdict, Error string
		FirstFailure                             string `json:"first_failure"`
	} `json:"summary"`
	Reports []*cliReport `json:"reports"`
}

func TestScan(t *testing.T) {
	a := requireAWS(t)
	a.fake.SetPageSize(2) // five mappings: three pages
	fn, _ := a.moFunction(t, "scan-consumer")
	other, _ := a.moFunction(t, "other-consumer")
	healthy, broken, noTopic, notKafka, otherFn := a.uuid(60), a.uuid(61), a.uuid(62), a.uuid(63), a.uuid(64)
	selfManagedMapping(t, a, healthy, fn, a.Get("SCRAM_PASSWORD"), a.group())
	selfManagedMapping(t, a, broken, fn, "not-the-password", a.group())
	a.fake.AddMapping(awsfake.Mapping{UUID: noTopic, FunctionARN: fn, Bootstrap: []string{a.Get("SASL_SSL")}})
	a.fake.AddMapping(awsfake.Mapping{UUID: notKafka, FunctionARN: fn, EventSourceARN: "arn:aws:sqs:us-east-1:123456789012:orders"})
	selfManagedMapping(t, a, otherFn, other, a.Get("SCRAM_PASSWORD"), a.group())

	code, out, errOut := cliRun(t, nil, "scan", "--region", awsRegion, "--function-prefix", "scan-consumer", "--parallel", "2", "-o", "json", "--timeout", "20s")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (two mappings fail): %s", code, errOut)
	}
	var d scanDoc
	if err := jsonUnmarshal(out, &d); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var got []string
	for _, s := range d.Summary {
		got = append(got, s.Mapping+"="+s.Verdict+":"+s.FirstFailure)
	}
	want := []string{healthy + "=pass:", broken + "=fail:ESM-SASL-001", noTopic + "=fail:ESM-MAPPING-006"}
	if strings.Join(got, " ") != strings.Join(want, " ") || d.Counts["pass"] != 1 || d.Counts["fail"] != 2 || d.Counts["error"] != 0 {
		t.Fatalf("summary %v, want %v (counts %v)", got, want, d.Counts)
	}
	if d.Reports[2] == nil || !strings.Contains(d.Reports[2].Checks[0].Cause, "the mapping names no topic") || d.Reports[0] == nil ||
		d.Reports[1].statuses() != "mapping=pass api=pass sts=warn(ESM-STS-101) secret=pass cluster=skip network=warn(ESM-NET-103) permissions=warn(ESM-PERM-101) dns=pass tcp=pass tls=pass token=skip sasl=fail(ESM-SASL-001) topic=skip brokers=skip group=skip poll=skip registry=skip lambda-endpoint=pass health=skip" {
		t.Fatalf("reports: %+v\n%s", d.Summary, d.Reports[1].statuses())
	}
	if strings.Contains(out, "not-the-password") || strings.Contains(out, a.Get("SCRAM_PASSWORD")) {
		t.Fatal("a password in the scan")
	}

	// Text: the summary table first; JUnit: one suite per mapping.
	code, out, _ = cliRun(t, nil, "scan", "--region", awsRegion, "--function-prefix", "scan-consumer", "--timeout", "20s")
	lines := strings.Split(out, "\n")
	if code != 1 || !strings.HasPrefix(lines[0], "esmdoctor scan: 3 Kafka mapping(s) in us-east-1: 1 pass, 2 fail, 0 error") ||
		!strings.HasPrefix(lines[2], "MAPPING") || !strings.HasPrefix(lines[3], healthy) || !strings.Contains(lines[4], "ESM-SASL-001") {
		t.Fatalf("text (exit %d):\n%s", code, out)
	}
	_, out, _ = cliRun(t, nil, "scan", "--region", awsRegion, "--function-prefix", "scan-consumer", "-o", "junit", "--timeout", "20s")
	var doc struct {
		Suites []struct {
			Name     string `xml:"name,attr"`
			Failures int    `xml:"failures,attr"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(out), &doc); err != nil || len(doc.Suites) != 3 || !strings.Contains(doc.Suites[1].Name, broken) ||
		doc.Suites[0].Failures != 0 || doc.Suites[1].Failures != 1 || doc.Suites[2].Failures != 1 {
		t.Fatalf("junit: %v %+v\n%s", err, doc.Suites, out)
	}

	// --output-file gets the format, the terminal the text.
	file := filepath.Join(t.TempDir(), "scan.xml")
	_, out, _ = cliRun(t, nil, "scan", "--region", awsRegion, "--function-prefix", "scan-consumer", "-o", "junit", "--output-file", file, "--timeout", "20s")
	written, err := os.ReadFile(file)
	if err != nil || !strings.HasPrefix(string(written), "<?xml") || !strings.HasPrefix(out, "esmdoctor scan: 3 Kafka mapping(s)") {
		t.Fatalf("--output-file: %v\nfile %.200s\nstdout %.200s", err, written, out)
	}

	// Without the mapping that cannot be checked, the worst verdict is a failure.
	code, _, _ = cliRun(t, nil, "scan", "--region", awsRegion, "--function-prefix", "other-consumer", "--timeout", "20s")
	if code != 0 {
		t.Fatalf("other-consumer only: exit %d, want 0", code)
	}
}

// TestScanSharesConnections: one at a time (--parallel 1), a healthy
// mapping hands its authenticated connection to the scan; the next mapping
// with another password never gets it (it logs in itself and fails), and
// the next one with the same broker, trust and credentials uses it and says
// so in its tcp, tls and sasl checks.
func TestScanSharesConnections(t *testing.T) {
	a := requireAWS(t)
	fn, _ := a.moFunction(t, "share-consumer")
	first, wrong, second := a.uuid(70), a.uuid(71), a.uuid(72)
	selfManagedMapping(t, a, first, fn, a.Get("SCRAM_PASSWORD"), a.group())
	selfManagedMapping(t, a, wrong, fn, "not-the-password", a.group())
	selfManagedMapping(t, a, second, fn, a.Get("SCRAM_PASSWORD"), a.group())

	code, out, errOut := cliRun(t, nil, "scan", "--region", awsRegion, "--function-prefix", "share-consumer", "--parallel", "1", "-o", "json", "--timeout", "20s")
	var d scanDoc
	if err := jsonUnmarshal(out, &d); err != nil || code != 1 {
		t.Fatalf("exit %d (want 1) %v\n%s\n%s", code, err, out, errOut)
	}
	var got []string
	for _, s := range d.Summary {
		got = append(got, s.Mapping+"="+s.Verdict+":"+s.FirstFailure)
	}
	if want := []string{first + "=pass:", wrong + "=fail:ESM-SASL-001", second + "=pass:"}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("summary %v, want %v", got, want)
	}
	const note = "this scan's connection, opened for an earlier mapping"
	for i, want := range []bool{false, false, true} {
		for _, id := range []string{"tcp", "tls", "sasl"} {
			detail := strings.Join(d.Reports[i].detail(id), "\n")
			if shared := strings.Contains(detail, note); shared != want {
				t.Errorf("mapping %d, %s: shared %v, want %v\n%s", i, id, shared, want, detail)
			}
		}
	}
	// The first mapping asked the broker itself (its poll check may reuse
	// the log offsets its group check read); the wrong password never got as
	// far; the third took the first one's answers (the same topic and group,
	// the same identity) and says so in topic, group and poll.
	for i, want := range []bool{false, false, true} {
		for _, id := range []string{"topic", "group", "poll"} {
			if got := d.Reports[i].sharedAnswers(id) > 0; got != want && !(i == 0 && id == "poll") {
				t.Errorf("mapping %d, %s: shared answers %v, want %v\n%s", i, id, got, want, strings.Join(d.Reports[i].detail(id), "\n"))
			}
		}
	}
	// The shared connection's handshake is reported as it was seen: the
	// broker's certificate, as in the first mapping's report.
	if a, b := d.Reports[0].detail("tls"), d.Reports[2].detail("tls"); len(a) == 0 || len(b) == 0 || !strings.HasPrefix(b[0], a[0]) {
		t.Errorf("tls detail of the shared connection %q, first seen %q", b, a)
	}
}

// detail is the detail lines of the check with this id.
func (r *cliReport) detail(id string) []string {
	for _, c := range r.Checks {
		if c.ID == id {
			return c.Detail
		}
	}
	return nil
}

// sharedAnswers is how many Kafka answers the check with this id says it
// took from the scan (checks.ask).
func (r *cliReport) sharedAnswers(id string) int {
	n := 0
	for _, line := range r.detail(id) {
		var k int
		if _, err := fmt.Sscanf(line, "%d Kafka answer(s) were this scan's:", &k); err == nil {
			n += k
		}
	}
	return n
}
