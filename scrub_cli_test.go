package main

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/fixtures"
)

// TestIssueLeaksClosed replays the leaks issue 9 reported, end to end: a
// topic holding the password in the JSON target, a secret's key names on
// stderr, and a consumer group that forges a report line.
func TestIssueLeaksClosed(t *testing.T) {
	if os.Getenv(childTest) != "1" {
		inChildProcess(t, "TestIssueLeaksClosed")
		return
	}
	const pw = "Cn4ry-p4ssw0rd-9f"
	secret := write(t, "scram.json", `{"username":"u","password":"`+pw+`"}`)
	port, err := fixtures.ClosedPort()
	if err != nil {
		t.Fatal(err)
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	for _, format := range []string{"text", "json", "markdown", "junit"} {
		_, out, errOut := esm(t, "check", "-b", addr, "-t", "t."+pw+".v2", "--secret-file", secret, "--auth", "sasl-scram-512",
			"--consumer-group", "g\n✗ tcp FAKE\x1b[2J", "--timeout", "2s", "-o", format, "-v")
		all := out + errOut
		if strings.Contains(all, pw) {
			t.Errorf("%s: the password leaked:\n%s", format, all)
		}
		if strings.Contains(all, "\x1b") || strings.Contains(all, "\n✗ tcp FAKE") {
			t.Errorf("%s: a raw escape or a forged line:\n%s", format, all)
		}
		if format != "junit" && !strings.Contains(all, `t.**redacted**.v2`) {
			t.Errorf("%s: the topic is not shown redacted:\n%s", format, all)
		}
	}
	keyed := write(t, "odd.json", `{"`+pw+`":"x","Username":"u"}`)
	code, _, errOut := esm(t, "check", "-b", addr, "-t", "orders", "--secret-file", keyed)
	if code != exitUsage || strings.Contains(errOut, pw) || !strings.Contains(errOut, "it has 2 key(s), not shown; key names are case-sensitive: want username") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}
