package redact

import (
	"encoding/base64"
	"net/url"
	"strings"
	"sync"
	"testing"
)

func TestEveryFormOfASecretIsRemoved(t *testing.T) {
	const pw = "s3cr3t/pa+ss=word"
	key := "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\nAbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefghij\n-----END PRIVATE KEY-----\n"
	r := New(pw, key)
	inputs := map[string]string{
		"raw":            "login failed for password " + pw,
		"base64":         "auth bytes " + base64.StdEncoding.EncodeToString([]byte(pw)),
		"base64url":      "token " + base64.RawURLEncoding.EncodeToString([]byte(pw)),
		"query-escaped":  "url?p=" + url.QueryEscape(pw),
		"json-escaped":   `{"privateKey":"` + strings.ReplaceAll(key, "\n", `\n`) + `"}`,
		"one PEM line":   "saw MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg in a log",
		"whole PEM":      "key: " + key,
		"twice":          pw + " and " + pw,
		"aws signature":  "https://kafka.us-east-1.amazonaws.com/?Action=kafka-cluster%3AConnect&X-Amz-Credential=AKIA%2F20261121&X-Amz-Signature=abcdef0123&X-Amz-Security-Token=FQoG",
		"aws secret key": `aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`,
	}
	leaks := []string{pw, "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg", base64.StdEncoding.EncodeToString([]byte(pw)),
		url.QueryEscape(pw), "abcdef0123", "FQoG", "AKIA%2F20261121", "wJalrXUtnFEMI"}
	for name, in := range inputs {
		out := r.String(in)
		if !strings.Contains(out, Mask) {
			t.Errorf("%s: nothing masked in %q", name, out)
		}
		for _, l := range leaks {
			if strings.Contains(out, l) {
				t.Errorf("%s: %q still in %q", name, l, out)
			}
		}
	}
	if r.Count() < len(inputs) {
		t.Errorf("count %d, want at least %d", r.Count(), len(inputs))
	}
}

func TestShortValuesAndNilAreSafe(t *testing.T) {
	r := New("ab", "")
	if got := r.String("abc ab"); got != "abc ab" {
		t.Errorf("a value shorter than %d characters was scrubbed: %q", minSecretLen, got)
	}
	var none *Redactor
	none.Add("x")
	if none.String("text") != "text" || none.Count() != 0 {
		t.Error("a nil Redactor must pass text through")
	}
}

func TestConcurrentUse(t *testing.T) {
	r := New("concurrent-secret")
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.Add("another-secret-" + string(rune('a'+i)))
			if strings.Contains(r.String("x concurrent-secret y"), "concurrent-secret") {
				t.Error("not scrubbed")
			}
		}()
	}
	wg.Wait()
	if r.Count() != 8 {
		t.Errorf("count %d, want 8", r.Count())
	}
}

// A scan's mappings register the same secrets again and again: each form
// is kept once, so scrubbing a scan's reports does not grow with the
// square of its mappings, and the value is still masked.
func TestAddKeepsEachFormOnce(t *testing.T) {
	r := New("s3cret-password")
	n := len(r.needles)
	for range 100 {
		r.Add("s3cret-password")
	}
	if len(r.needles) != n {
		t.Fatalf("%d needles after adding the same secret 100 times, want %d", len(r.needles), n)
	}
	if got := r.String("pw=s3cret-password"); got != "pw="+Mask {
		t.Fatalf("got %q", got)
	}
}

// The patterns run only where containsFold finds their label: it must
// never miss a string either pattern matches.
func TestPrefilterNeverMissesAMatch(t *testing.T) {
	const key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	for _, s := range []string{
		"https://kafka.us-east-1.amazonaws.com/?Action=kafka-cluster%3AConnect&X-Amz-Signature=abcdef0123",
		"x-AMZ-security-token=FwoGZXIvYXdzE", "X-Amz-Credential=AKIAEXAMPLE%2F20261130",
		"aws_secret_access_key = " + key, "AWS_SESSION_TOKEN=" + key, `"SecretAccessKey": "` + key + `"`,
		"sessionToken:" + key, "SESSIONTOKEN='" + key + "'",
		"aws_ſecret_access_key=" + key, // the long s folds to s in (?i)
		"ſessiontoken=" + key, "X-Amz-Signature=\u212a" + key,
	} {
		if isASCII(s) && ((awsQuery.MatchString(s) && !containsFold(s, "x-amz-")) ||
			(awsLabel.MatchString(s) && !containsFold(s, "secret") && !containsFold(s, "session"))) {
			t.Errorf("%q: a pattern matches but the prefilter skips it", s)
		}
		if !awsQuery.MatchString(s) && !awsLabel.MatchString(s) {
			t.Errorf("%q: no pattern matches (a case the test should not hold)", s)
		}
		r := New()
		if got := r.String(s); got == s || r.Count() != 1 {
			t.Errorf("%q: not redacted (%q, count %d)", s, got, r.Count())
		}
	}
	for _, s := range []string{"the secret's password field is empty", "no label at all", "sessions of 10 s"} {
		r := New()
		if got := r.String(s); got != s || r.Count() != 0 {
			t.Errorf("%q changed to %q", s, got)
		}
	}
}
