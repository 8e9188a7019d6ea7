package awsfake

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// moto 5.2.1 has no iam:SimulatePrincipalPolicy (it answers HTTP 500), so
// the fake serves it with decisions each test scripts per role; every
// other IAM call is forwarded to moto, which holds the roles and policies.

// Decisions maps "action resource" or "action" to allowed, explicitDeny or
// implicitDeny; an action not listed is implicitDeny, as in IAM.
type Decisions map[string]string

// Simulate scripts SimulatePrincipalPolicy for a role ARN. A role without a
// script answers AccessDenied, as for an identity that may not simulate,
// so esmdoctor falls back to reading the role's policies from moto.
func (f *Fake) Simulate(roleARN string, d Decisions) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.simulations == nil {
		f.simulations = map[string]Decisions{}
	}
	f.simulations[roleARN] = d
}

// maxForm bounds a query-protocol request body.
const maxForm = 1 << 20

// queryAction parses a query-protocol request's Action from its body
// (the body serve already read; r.Body is left as serve set it).
func queryAction(r *http.Request, body []byte) (string, url.Values) {
	// body is the request's whole body, read once by serve: reading it
	// again here under a smaller limit would truncate a large request
	// (CreateFunction carries a deployment package).
	if r.Method != http.MethodPost || len(body) > maxForm {
		return "", nil
	}
	q, err := url.ParseQuery(string(body))
	if err != nil {
		return "", nil
	}
	return q.Get("Action"), q
}

type evalResult struct {
	Action   string `xml:"EvalActionName"`
	Resource string `xml:"EvalResourceName"`
	Decision string `xml:"EvalDecision"`
}

func (f *Fake) simulate(w http.ResponseWriter, q url.Values) {
	role := q.Get("PolicySourceArn")
	f.mu.Lock()
	d, ok := f.simulations[role]
	f.mu.Unlock()
	if !ok {
		writeQueryError(w, http.StatusForbidden, "AccessDenied", "User is not authorized to perform: iam:SimulatePrincipalPolicy on resource: "+role)
		return
	}
	var out []evalResult
	for _, a := range members(q, "ActionNames") {
		for _, res := range members(q, "ResourceArns") {
			dec := d[a+" "+res]
			if dec == "" {
				dec = d[a]
			}
			if dec == "" {
				dec = "implicitDeny"
			}
			out = append(out, evalResult{a, res, dec})
		}
	}
	type result struct {
		XMLName xml.Name     `xml:"SimulatePrincipalPolicyResponse"`
		NS      string       `xml:"xmlns,attr"`
		Results []evalResult `xml:"SimulatePrincipalPolicyResult>EvaluationResults>member"`
		Trunc   bool         `xml:"SimulatePrincipalPolicyResult>IsTruncated"`
		ID      string       `xml:"ResponseMetadata>RequestId"`
	}
	w.Header().Set("Content-Type", "text/xml")
	_ = xml.NewEncoder(w).Encode(result{NS: "https://iam.amazonaws.com/doc/2010-05-08/", Results: out, ID: "awsfake"})
}

// members reads a query list (Name.member.1, Name.member.2, ...).
func members(q url.Values, name string) []string {
	var out []string
	for i := 1; ; i++ {
		v, ok := q[name+".member."+strconv.Itoa(i)]
		if !ok {
			return out
		}
		out = append(out, v...)
	}
}

// writeQueryError answers as query-protocol services (IAM) do.
func writeQueryError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(msg))
	fmt.Fprintf(w, `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>awsfake</RequestId></ErrorResponse>`, code, b.String())
}
