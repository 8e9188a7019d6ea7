package awsprobe

import (
	"context"
	"net/url"
	"strconv"
	"time"
)

// SubnetZones returns the Availability Zone of each subnet
// (ec2:DescribeSubnets, as esmdoctor's own identity), for the report of
// check --in-vpc: Lambda places an invocation in one of the function's
// subnets without saying which, so the zones are what can be told. It uses
// the query-protocol client of the network audit: linking the SDK's EC2
// package for this one call made the binary several MiB larger, and every
// run's start-up slower.
func (s *Session) SubnetZones(ctx context.Context, ids []string, budget time.Duration) (map[string]string, error) {
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	p := url.Values{}
	for i, id := range ids {
		p.Set("SubnetId."+strconv.Itoa(i+1), id)
	}
	var out subnetsAnswer
	if err := newEC2Client(s.base).call(ctx, "DescribeSubnets", p, &out); err != nil {
		return nil, err
	}
	zones := map[string]string{}
	for _, sn := range out.Items {
		zones[sn.ID] = sn.AZ
	}
	return zones, nil
}
