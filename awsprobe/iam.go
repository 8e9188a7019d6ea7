package awsprobe

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/esmdoctor/esmdoctor/netaudit"
)

// IAM is the service name of AWS_ENDPOINT_URL_IAM.
const IAM Service = "iam"

// maxPolicies bounds the policies read from one role (IAM allows 20
// attached managed policies; inline ones are bounded by size).
const maxPolicies = 25

// RoleRead is what IAM said about the execution role.
type RoleRead struct {
	Role  netaudit.Role
	Found bool
	// Simulated holds SimulatePrincipalPolicy's decisions; nil when the
	// simulation failed (SimulateErr says why) and the policies were read.
	Simulated   map[string]netaudit.Decision
	SimulateErr string
	Calls       int
	Operation   string // the call that failed
	Err         error
	Elapsed     time.Duration
}

// Role reads the execution role: its trust policy, then the decisions of
// iam:SimulatePrincipalPolicy on the required actions, one call per
// resource; when the simulation is not available, the role's attached and
// inline policies instead. The calls use esmdoctor's own identity.
func (s *Session) readRole(ctx context.Context, roleARN string, reqs []netaudit.Requirement, budget time.Duration) RoleRead {
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	start := time.Now()
	out := RoleRead{Role: netaudit.Role{ARN: roleARN, Name: RoleName(roleARN)}}
	defer func() { out.Elapsed = since(start) }()
	c := iam.NewFromConfig(s.auditConfig(""))
	out.Calls++
	g, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(out.Role.Name)})
	if err != nil {
		out.Operation, out.Err = "GetRole", err
		return out
	}
	out.Found = true
	out.Role.Trust = decodeDoc(aws.ToString(g.Role.AssumeRolePolicyDocument))
	if err := simulate(ctx, c, &out, reqs); err != nil {
		out.Simulated = nil
		out.SimulateErr = errName(err)
		readPolicies(ctx, c, &out)
	}
	return out
}

// contextFor supplies the request context a policy may test: Lambda
// decrypts a secret's key through Secrets Manager, so kms:ViaService is
// secretsmanager.<region>.amazonaws.com (without it, the usual condition
// on kms:Decrypt would fail the simulation).
func contextFor(resource string) []iamtypes.ContextEntry {
	a, ok := ParseARN(resource)
	if !ok || a.Service != "kms" || a.Region == "" {
		return nil
	}
	return []iamtypes.ContextEntry{{ContextKeyName: aws.String("kms:ViaService"), ContextKeyType: iamtypes.ContextKeyTypeEnumString,
		ContextKeyValues: []string{"secretsmanager." + a.Region + ".amazonaws.com"}}}
}

// RoleName is the last part of a role ARN (roles may have a path).
func RoleName(arn string) string {
	return arn[strings.LastIndex(arn, "/")+1:]
}

// decodeDoc undoes IAM's URL encoding of policy documents.
func decodeDoc(doc string) string {
	if d, err := url.QueryUnescape(doc); err == nil {
		return d
	}
	return doc
}

// simulate asks for every requirement's decision, grouping actions by
// resource so each call evaluates only the pairs the mapping needs.
func simulate(ctx context.Context, c *iam.Client, out *RoleRead, reqs []netaudit.Requirement) error {
	out.Simulated = map[string]netaudit.Decision{}
	var order []string
	byRes := map[string][]string{}
	for _, q := range reqs {
		if _, ok := byRes[q.Resource]; !ok {
			order = append(order, q.Resource)
		}
		byRes[q.Resource] = append(byRes[q.Resource], q.Action)
	}
	for _, res := range order {
		p := iam.NewSimulatePrincipalPolicyPaginator(c, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(out.Role.ARN),
			ActionNames: byRes[res], ResourceArns: []string{res}, ContextEntries: contextFor(res)})
		for n := 1; p.HasMorePages() && n <= maxPages; n++ {
			out.Calls++
			page, err := p.NextPage(ctx)
			if err != nil {
				return err
			}
			for _, e := range page.EvaluationResults {
				out.Simulated[netaudit.Key(aws.ToString(e.EvalActionName), res)] = netaudit.Decision(e.EvalDecision)
			}
		}
	}
	return nil
}
