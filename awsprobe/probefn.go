package awsprobe

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// The probe function of check --in-vpc: esmdoctor creates, invokes and
// deletes it as its own identity (the base credential chain, never the
// --role-arn role, which is what the function runs as).

// ProbeSpec is the temporary function to create.
type ProbeSpec struct {
	Name           string
	Role           string // the execution role the function runs as
	Zip            []byte // a zip holding the executable "bootstrap"
	Arch           string // x86_64 or arm64
	Subnets        []string
	SecurityGroups []string
	Tags           map[string]string
	Timeout        time.Duration // whole seconds, at most 900
	MemoryMB       int32
}

// ProbeState is what GetFunctionConfiguration says about a function.
type ProbeState struct {
	State, StateReason, StateReasonCode, LastUpdateStatus string
	VPC                                                   string
	Subnets, SecurityGroups                               []string
}

// lambdaClient is Lambda as the caller, with retries as configured.
func (s *Session) lambdaClient(attempts int) *lambda.Client {
	return lambda.NewFromConfig(s.base, func(o *lambda.Options) { o.RetryMaxAttempts = attempts })
}

// CreateProbe creates the function (lambda:CreateFunction, which also
// needs iam:PassRole on the role) and returns its ARN. It is not retried:
// a retried create could make a second function after a first one whose
// answer was lost.
func (s *Session) CreateProbe(ctx context.Context, p ProbeSpec) (string, error) {
	out, err := s.lambdaClient(1).CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String(p.Name), Runtime: types.RuntimeProvidedal2023, Handler: aws.String("bootstrap"),
		Role: aws.String(p.Role), Code: &types.FunctionCode{ZipFile: p.Zip},
		Architectures: []types.Architecture{types.Architecture(p.Arch)},
		VpcConfig:     &types.VpcConfig{SubnetIds: p.Subnets, SecurityGroupIds: p.SecurityGroups},
		Tags:          p.Tags, Timeout: aws.Int32(int32(p.Timeout / time.Second)), MemorySize: aws.Int32(p.MemoryMB),
		Description: aws.String("temporary esmdoctor probe (check --in-vpc); safe to delete"),
	})
	if err != nil {
		return "", err
	}
	return aws.ToString(out.FunctionArn), nil
}

// ProbeState reads the function's state (lambda:GetFunctionConfiguration).
func (s *Session) ProbeState(ctx context.Context, name string) (ProbeState, error) {
	out, err := s.lambdaClient(maxAttempts).GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(name)})
	if err != nil {
		return ProbeState{}, err
	}
	st := ProbeState{State: string(out.State), StateReason: aws.ToString(out.StateReason), StateReasonCode: string(out.StateReasonCode),
		LastUpdateStatus: string(out.LastUpdateStatus)}
	if v := out.VpcConfig; v != nil {
		st.VPC, st.Subnets, st.SecurityGroups = aws.ToString(v.VpcId), v.SubnetIds, v.SecurityGroupIds
	}
	return st, nil
}

// InvokeProbe invokes the function synchronously (RequestResponse) once,
// never retried; functionError is Lambda's X-Amz-Function-Error ("" on
// success), in which case payload is the error document.
func (s *Session) InvokeProbe(ctx context.Context, name string, payload []byte) (out []byte, functionError string, err error) {
	res, err := s.lambdaClient(1).Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(name), Payload: payload,
		InvocationType: types.InvocationTypeRequestResponse})
	if err != nil {
		return nil, "", err
	}
	return res.Payload, aws.ToString(res.FunctionError), nil
}

// DeleteProbe deletes the function (lambda:DeleteFunction).
func (s *Session) DeleteProbe(ctx context.Context, name string) error {
	_, err := s.lambdaClient(maxAttempts).DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String(name)})
	return err
}

// ProbeFunction is a function found by ListProbes.
type ProbeFunction struct {
	Name, ARN, LastModified string
	Tags                    map[string]string
}

// ListProbes lists the functions whose name starts with prefix
// (lambda:ListFunctions, every page) with their tags (lambda:ListTags).
func (s *Session) ListProbes(ctx context.Context, prefix string) ([]ProbeFunction, error) {
	c := s.lambdaClient(maxAttempts)
	var out []ProbeFunction
	p := lambda.NewListFunctionsPaginator(c, &lambda.ListFunctionsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return out, err
		}
		for _, f := range page.Functions {
			name := aws.ToString(f.FunctionName)
			if len(name) < len(prefix) || name[:len(prefix)] != prefix {
				continue
			}
			pf := ProbeFunction{Name: name, ARN: aws.ToString(f.FunctionArn), LastModified: aws.ToString(f.LastModified)}
			tags, err := c.ListTags(ctx, &lambda.ListTagsInput{Resource: f.FunctionArn})
			if err != nil {
				return out, err
			}
			pf.Tags = tags.Tags
			out = append(out, pf)
		}
	}
	return out, nil
}

// CallerARN is the caller's identity (sts:GetCallerIdentity on the base
// credentials), for the probe's created-by tag.
func (s *Session) CallerARN(ctx context.Context) (string, error) {
	out, err := sts.NewFromConfig(s.base).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", err
	}
	return aws.ToString(out.Arn), nil
}
