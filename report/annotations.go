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

// ghData and ghProperty escape workflow command values as the GitHub
// Actions toolkit does.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
