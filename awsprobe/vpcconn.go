package awsprobe

import (
	"context"
	"strings"
	"time"
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
	var out mskVpcConnection
	if err := kafkaGet(ctx, s.regional(a.Region), "DescribeVpcConnection", "/v1/vpc-connection/"+label(arn), nil, &out, budget); err != nil {
		return VpcConnection{}, err
	}
	return VpcConnection{ARN: out.VpcConnectionArn, TargetClusterARN: out.TargetClusterArn, State: out.State,
		Authentication: out.Authentication, VPC: out.VpcID, Subnets: out.Subnets, SecurityGroups: out.SecurityGroups}, nil
}
