package catalog

import "strings"

// Reason is one StateTransitionReason code a stopped Kafka event source
// mapping reports, with what it means and which checks look for its causes.
type Reason struct {
	Code    string
	Meaning string
	// Checks are the check ids whose failures lead to this state, in
	// pipeline order.
	Checks []string
	// Problems, when set, narrows those checks' codes to the ones Lambda
	// reports with these PROBLEM texts.
	Problems []ProblemID
}

// reasons are the StateTransitionReason codes of a stopped consumer
// (shared/reference/esm-problems.md section 2).
var reasons = []Reason{
	{Code: "ESM_CONFIG_NOT_VALID",
		Meaning: "the mapping's own configuration cannot work: a secret that cannot be read or has the wrong shape, a cluster or listener that does not exist, an access configuration the event source does not support",
		Checks:  []string{"sts", "secret", "cluster"}},
	{Code: "EVENT_SOURCE_AUTHN_ERROR",
		Meaning: "the brokers did not authenticate the mapping, or the mapping did not trust the brokers: TLS (client or server certificate) or SASL (SCRAM/PLAIN credentials, MSK IAM token, OAuth token) failed",
		Checks:  []string{"secret", "permissions", "tls", "token", "sasl", "brokers"}, Problems: []ProblemID{"P4", "P8", "P10a", "P10b"}},
	{Code: "EVENT_SOURCE_AUTHZ_ERROR",
		Meaning: "the brokers authenticated the mapping but refused it an operation: a Kafka ACL (DescribeConfigs on Cluster, Describe and Read on Group and Topic) or, for MSK IAM, a kafka-cluster:* permission is missing",
		Checks:  []string{"permissions", "topic", "group", "poll"}, Problems: []ProblemID{"P5"}},
	{Code: "FUNCTION_CONFIG_NOT_VALID",
		Meaning: "the function the mapping invokes cannot be used: it does not exist, its execution role cannot be assumed, or it cannot be invoked",
		Checks:  []string{"sts", "permissions", "lambda-endpoint"}},
}

// LookupReason finds a StateTransitionReason code (case-insensitive).
func LookupReason(code string) (Reason, bool) {
	for _, r := range reasons {
		if strings.EqualFold(r.Code, strings.TrimSpace(code)) {
			return r, true
		}
	}
	return Reason{}, false
}

// Reasons lists every StateTransitionReason code esmdoctor knows.
func Reasons() []Reason { return append([]Reason(nil), reasons...) }

// ForReason returns the failure codes whose checks lead to r, in pipeline
// order.
func ForReason(r Reason) []Entry {
	var out []Entry
	for _, check := range r.Checks {
		for _, e := range ForCheck(check) {
			if e.Severity == SevFail && (len(r.Problems) == 0 || hasProblem(r.Problems, e.Problem)) {
				out = append(out, e)
			}
		}
	}
	return out
}

func hasProblem(list []ProblemID, p ProblemID) bool {
	for _, x := range list {
		if x == p {
			return true
		}
	}
	return false
}

// ForCheck returns the non-retired entries a check emits, in registry order.
func ForCheck(check string) []Entry {
	var out []Entry
	for _, e := range All() {
		if e.Check == check && !e.Retired {
			out = append(out, e)
		}
	}
	return out
}

// healthyResults are LastProcessingResult values of a mapping that works.
var healthyResults = []string{"OK", "No records processed"}

// IsHealthyResult says whether a LastProcessingResult means the mapping works.
func IsHealthyResult(text string) bool {
	t := strings.TrimRight(strings.TrimSpace(text), ".")
	for _, h := range healthyResults {
		if strings.EqualFold(t, h) {
			return true
		}
	}
	return false
}

// DescribeResult is a one-line meaning of a LastProcessingResult, for the
// top of a report: healthy, a PROBLEM text (with its id and causes), or
// unknown.
func DescribeResult(text string) string {
	switch {
	case strings.TrimSpace(text) == "":
		return "the mapping reports no result yet"
	case IsHealthyResult(text):
		return "healthy: the mapping polled successfully"
	}
	if p, ok := MatchProblem(text); ok {
		s := string(p.ID) + ": " + p.Causes
		if c := p.Caveat(); c != "" {
			s += " (" + c + ")"
		}
		return s + "; esmdoctor explain '" + p.Text + "' for the checks that detect it"
	}
	return "not a PROBLEM text esmdoctor knows; the checks below show what fails from here"
}
