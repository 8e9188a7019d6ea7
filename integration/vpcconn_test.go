package integration

import (
	"fmt"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/testbed/awsfake"
)

// ownerAccount is the cluster owner's account in the cross-account tests.
const ownerAccount = "444455556666"

// vpcConnCase is one cross-account mapping: its VPC connection (in the
// mapping's account) and the target cluster (in the owner's).
type vpcConnCase struct {
	name    string
	conn    func(c *awsfake.VpcConnection)
	cluster func(c *awsfake.Cluster) // nil: the target is not registered
	fail    *awsfake.Failure         // injected on the connection
	status  model.Status
	code    string
	want    []string // in the cause, remediation or detail
}

// TestCrossAccountMSK: an EventSourceArn that is a vpc-connection ARN. The
// cluster check reads the connection (DescribeVpcConnection, served by
// awsfake as MSK does), then the target cluster in the owner's account,
// and the run reaches the test bed's real IAM listener through the
// cluster's multi-VPC bootstrap string. Each broken variant fails (or
// warns) at cluster with its own code and the facts that name the fix.
func TestCrossAccountMSK(t *testing.T) {
	a := requireAWS(t)
	cases := []vpcConnCase{
		{name: "available SASL_IAM", status: model.Pass,
			want: []string{"listener: iam (BootstrapBrokerStringVpcConnectivitySaslIam), bootstrap " + a.Get("IAM") + ", through the VPC connection",
				"authentication SASL_IAM", "Apache Kafka 2.7.1 or later"}},
		{name: "rejected", conn: func(c *awsfake.VpcConnection) { c.State = "REJECTED" }, status: model.Fail, code: "ESM-CLUSTER-012",
			want: []string{"is REJECTED, not AVAILABLE: the cluster owner rejected it", "allow this account in the cluster policy"}},
		{name: "creating", conn: func(c *awsfake.VpcConnection) { c.State = "CREATING" }, status: model.Fail, code: "ESM-CLUSTER-012",
			want: []string{"is CREATING, not AVAILABLE"}},
		{name: "unsupported authentication", conn: func(c *awsfake.VpcConnection) { c.Authentication = "UNAUTHENTICATED" }, status: model.Fail,
			code: "ESM-CLUSTER-013", want: []string{"uses authentication UNAUTHENTICATED; multi-VPC private connectivity supports SASL_IAM, SASL_SCRAM or TLS only"}},
		{name: "SCRAM connection, IAM mapping", conn: func(c *awsfake.VpcConnection) { c.Authentication = "SASL_SCRAM" }, status: model.Fail,
			code: "ESM-CLUSTER-014", want: []string{"connects with SASL_SCRAM, but the mapping selects IAM (no secret is given, so the mapping uses IAM)", "SASL_SCRAM_512_AUTH secret"}},
		{name: "serverless target", cluster: func(c *awsfake.Cluster) { c.Type = "SERVERLESS" }, status: model.Fail, code: "ESM-CLUSTER-015",
			want: []string{"it is MSK Serverless, and multi-VPC private connectivity serves provisioned clusters only"}},
		{name: "old Kafka", cluster: func(c *awsfake.Cluster) { c.KafkaVersion = "2.6.2" }, status: model.Fail, code: "ESM-CLUSTER-015",
			want: []string{"it runs Apache Kafka 2.6.2, and multi-VPC private connectivity needs 2.7.1 or later"}},
		{name: "multi-VPC off", cluster: func(c *awsfake.Cluster) { c.Bootstrap.VpcSASLIAM = "" }, status: model.Fail, code: "ESM-CLUSTER-016",
			want: []string{"returned no BootstrapBrokerStringVpcConnectivitySaslIam: multi-VPC connectivity is not on for SASL_IAM", `"VpcConnectivity":{"ClientAuthentication":{"Sasl":{"Iam":{"Enabled":true}}}}`}},
		{name: "target unreadable", status: model.Warn, code: "ESM-CLUSTER-103",
			want: []string{"in account " + ownerAccount + "; kafka:DescribeClusterV2 there returned NotFoundException", "kafka:DescribeClusterV2 and kafka:GetBootstrapBrokers"}},
		{name: "role denied", fail: &awsfake.Forbidden, status: model.Fail, code: "ESM-CLUSTER-011",
			want: []string{"may not call kafka:DescribeVpcConnection", "(ForbiddenException: Access denied to the cluster)", "allow kafka:DescribeVpcConnection on"}},
		{name: "not found", conn: func(c *awsfake.VpcConnection) { c.ARN += "-gone" }, status: model.Fail, code: "ESM-CLUSTER-010",
			want: []string{"found no such VPC connection (NotFoundException", "aws kafka list-vpc-connections"}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) { runVpcConnCase(t, a, i, c) })
	}
}

// runVpcConnCase registers the case's connection and cluster and checks
// the cluster result; the passing case must reach the broker too.
func runVpcConnCase(t *testing.T, a awsBed, i int, c vpcConnCase) {
	name := fmt.Sprintf("xacct%d-%s", i, a.tag)
	target := fmt.Sprintf("arn:aws:kafka:%s:%s:cluster/%s/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d-2", awsRegion, ownerAccount, name)
	arn := fmt.Sprintf("arn:aws:kafka:%s:%s:vpc-connection/%s/%s/5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b-3", awsRegion, motoAccount, ownerAccount, name)
	conn := awsfake.VpcConnection{ARN: arn, TargetClusterARN: target, Authentication: "SASL_IAM", VpcID: "vpc-client", Subnets: []string{"subnet-c1", "subnet-c2"}, SecurityGroups: []string{"sg-client"}}
	if c.conn != nil {
		c.conn(&conn)
	}
	a.fake.AddVpcConnection(conn)
	if c.fail != nil {
		a.fake.Fail(arn, *c.fail)
	}
	if c.cluster != nil || c.code == "" {
		cl := awsfake.Cluster{ARN: target, Name: name, IAM: true, Subnets: []string{"subnet-owner"}, SecurityGroups: []string{"sg-owner"},
			Bootstrap: awsfake.Bootstrap{SASLIAM: "b-1.internal:9098", VpcSASLIAM: a.Get("IAM")}}
		if c.cluster != nil {
			c.cluster(&cl)
		}
		a.fake.AddCluster(cl)
	}
	cfg := iamCfg(a, func(ac *checks.AWSConfig) { ac.EventSourceARN = arn })
	cfg.Bootstrap, cfg.Auth = nil, ""
	rs := runAWS(t, cfg)
	r := find(t, rs, "cluster")
	if r.Status != c.status || r.Code != c.code {
		t.Fatalf("cluster %s %s, want %s %s: %s %v", r.Status, r.Code, c.status, c.code, r.Cause(), r.Detail)
	}
	all := r.Cause() + "\n" + r.Remediation() + "\n" + strings.Join(r.Detail, "\n")
	for _, w := range c.want {
		if !strings.Contains(all, w) {
			t.Errorf("cluster result lacks %q:\n%s", w, all)
		}
	}
	wantNoPlaceholder(t, r)
	if c.status == model.Pass {
		for _, id := range []string{"sasl", "topic"} {
			if got := find(t, rs, id); got.Status != model.Pass {
				t.Errorf("%s %s %s: %s", id, got.Status, got.Code, got.Cause())
			}
		}
	} else if s := find(t, rs, "dns"); s.Status != model.Skip {
		t.Errorf("dns ran after cluster %s: %s", r.Status, s.Status)
	}
}
