package report

import (
	"fmt"
	"github.com/esmdoctor/esmdoctor/model"
	"strings"
)

// annotate emits a GitHub Actions workflow command for a failure or warning.
func (t *Text) annotate(c model.Result) {
	if !t.opt.GitHubActions {
		return
	}
	level := "error"
	if c.Status == model.Warn {
		level = "warning"
	}
	msg := c.Cause()
	if p, ok := c.Problem(); ok {
		msg = p.Text + "\n" + msg
	}
	msg += "\nfix: " + c.Remediation()
	title := fmt.Sprintf("esmdoctor %s: %s", c.ID, c.Code)
	t.line("::%s title=%s::%s", level, ghProperty(title), ghData(msg))
}

// annotateInterrupted emits the error annotation of an interrupted run, on
// the check that was running.
func (t *Text) annotateInterrupted(id string) {
	if !t.opt.GitHubActions {
		return
	}
	t.line("::error title=%s::%s", ghProperty("esmdoctor "+id+": interrupted"),
		ghData("the run was interrupted while "+id+" was running: the checks after it did not run, so this is no verdict on the cluster"))
}

// ghData and ghProperty escape workflow command values as the GitHub
// Actions toolkit does.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
