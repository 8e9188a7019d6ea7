package integration

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/esmhealth"
	"github.com/esmdoctor/esmdoctor/testbed/awsfake"
)

// TestVpcConnectionReader: a cross-account MSK mapping's EventSourceArn is
// a vpc-connection ARN; the reader gets it from awsfake's
// DescribeVpcConnection (moto has none), and the analyzer passes an
// AVAILABLE IAM connection and names a REJECTED unauthenticated one. Not
// yet part of a run.
func TestVpcConnectionReader(t *testing.T) {
	a := requireAWS(t)
	ok := "arn:aws:kafka:us-east-1:111122223333:vpc-connection/123456789012/orders-" + a.tag + "/a1b2c3d4"
	bad := "arn:aws:kafka:us-east-1:111122223333:vpc-connection/123456789012/orders-" + a.tag + "/e5f6a7b8"
	target := a.clusterARN("orders-" + a.tag)
	a.fake.AddVpcConnection(awsfake.VpcConnection{ARN: ok, TargetClusterARN: target, Authentication: "IAM", VpcID: "vpc-1", Subnets: []string{"subnet-1"}, SecurityGroups: []string{"sg-1"}})
	a.fake.AddVpcConnection(awsfake.VpcConnection{ARN: bad, TargetClusterARN: target, State: "REJECTED", Authentication: "UNAUTHENTICATED"})
	s, err := awsprobe.Load(a.ctx, awsprobe.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !awsprobe.IsVpcConnectionARN(ok) || awsprobe.IsVpcConnectionARN(target) {
		t.Fatal("IsVpcConnectionARN")
	}
	v, err := s.VpcConnection(a.ctx, ok, awsTimeout)
	if err != nil || v.TargetClusterARN != target || v.State != "AVAILABLE" || v.Authentication != "IAM" || v.Subnets[0] != "subnet-1" {
		t.Fatalf("%+v %v", v, err)
	}
	if p, c := esmhealth.VpcConnectionFindings(v.State, v.Authentication); len(p) != 0 || len(c) != 2 {
		t.Fatalf("problems %v constraints %v", p, c)
	}
	v, err = s.VpcConnection(a.ctx, bad, awsTimeout)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := esmhealth.VpcConnectionFindings(v.State, v.Authentication)
	if len(p) != 2 || !strings.Contains(p[0], "is REJECTED, not AVAILABLE") || !strings.Contains(p[1], "UNAUTHENTICATED: multi-VPC private connectivity supports IAM, TLS or SASL/SCRAM only") {
		t.Fatalf("problems %v", p)
	}
	_, err = s.VpcConnection(a.ctx, ok+"x", awsTimeout)
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "NotFoundException" {
		t.Fatalf("missing connection: %v", err)
	}
}
