package awsprobe

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/esmdoctor/esmdoctor/netaudit"
)

// readPolicies reads the role's attached managed policies (their default
// versions) and its inline policies, at most maxPolicies in all. A policy
// that cannot be read is named in Role.Unread; a failed listing is the
// read's error.
func readPolicies(ctx context.Context, c *iam.Client, out *RoleRead) {
	name := aws.String(out.Role.Name)
	var attached []string
	pa := iam.NewListAttachedRolePoliciesPaginator(c, &iam.ListAttachedRolePoliciesInput{RoleName: name})
	for n := 1; pa.HasMorePages() && n <= maxPages; n++ {
		out.Calls++
		page, err := pa.NextPage(ctx)
		if err != nil {
			out.Operation, out.Err = "ListAttachedRolePolicies", err
			return
		}
		for _, p := range page.AttachedPolicies {
			attached = append(attached, aws.ToString(p.PolicyArn))
		}
	}
	for _, arn := range attached {
		if len(out.Role.Policies)+len(out.Role.Unread) >= maxPolicies {
			out.Role.Unread = append(out.Role.Unread, arn+" (over esmdoctor's bound)")
			continue
		}
		managedPolicy(ctx, c, out, arn)
	}
	inlinePolicies(ctx, c, out)
}

// managedPolicy reads a managed policy's default version.
func managedPolicy(ctx context.Context, c *iam.Client, out *RoleRead, arn string) {
	out.Calls++
	p, err := c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})
	if err != nil {
		out.Role.Unread = append(out.Role.Unread, arn+" ("+errName(err)+")")
		return
	}
	out.Calls++
	v, err := c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: p.Policy.DefaultVersionId})
	if err != nil || v.PolicyVersion == nil {
		out.Role.Unread = append(out.Role.Unread, arn+" ("+errName(err)+")")
		return
	}
	out.Role.Policies = append(out.Role.Policies, netaudit.PolicyDoc{Name: arn, Document: decodeDoc(aws.ToString(v.PolicyVersion.Document))})
}

// inlinePolicies reads the role's inline policies.
func inlinePolicies(ctx context.Context, c *iam.Client, out *RoleRead) {
	name := aws.String(out.Role.Name)
	pl := iam.NewListRolePoliciesPaginator(c, &iam.ListRolePoliciesInput{RoleName: name})
	for n := 1; pl.HasMorePages() && n <= maxPages; n++ {
		out.Calls++
		page, err := pl.NextPage(ctx)
		if err != nil {
			out.Operation, out.Err = "ListRolePolicies", err
			return
		}
		for _, pn := range page.PolicyNames {
			if len(out.Role.Policies)+len(out.Role.Unread) >= maxPolicies {
				out.Role.Unread = append(out.Role.Unread, "inline policy "+pn+" (over esmdoctor's bound)")
				continue
			}
			out.Calls++
			g, err := c.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: name, PolicyName: aws.String(pn)})
			if err != nil {
				out.Role.Unread = append(out.Role.Unread, "inline policy "+pn+" ("+errName(err)+")")
				continue
			}
			out.Role.Policies = append(out.Role.Policies, netaudit.PolicyDoc{Name: "inline policy " + pn, Document: decodeDoc(aws.ToString(g.PolicyDocument))})
		}
	}
}

// errName is an error's AWS code, or "no answer".
func errName(err error) string {
	if err == nil {
		return "empty answer"
	}
	if code, _, ok := ErrorCode(err); ok {
		return code
	}
	return "no answer"
}
