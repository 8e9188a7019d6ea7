package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/model"
)

// overWide returns the lines wider than width that are more than one
// unbreakable token after their indentation and label.
func overWide(out string, width int) []string {
	var bad []string
	for _, l := range strings.Split(out, "\n") {
		if cols(l) > width && len(tokens(strings.TrimSpace(l))) > 2 {
			bad = append(bad, l)
		}
	}
	return bad
}

func TestTextFitsTheWidth(t *testing.T) {
	r := sample()
	r.Notes = append(r.Notes, strings.Repeat("a long note that goes on ", 8))
	r.Results = append(r.Results, model.Result{ID: "group", Title: "the principal may use the mapping's consumer group", Status: model.Fail,
		Code: "ESM-GROUP-001", Args: map[string]string{"principal": "User:x", "missing": "Read on Group \"g\", Describe on Topic \"orders\"",
			"acl_fix": "grant the missing ACLs: kafka-acls --bootstrap-server b-1.example.com:9096 --command-config admin.properties --add --allow-principal User:x --operation Read --group g ; kafka-acls --bootstrap-server b-1.example.com:9096 --command-config admin.properties --add --allow-principal User:x --operation Describe --topic orders"},
		Detail: []string{"https://docs.aws.amazon.com/lambda/latest/dg/with-msk-permissions.html#msk-permissions-add-policy-and-a-very-long-anchor-name"}})
	for _, width := range []int{80, 100} {
		var buf bytes.Buffer
		if err := RenderText(&buf, clean(r), Options{Verbose: true, Width: width}); err != nil {
			t.Fatal(err)
		}
		if bad := overWide(buf.String(), width); len(bad) > 0 {
			t.Errorf("width %d: lines too wide:\n%s", width, strings.Join(bad, "\n"))
		}
		out := buf.String()
		for _, want := range []string{
			"               kafka-acls --bootstrap-server b-1.example.com:9096 --command-config admin.properties --add --allow-principal User:x --operation Read --group g ;\n",
			"      seen     https://docs.aws.amazon.com/lambda/latest/dg/with-msk-permissions.html#msk-permissions-add-policy-and-a-very-long-anchor-name\n",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("width %d: a command or URL is broken, want %q in:\n%s", width, want, out)
			}
		}
	}
}

func TestNotApplicableCollapses(t *testing.T) {
	r := sample()
	r.Results = append(r.Results,
		model.Result{ID: "cluster", Status: model.Skip, Reason: "not applicable: self-managed Kafka: no MSK cluster ARN given"},
		model.Result{ID: "lambda-endpoint", Status: model.Skip, Reason: "not applicable: no AWS target given"})
	var plain, verbose bytes.Buffer
	_ = RenderText(&plain, clean(r), Options{})
	_ = RenderText(&verbose, clean(r), Options{Verbose: true})
	// Different reasons: no check is shown beside another's reason.
	if !strings.Contains(plain.String(), "\n- sts, cluster, lambda-endpoint  not applicable: nothing in this run's input\n  calls for them (--verbose says why for each)\n\n") {
		t.Fatalf("not one line:\n%s", plain.String())
	}
	if strings.Contains(plain.String(), "no MSK cluster ARN") {
		t.Fatalf("one check's reason shown for all:\n%s", plain.String())
	}
	if !strings.Contains(verbose.String(), "      cluster: self-managed Kafka: no MSK cluster ARN given\n      lambda-endpoint: no AWS target given\n") {
		t.Fatalf("--verbose lacks each reason:\n%s", verbose.String())
	}
	// One shared reason is shown as it is.
	same := sample()
	same.Results = append(same.Results[:0:0], model.Result{ID: "sts", Status: model.Skip, Reason: "not applicable: no AWS input given"},
		model.Result{ID: "cluster", Status: model.Skip, Reason: "not applicable: no AWS input given"})
	var one bytes.Buffer
	_ = RenderText(&one, clean(same), Options{})
	if !strings.Contains(one.String(), "\n- sts, cluster  not applicable: no AWS input given\n") {
		t.Fatalf("a shared reason is not shown:\n%s", one.String())
	}
	var js bytes.Buffer
	_ = renderJSON(&js, clean(r))
	for _, id := range []string{`"id": "sts"`, `"id": "cluster"`, `"id": "lambda-endpoint"`} {
		if !strings.Contains(js.String(), id) {
			t.Errorf("JSON lacks %s", id)
		}
	}
}

func TestNoLineStartsAWorkflowCommand(t *testing.T) {
	r := sample()
	r.Results[3].Detail = append(r.Results[3].Detail, strings.Repeat("x", 70)+" ::error title=forged::pwned", "::warning::forged")
	var buf bytes.Buffer
	_ = RenderText(&buf, clean(r), Options{})
	for _, l := range strings.Split(buf.String(), "\n") {
		if strings.HasPrefix(strings.TrimLeft(l, " "), "::") {
			t.Errorf("line read as a workflow command: %q", l)
		}
	}
	if !strings.Contains(buf.String(), `\x3a:error title=forged::pwned`) {
		t.Errorf("the forged command is not shown escaped:\n%s", buf.String())
	}
}
