package awsprobe

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// SubnetZones returns the Availability Zone of each subnet
// (ec2:DescribeSubnets, as esmdoctor's own identity), for the report of
// check --in-vpc: Lambda places an invocation in one of the function's
// subnets without saying which, so the zones are what can be told.
func (s *Session) SubnetZones(ctx context.Context, ids []string, budget time.Duration) (map[string]string, error) {
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	out, err := ec2.NewFromConfig(s.base).DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: ids})
	if err != nil {
		return nil, err
	}
	zones := map[string]string{}
	for _, sn := range out.Subnets {
		zones[aws.ToString(sn.SubnetId)] = aws.ToString(sn.AvailabilityZone)
	}
	return zones, nil
}
