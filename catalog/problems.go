// Package catalog is esmdoctor's single registry of knowledge: the PROBLEM
// texts AWS Lambda prints in an event source mapping's LastProcessingResult,
// and the stable problem codes (ESM-<AREA>-<NNN>) that checks emit.
//
// Results store a code and its arguments; renderers format the cause and
// remediation late, from this registry. The package never touches the network.
package catalog

import (
	"sort"
	"strings"
)

// ProblemID names one PROBLEM text of the reference (P1, P2b, ...).
type ProblemID string

// Problem is a PROBLEM string exactly as Lambda prints it.
type Problem struct {
	ID   ProblemID
	Text string
	// Unconfirmed marks wording that could not be confirmed in a primary
	// source; explain and the renderers say the wording is approximate.
	Unconfirmed bool
	// Scope says which mappings can show it and when.
	Scope string
	// Causes is the reference's list of causes, in pipeline order.
	Causes string
	// Inferred marks a text whose named error is documented while its
	// "PROBLEM: … ." wrapping is inferred from P4 and P5 (the reference's
	// "form inferred").
	Inferred bool
	// Variant names the PROBLEM this one is another wording of (a longer
	// or newer form): codes are registered against the base text, and
	// explain lists them for either wording.
	Variant ProblemID
	// Retired, when set, says this wording is not Lambda's (it had no
	// source) and which PROBLEM replaces it. Codes never point at a
	// retired text; explain still recognises it, because people paste it
	// from old notes.
	Retired string
}

// Caveat is the one-line qualification renderers print under the text:
// retired, unconfirmed, form inferred, or "" for a confirmed text.
func (p Problem) Caveat() string {
	switch {
	case p.Retired != "":
		return "not Lambda's wording (retired: it has no source): " + p.Retired
	case p.Unconfirmed:
		return "wording unconfirmed: Lambda's text may differ slightly"
	case p.Inferred:
		return "form inferred: the named error is documented, the PROBLEM: wrapping is inferred"
	}
	return ""
}

// The PROBLEM texts, byte for byte from shared/reference/esm-problems.md.
var problems = []Problem{
	{ID: "P1", Text: "PROBLEM: Connection error. Please check your event source connection configuration.",
		Scope:  "MSK and self-managed",
		Causes: "before the broker: security groups, NACLs or routes block the brokers; after the broker: the broker accepted the connection but could not complete (offline, resources exhausted, endpoint failing)"},
	{ID: "P1b", Text: "PROBLEM: Connection error. Please check your event source connection configuration. If your event source lives in a VPC, try setting up a new Lambda function or EC2 instance with the same VPC, Subnet, and Security Group settings. Connect the new device to the Kafka cluster and consume messages to ensure that the issue is not related to VPC or Endpoint configuration.",
		Scope:  "MSK and self-managed (current long form of P1)",
		Causes: "same as P1", Variant: "P1"},
	{ID: "P2", Text: "PROBLEM: Connection error. Your VPC must be able to connect to Lambda and STS, as well as Secrets Manager if authentication is required. You can provide access by configuring PrivateLink or a NAT Gateway.",
		Scope:  "MSK and self-managed; seen when the cluster sits in a public or default subnet",
		Causes: "the mapping's network interfaces cannot reach the STS, Lambda or Secrets Manager endpoints on port 443"},
	{ID: "P2b", Text: "PROBLEM: Connection error. Your event source VPC must be able to connect to Lambda and STS, Secrets Manager (if event source authentication is required), and the OnFailure Destination (if one is configured).",
		Scope:  "MSK and self-managed (newer wording of P2)",
		Causes: "as P2, plus an unreachable on-failure destination", Variant: "P2"},
	{ID: "P3", Text: "PROBLEM: Lambda failed to assume your function execution role. Please check if the role trust Lambda service principal, and make sure it does not require setting source identity to be assumed.",
		Scope:  "MSK and self-managed",
		Causes: "the trust policy lacks lambda.amazonaws.com; it requires sts:SetSourceIdentity; an STS VPC endpoint policy denies sts:AssumeRole"},
	{ID: "P4", Text: "PROBLEM: SASL authentication failed.",
		Scope:  "MSK and self-managed",
		Causes: "SCRAM/PLAIN credentials wrong; MSK IAM: the role lacks kafka-cluster:Connect on the cluster ARN; intermittently the MSK new-connection quota"},
	{ID: "P5", Text: "PROBLEM: Cluster failed to authorize Lambda.",
		Scope:  "MSK and self-managed",
		Causes: "the principal lacks a required ACL or IAM permission"},
	{ID: "P6", Text: "PROBLEM: Lambda internal error. Please contact Lambda customer support.",
		Scope:  "MSK and self-managed",
		Causes: "no client-side cause is documented: if every esmdoctor check passes from the mapping's network, contact AWS support"},
	{ID: "P7", Text: "PROBLEM: Function call failed",
		Scope:  "generic",
		Causes: "the function itself returned an error; not a connectivity problem (out of esmdoctor's scope)"},
	{ID: "P8", Text: "PROBLEM: Provided certificate or private key is invalid.", Inferred: true,
		Scope:  "MSK and self-managed (mTLS)",
		Causes: "the certificate or the private key in the mTLS secret is not PEM, the key is not PKCS#8, or it is encrypted with PBES2 (only PBES1 is accepted)"},
	{ID: "P10a", Text: "PROBLEM: Server failed to authenticate Lambda.", Inferred: true,
		Scope:  "MSK and self-managed (mTLS)",
		Causes: "no client certificate for an mTLS listener; a certificate sent to brokers not set up for mTLS; the brokers do not trust the client certificate (or its chain is incomplete)"},
	{ID: "P10b", Text: "PROBLEM: Lambda failed to authenticate server.", Inferred: true,
		Scope:  "self-managed (MSK uses public Amazon Trust Services certificates)",
		Causes: "a private-CA or self-signed broker certificate without SERVER_ROOT_CA_CERTIFICATE; that CA did not sign it; the broker sends an incomplete chain; the certificate does not name the broker (SAN); it is expired"},
	// Other wordings seen in AWS tooling, unconfirmed: variants of P2.
	{ID: "P2c", Text: "PROBLEM: Connection error. Your event source VPC must be able to connect to Lambda and STS.", Unconfirmed: true,
		Scope: "MSK and self-managed (a wording seen in AWS tooling)", Causes: "as P2", Variant: "P2"},
	{ID: "P2d", Text: "PROBLEM: Connection error. Your event source VPC must be able to connect to STS.", Unconfirmed: true,
		Scope: "MSK and self-managed (a wording seen in AWS tooling)", Causes: "as P2, for the STS endpoint", Variant: "P2"},
	{ID: "P2e", Text: "PROBLEM: Connection error. Your event source VPC must be able to connect to OnFailure Destination.", Unconfirmed: true,
		Scope: "MSK and self-managed (a wording seen in AWS tooling)", Causes: "as P2b, for the on-failure destination", Variant: "P2b"},
	// Retired 2026-11-30 (shared/reference/esm-problems.md section 2): no
	// source anywhere.
	{ID: "R8", Text: "PROBLEM: Certificate and/or private key must be in PEM format.",
		Scope: "none", Causes: "an invalid certificate or key: Lambda shows P8", Variant: "P8",
		Retired: "an invalid certificate or key shows P8 (PROBLEM: Provided certificate or private key is invalid.)"},
	{ID: "R9", Text: "PROBLEM: The provided Kafka broker endpoints cannot be resolved.",
		Scope: "none", Causes: "a name that does not resolve: Lambda shows P1", Variant: "P1",
		Retired: "a broker name that does not resolve shows P1 (PROBLEM: Connection error. Please check your event source connection configuration.)"},
	{ID: "R10", Text: "PROBLEM: Server failed to authenticate Lambda, or Lambda failed to authenticate server",
		Scope: "none", Causes: "split in two: P10a (the broker rejects the client certificate) and P10b (the broker certificate is not trusted)", Variant: "P10a",
		Retired: "Lambda shows P10a (PROBLEM: Server failed to authenticate Lambda.) or P10b (PROBLEM: Lambda failed to authenticate server.)"},
}

