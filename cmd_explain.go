package main

import (
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/urfave/cli/v2"
)

func explainCommand() *cli.Command {
	return &cli.Command{
		Name:      "explain",
		Usage:     "print the causes, the checks that detect them and the fixes for a PROBLEM text, a named error, a StateTransitionReason or a code",
		UsageText: "esmdoctor explain 'PROBLEM: SASL authentication failed.'\n   esmdoctor explain P5\n   esmdoctor explain ESM-TLS-001\n   esmdoctor explain 'Cluster failed to authorize Lambda'\n   esmdoctor explain EVENT_SOURCE_AUTHN_ERROR\n   esmdoctor explain   (lists everything)",
		Action: func(c *cli.Context) error {
			q := strings.TrimSpace(strings.Join(c.Args().Slice(), " "))
			w := c.App.Writer
			if q == "" {
				explainAll(w)
				return nil
			}
			return explain(w, q)
		},
	}
}

// problemRefs finds the PROBLEM ids a retired text names as its
// replacements.
var problemRefs = regexp.MustCompile(`\bP[0-9]+[a-z]?\b`)

var codeQuery = regexp.MustCompile(`(?i)^ESM-[A-Z]+-[0-9]{3}$`)

func explain(w io.Writer, q string) error {
	if codeQuery.MatchString(q) {
		e, ok := catalog.Lookup(strings.ToUpper(q))
		if !ok {
			return usageErr("explain: no code %s (esmdoctor explain lists them all)", strings.ToUpper(q))
		}
		explainEntry(w, e, true)
		return nil
	}
	if p, ok := catalog.LookupProblem(q); ok {
		explainProblem(w, p)
		return nil
	}
	if p, ok := catalog.MatchProblem(q); ok {
		explainProblem(w, p)
		return nil
	}
	if r, ok := catalog.LookupReason(q); ok {
		explainReason(w, r)
		return nil
	}
	if catalog.IsHealthyResult(q) {
		fmt.Fprintf(w, "%s\n\nA healthy LastProcessingResult: the mapping polled the topic successfully (\"No records processed\" when the batch was empty).\n", q)
		return nil
	}
	if entries := catalog.ForErrorName(q); len(entries) > 0 {
		fmt.Fprintf(w, "%s (a named error of the Lambda developer guide)\n\nDetected by, in pipeline order:\n", entries[0].ErrorName)
		for _, e := range entries {
			explainEntry(w, e, false)
		}
		return nil
	}
	return usageErr("explain: %q is neither a PROBLEM text, a named error, a StateTransitionReason nor a code (esmdoctor explain lists them all)", q)
}

// explainReason prints a StateTransitionReason and the codes of the checks
// whose failures stop the mapping with it.
func explainReason(w io.Writer, r catalog.Reason) {
	fmt.Fprintf(w, "%s (a StateTransitionReason of a stopped mapping)\n\nmeans: %s\n\nDetected by, in pipeline order:\n", r.Code, r.Meaning)
	for _, e := range catalog.ForReason(r) {
		explainEntry(w, e, false)
	}
}

func explainProblem(w io.Writer, p catalog.Problem) {
	fmt.Fprintf(w, "%s\n", p.Text)
	if p.Retired != "" {
		fmt.Fprintf(w, "\nThis is not Lambda's wording: no source has it, and esmdoctor's reference retired it. Instead, %s.\n", p.Retired)
		for _, id := range problemRefs.FindAllString(p.Retired, -1) {
			fmt.Fprintf(w, "esmdoctor explain %s lists the checks that detect it.\n", id)
		}
		return
	}
	if c := p.Caveat(); c != "" {
		fmt.Fprintf(w, "(%s)\n", c)
	}
	fmt.Fprintf(w, "\nshown for: %s\ncauses:    %s\n", p.Scope, p.Causes)
	entries := catalog.ForProblem(p.ID)
	if len(entries) == 0 {
		fmt.Fprintln(w, "\nNo check detects this: it has no client-side cause esmdoctor can observe.")
		return
	}
	fmt.Fprintln(w, "\nDetected by, in pipeline order:")
	for _, e := range entries {
		explainEntry(w, e, false)
	}
}

func explainEntry(w io.Writer, e catalog.Entry, full bool) {
	fmt.Fprintf(w, "\n  %s  check %-8s %s\n", e.Code, e.Check, e.Title)
	if full {
		if p, ok := catalog.ProblemByID(e.Problem); ok {
			fmt.Fprintf(w, "    PROBLEM  %s\n", p.Text)
		} else {
			fmt.Fprintln(w, "    PROBLEM  (Lambda shows no documented PROBLEM text for this)")
		}
	}
	if e.ErrorName != "" {
		fmt.Fprintf(w, "    error    %s\n", e.ErrorName)
	}
	fmt.Fprintf(w, "    cause    %s\n", catalog.Generic(e.Cause))
	fmt.Fprintf(w, "    fix      %s\n", catalog.Generic(e.Remediation))
}

func explainAll(w io.Writer) {
	fmt.Fprintln(w, "PROBLEM texts Lambda shows (esmdoctor explain '<text>' for details):")
	for _, p := range catalog.Problems() {
		mark := ""
		if c := p.Caveat(); c != "" {
			mark = " (" + c + ")"
		}
		fmt.Fprintf(w, "  %-4s %s%s\n", p.ID, p.Text, mark)
	}
	fmt.Fprintln(w, "\nNamed errors:")
	for _, n := range catalog.ErrorNames() {
		fmt.Fprintf(w, "  %s\n", n)
	}
	fmt.Fprintln(w, "\nStateTransitionReason codes of a stopped mapping:")
	for _, r := range catalog.Reasons() {
		fmt.Fprintf(w, "  %s\n", r.Code)
	}
	fmt.Fprintln(w, "\nCodes:")
	for _, e := range catalog.All() {
		if !e.Retired {
			fmt.Fprintf(w, "  %s  %-8s %s\n", e.Code, e.Check, e.Title)
		}
	}
}
