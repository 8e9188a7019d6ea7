package checks

import (
	"context"
	"fmt"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/netaudit"
	"github.com/esmdoctor/esmdoctor/registry"
)

var permissionsCheck = Check{
	ID:    "permissions",
	Title: "the execution role trusts Lambda and allows every action the mapping needs",
	Needs: []string{"sts", "cluster"},
	Run:   runPermissions,
}

// runPermissions reads the execution role through IAM and applies
// netaudit's trust and permission rules: collect -> analyze -> result.
func runPermissions(ctx context.Context, s *State) Outcome {
	a := s.Cfg.AWS
	if a == nil {
		return notApplicable("no AWS input")
	}
	role := auditRole(s)
	if role == "" {
		return notApplicable("the execution role is not known: give --role-arn, or --esm / --function to read it from the function")
	}
	sess, err := s.session(ctx)
	if err != nil {
		return notAudited(s, "permissions", Args{"operation": "GetRole", "role": role, "caller": s.caller(), "api_code": "no AWS configuration", "detail": shortErr(err, "")})
	}
	reqs := netaudit.Required(needs(s))
	rd := sess.Role(ctx, role, reqs, s.Step)
	if rd.Err != nil {
		args := awsFailureArgs(s, rd.Operation, rd.Err)
		args["role"] = role
		if !rd.Found && args["api_code"] == "NoSuchEntity" {
			return fail(catalog.PERM008, args)
		}
		return notAudited(s, "permissions", args)
	}
	detail := []string{fmt.Sprintf("execution role %s: %d required actions, %d IAM calls in %s", role, len(reqs), rd.Calls, rd.Elapsed)}
	return findingsOutcome(netaudit.AnalyzeRole(netaudit.Permissions{Role: rd.Role, Required: reqs, Simulated: rd.Simulated, SimulateErr: rd.SimulateErr}), detail)
}

// needs describes the mapping for netaudit.Required.
func needs(s *State) netaudit.Needs {
	n := netaudit.Needs{ClusterARN: s.eventSourceARN(), Topic: s.topic(), Group: s.group(), IAM: s.auth() == AuthIAM,
		Destination: destinationOf(s), LogGroup: logGroup(s), WebIdentity: s.auth() == AuthIAMOAuth}
	if awsprobe.IsVpcConnectionARN(n.ClusterARN) {
		n.VpcConnectionARN, n.ClusterARN = n.ClusterARN, ""
		if c := s.AWS.cluster; c != nil {
			n.ClusterARN = c.String()
		}
	}
	if r := s.registryConfig(); r != nil && r.Kind() == registry.KindGlue {
		n.SchemaRegistry = r.SchemaRegistryURI
	}
	for _, ac := range s.accessConfigs() {
		if ac.Type == typeSubnet {
			n.VPC = true
		}
	}
	for _, d := range []*SecretDoc{s.target().Secret, s.target().CA} {
		if d == nil || d.ARN == "" {
			continue
		}
		key := s.AWS.secretKeys[d.ARN]
		if defaultKMSKey(key) {
			key = ""
		}
		n.Secrets = append(n.Secrets, netaudit.SecretRef{ARN: d.ARN, KMSKey: netaudit.KMSKeyARN(d.ARN, key)})
	}
	return n
}

// logGroup is the function's log group ARN when the mapping's
// LoggingConfig sends its system logs there, "" otherwise.
func logGroup(s *State) string {
	if s.mappingSettings().SystemLogLevel == "" && s.Cfg.AWS.SystemLogLevel == "" {
		return ""
	}
	group := ""
	if f := s.function(); f != nil {
		group = f.LogGroup
	}
	return netaudit.LogGroupARN(functionARN(s), group)
}