var problemByID = func() map[ProblemID]Problem {
	m := make(map[ProblemID]Problem, len(problems))
	for _, p := range problems {
		if _, dup := m[p.ID]; dup {
			panic("catalog: duplicate problem id " + string(p.ID))
		}
		m[p.ID] = p
	}
	for _, p := range problems {
		if _, ok := m[p.Variant]; p.Variant != "" && !ok {
			panic("catalog: " + string(p.ID) + " is a variant of unknown problem " + string(p.Variant))
		}
	}
	return m
}()

// ProblemByID returns the PROBLEM text with that id.
func ProblemByID(id ProblemID) (Problem, bool) {
	p, ok := problemByID[id]
	return p, ok
}

// Problems returns every PROBLEM text, in reference order.
func Problems() []Problem {
	return append([]Problem(nil), problems...)
}

// MatchProblem finds the PROBLEM a pasted LastProcessingResult refers to.
// It tolerates surrounding whitespace, a missing "PROBLEM:" prefix, a
// missing final period, and trailing sentences Lambda may append (the long
// forms). The longest matching text wins, so P1b beats P1.
func MatchProblem(text string) (Problem, bool) {
	q := normalize(text)
	if q == "" {
		return Problem{}, false
	}
	var best Problem
	found := false
	for _, p := range problems {
		t := normalize(p.Text)
		if strings.HasPrefix(q, t) && (!found || len(t) > len(normalize(best.Text))) {
			best, found = p, true
		}
	}
	return best, found
}

// LookupProblem finds a PROBLEM text by its id, in any letter case ("P5",
// "p10a", "R8").
func LookupProblem(id string) (Problem, bool) {
	for _, p := range problems {
		if strings.EqualFold(string(p.ID), strings.TrimSpace(id)) {
			return p, true
		}
	}
	return Problem{}, false
}

// normalize folds whitespace and letter case, drops the PROBLEM: prefix
// and trailing periods.
func normalize(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	s = strings.TrimPrefix(s, "problem:")
	s = strings.TrimSpace(s)
	return strings.TrimRight(s, ".")
}

// sortedProblemIDs is used by tests and docs.
func sortedProblemIDs() []string {
	ids := make([]string, 0, len(problems))
	for _, p := range problems {
		ids = append(ids, string(p.ID))
	}
	sort.Strings(ids)
	return ids
}
