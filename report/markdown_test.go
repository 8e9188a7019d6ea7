package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/model"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// mdSample is the sample with a group failure whose fix holds commands,
// and hostile text in a note and an observation.
func mdSample() *model.Report {
	r := sample()
	r.Notes = append(r.Notes, "a note with *stars*, _underscores_, <b>html</b>, [a](link) and a | pipe")
	r.Results = append(r.Results, model.Result{ID: "group", Title: "the principal may use the mapping's consumer group", Status: model.Fail,
		Code: "ESM-GROUP-001", Args: map[string]string{"principal": "User:x", "missing": `Read on Group "g"`,
			"acl_fix": "grant the missing ACLs: kafka-acls --bootstrap-server b:9096 --command-config admin.properties --add --allow-principal User:x --operation Read --group g_1"},
		Detail: []string{"```not a fence", "<script>alert(1)</script>"}})
	return r
}

func toHTML(t *testing.T, md []byte) string {
	t.Helper()
	var html bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert(md, &html); err != nil {
		t.Fatal(err)
	}
	return html.String()
}

// TestMarkdownRendersOnGitHub renders the report with a GitHub-flavoured
// Markdown library: the summary table comes first with one row per check
// and its skip reasons, commands and the PEM hint are code, and nothing
// from the run becomes HTML, emphasis or a link.
func TestMarkdownRendersOnGitHub(t *testing.T) {
	var md bytes.Buffer
	if err := renderMarkdown(&md, clean(mdSample())); err != nil {
		t.Fatal(err)
	}
	html := toHTML(t, md.Bytes())
	if i, j := strings.Index(html, "<table>"), strings.Index(html, "<h3>"); i < 0 || j < i {
		t.Fatalf("the summary table does not come first:\n%s", html)
	}
	firstTable := html[:strings.Index(html, "</table>")]
	if got := strings.Count(firstTable, "<tr>"); got != len(mdSample().Results)+1 {
		t.Errorf("summary table has %d rows, want %d", got, len(mdSample().Results)+1)
	}
	for _, want := range []string{
		"<td>requires tls (failed: ESM-TLS-001)</td>",
		"<td>not applicable: no AWS target given</td>",
		`<code>{&quot;certificate&quot;: &quot;&lt;root CA PEM&gt;&quot;}</code>`,
		"<code>kafka-acls --bootstrap-server b:9096 --command-config admin.properties --add --allow-principal User:x --operation Read --group g_1</code>",
		"<code>&lt;b&gt;html&lt;/b&gt;</code>",
		"<code>*stars*</code>,",
		"<code>|</code>",
		"&lt;script&gt;alert(1)&lt;/script&gt;",
		"```not a fence",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %s:\n%s", want, html)
		}
	}
	for _, bad := range []string{"<b>", "<script", "<em>", "<strong>stars", `<a href`, "<root"} {
		if strings.Contains(html, bad) {
			t.Errorf("HTML has %s:\n%s", bad, html)
		}
	}
}

// strayEscape is Markdown escaping that would show literally in a plain
// text support case: a backslash before punctuation (outside code spans,
// where a backslash is the text itself), or an HTML entity anywhere.
var (
	strayEscape = regexp.MustCompile(`\\[!-/:-@\[-` + "`" + `{-~]|&(lt|gt|amp|quot|#[0-9]+);`)
	codeSpan    = regexp.MustCompile("`[^`]*`")
)

// TestMarkdownReadsAsPlainText: pasted into a plain-text field, the raw
// Markdown reads without escapes (a "|" in a table cell is the one
// exception GitHub forces, and the sample's note has one).
func TestMarkdownReadsAsPlainText(t *testing.T) {
	var md bytes.Buffer
	if err := renderMarkdown(&md, clean(mdSample())); err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(md.String(), "\n") {
		for _, m := range strayEscape.FindAllString(codeSpan.ReplaceAllString(l, "CODE"), -1) {
			if m != `\|` {
				t.Errorf("stray escape %q in %q", m, l)
			}
		}
		if strings.Contains(l, "&lt;") || strings.Contains(l, "&gt;") || strings.Contains(l, "&amp;") {
			t.Errorf("HTML entity in %q", l)
		}
	}
	for _, want := range []string{
		"add a SERVER_ROOT_CA_CERTIFICATE secret (`{\"certificate\": \"<root CA PEM>\"}`) holding",
		"- **Fix:** grant the missing ACLs: `kafka-acls --bootstrap-server b:9096",
	} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
}
