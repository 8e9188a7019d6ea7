// Package redact removes secret values from anything esmdoctor prints.
//
// It is the last line of defence: secrets are held in types that never
// print (secrets.Secret), and every string a renderer writes also passes
// through a Redactor that knows the run's secret values and replaces them,
// in raw, base64 and URL-encoded form, plus any AWS signature material.
package redact

import (
	"encoding/base64"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Mask replaces every redacted value.
const Mask = "**redacted**"

// minSecretLen: shorter values are not scrubbed (replacing "a" everywhere
// would destroy the report); secrets that short are rejected elsewhere.
const minSecretLen = 4

// awsQuery matches presigned-URL query values that are credentials or
// signatures (an MSK IAM token is such a URL).
var awsQuery = regexp.MustCompile(`(?i)(X-Amz-(?:Signature|Security-Token|Credential)=)[^&\s"']+`)

// awsKeyLike matches AWS secret access keys and session tokens printed bare
// after a recognisable label.
var awsLabel = regexp.MustCompile(`(?i)((?:aws_secret_access_key|aws_session_token|secretaccesskey|sessiontoken)["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{16,}`)

// Redactor scrubs known secret values. It is safe for concurrent use.
type Redactor struct {
	mu      sync.Mutex
	needles []string        // every form of every secret, longest first
	known   map[string]bool // the needles, each once: a scan's mappings register the same secrets again
	count   int
}

// New returns a Redactor that knows the given secret values.
func New(secrets ...string) *Redactor {
	r := &Redactor{}
	r.Add(secrets...)
	return r
}

// Add registers more secret values (with their encoded forms).
func (r *Redactor) Add(secrets ...string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.known == nil {
		r.known = map[string]bool{}
	}
	for _, s := range secrets {
		for _, form := range forms(s) {
			if len(form) >= minSecretLen && !r.known[form] {
				r.known[form] = true
				r.needles = append(r.needles, form)
			}
		}
	}
	sort.Slice(r.needles, func(i, j int) bool { return len(r.needles[i]) > len(r.needles[j]) })
}

// forms returns the value, its lines (for PEM keys), and encodings.
func forms(s string) []string {
	out := []string{s}
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if len(line) >= 16 && !strings.HasPrefix(line, "-----") {
			out = append(out, line)
		}
	}
	out = append(out,
		base64.StdEncoding.EncodeToString([]byte(s)),
		base64.RawStdEncoding.EncodeToString([]byte(s)),
		base64.URLEncoding.EncodeToString([]byte(s)),
		base64.RawURLEncoding.EncodeToString([]byte(s)),
		url.QueryEscape(s),
		url.PathEscape(s),
		strings.ReplaceAll(s, "\n", `\n`), // JSON-escaped PEM
	)
	return out
}

// String scrubs s and counts what it replaced.
func (r *Redactor) String(s string) string {
	if r == nil || s == "" {
		return s
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range r.needles {
		if c := strings.Count(s, n); c > 0 {
			r.count += c
			s = strings.ReplaceAll(s, n, Mask)
		}
	}
	// The case-insensitive patterns cost far more than the plain searches
	// above (a scan's reports hold thousands of strings); each runs only
	// where its label can occur.
	ascii := isASCII(s)
	if !ascii || containsFold(s, "x-amz-") {
		s = awsQuery.ReplaceAllStringFunc(s, func(m string) string {
			r.count++
			return awsQuery.ReplaceAllString(m, "${1}"+Mask)
		})
	}
	if !ascii || containsFold(s, "secret") || containsFold(s, "session") {
		s = awsLabel.ReplaceAllStringFunc(s, func(m string) string {
			r.count++
			return awsLabel.ReplaceAllString(m, "${1}"+Mask)
		})
	}
	return s
}

// containsFold says whether s contains sub (lower-case ASCII) in any ASCII
// letter case. The patterns' (?i) also folds two non-ASCII letters (the
// Kelvin sign to k, the long s to s): for a string that is not ASCII they
// run whatever containsFold says.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i]|0x20 == sub[0] && strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// isASCII says whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Count is how many values were replaced so far.
func (r *Redactor) Count() int {
	if r == nil {
		return 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.count
}
