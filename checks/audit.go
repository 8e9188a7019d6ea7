package checks

import (
	"fmt"

	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/netaudit"
)

// findingsOutcome turns netaudit's findings into one result: the worst
// finding gives the status, code and arguments; every other finding is a
// detail line with its code, cause, predicted PROBLEM and fix.
func findingsOutcome(fs []netaudit.Finding, detail []string) Outcome {
	fs = netaudit.Worst(fs)
	if len(fs) == 0 {
		return pass(detail...)
	}
	for i, f := range fs {
		if i == 0 && f.Status != netaudit.Pass {
			continue
		}
		detail = append(detail, findingLine(f))
	}
	top := fs[0]
	switch top.Status {
	case netaudit.Fail:
		return fail(top.Code, top.Args, detail...)
	case netaudit.Warn:
		return warn(top.Code, top.Args, detail...)
	}
	return pass(detail...)
}

// findingLine renders a finding for the detail list.
func findingLine(f netaudit.Finding) string {
	if f.Status == netaudit.Pass {
		return "ok: " + f.Note
	}
	e, _ := catalog.Lookup(f.Code)
	line := fmt.Sprintf("also %s %s: %s", f.Status, f.Code, catalog.Format(e.Cause, f.Args))
	if p, ok := catalog.ProblemByID(e.Problem); ok {
		line += "; predicts " + p.Text
	}
	return line + "; fix: " + catalog.Format(e.Remediation, f.Args)
}

// notAudited is the outcome when the AWS reads failed: in esmdoctor audit
// a failure (nothing else verifies the network or the role), in check a
// warning (the live checks that follow probe the real paths).
func notAudited(s *State, check string, args Args) Outcome {
	codes := map[string][2]string{"network": {catalog.NET016, catalog.NET105}, "permissions": {catalog.PERM009, catalog.PERM103}}
	if s.Cfg.Audit {
		return fail(codes[check][0], args)
	}
	return warn(codes[check][1], args)
}

// awsFailureArgs describes a failed AWS read.
func awsFailureArgs(s *State, op string, err error) Args {
	args := Args{"operation": op, "caller": s.caller(), "api_code": "no answer", "detail": shortErr(err, "")}
	if f, ok := apiError(err); ok {
		args["api_code"], args["detail"] = f.Code, f.Message
	} else if d, ok := networkDetail(err, s.Step); ok {
		args["detail"] = d
	}
	return args
}

// auditRole is the function's execution role: --role-arn, or the role of
// the function the mapping check (or the caller) knows.
func auditRole(s *State) string {
	if r := s.Cfg.AWS.Options.RoleARN; r != "" {
		return r
	}
	if f := s.function(); f != nil {
		return f.Role
	}
	return ""
}

func functionARN(s *State) string {
	if f := s.function(); f != nil && f.ARN != "" {
		return f.ARN
	}
	if m := s.Facts.Mapping; m != nil {
		return m.Mapping.FunctionARN
	}
	return ""
}

// AuditIDs are the checks esmdoctor audit runs: those that need no
// connection to the brokers.
var AuditIDs = []string{"mapping", "api", "sts", "secret", "cluster", "network", "permissions", "health"}

// AuditPipeline returns the audit's checks in pipeline order.
func AuditPipeline() []Check {
	var out []Check
	for _, c := range Pipeline() {
		for _, id := range AuditIDs {
			if c.ID == id {
				out = append(out, c)
			}
		}
	}
	return out
}

// destinationOf is the mapping's on-failure destination: given, or read
// from the mapping.
func destinationOf(s *State) string {
	if d := s.Cfg.AWS.OnFailureDestination; d != "" {
		return d
	}
	if s.Cfg.OnFailure != "" {
		return s.Cfg.OnFailure
	}
	if m := s.Facts.Mapping; m != nil {
		return m.Mapping.Settings.OnFailure
	}
	return ""
}
