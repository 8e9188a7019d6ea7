package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/esmdoctor/esmdoctor/model"
)

// Annotations writes a GitHub Actions workflow command (::error or
// ::warning) for every failure and warning of a scrubbed report, whatever
// the report's format. The caller sends them to stderr: the runner reads
// workflow commands from both output streams of a step, and stderr keeps a
// JSON or XML document on stdout intact.
func Annotations(w io.Writer, r *model.Report) error {
	for _, c := range r.Results {
		if c.Interrupted {
			if _, err := fmt.Fprintln(w, interruptedAnnotation(c.ID)); err != nil {
				return err
			}
			continue
		}
		if c.Status != model.Fail && c.Status != model.Warn {
			continue
		}
		if _, err := fmt.Fprintln(w, annotation(c)); err != nil {
			return err
		}
	}
	return nil
}

func annotation(c model.Result) string {
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
	return fmt.Sprintf("::%s title=%s::%s", level, ghProperty(title), ghData(msg))
}

// interruptedAnnotation is the error annotation of an interrupted run, on
// the check that was running: an interrupted run is no verdict, and CI must
// show it red.
func interruptedAnnotation(id string) string {
	return fmt.Sprintf("::error title=%s::%s", ghProperty("esmdoctor "+id+": interrupted"),
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
