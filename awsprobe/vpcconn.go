package awsprobe

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kafka"
)

// VpcConnection is an MSK multi-VPC private connection, the EventSourceArn
// of a cross-account MSK mapping (kafka:DescribeVpcConnection).
type VpcConnection struct {
	ARN              string
	TargetClusterARN string
	State            string // AVAILABLE, CREATING, INACTIVE, FAILED, REJECTED, ...
	Authentication   string // SASL_IAM, SASL_SCRAM or TLS
	VPC              string
	Subnets          []string
	SecurityGroups   []string
}

// IsVpcConnectionARN says whether arn names an MSK VPC connection
// (arn:aws:kafka:REGION:ACCOUNT:vpc-connection/...).
func IsVpcConnectionARN(arn string) bool {
	p := strings.SplitN(arn, ":", 6)
	return len(p) == 6 && p[2] == "kafka" && strings.HasPrefix(p[5], "vpc-connection/")
}

// VpcConnection reads a VPC connection as the mapping does (with
// --role-arn, as the execution role), in the ARN's Region.
func (s *Session) VpcConnection(ctx context.Context, arn string, budget time.Duration) (VpcConnection, error) {
	a, _ := ParseARN(arn)
	ctx, cfg, done, cancel := call(ctx, s.regional(a.Region), budget)
	defer cancel()
	out, err := kafka.NewFromConfig(cfg).DescribeVpcConnection(ctx, &kafka.DescribeVpcConnectionInput{Arn: aws.String(arn)})
	if err != nil {
		return VpcConnection{}, done(err)
	}
	return VpcConnection{ARN: aws.ToString(out.VpcConnectionArn), TargetClusterARN: aws.ToString(out.TargetClusterArn),
		State: string(out.State), Authentication: aws.ToString(out.Authentication), VPC: aws.ToString(out.VpcId),
		Subnets: out.Subnets, SecurityGroups: out.SecurityGroups}, nil
}
