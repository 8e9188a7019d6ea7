package integration

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/model"
)

// Trust and identity policies of the audit scenarios. mskExecutionRole is
// the statement of the managed policy AWSLambdaMSKExecutionRole (moto does
// not ship it): no kafka-cluster action.
const (
	lambdaTrust      = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	mskExecutionRole = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kafka:DescribeCluster","kafka:DescribeClusterV2","kafka:GetBootstrapBrokers","ec2:CreateNetworkInterface","ec2:DescribeNetworkInterfaces","ec2:DescribeVpcs","ec2:DeleteNetworkInterface","ec2:DescribeSubnets","ec2:DescribeSecurityGroups","logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}`
	dataPlanePolicy  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kafka-cluster:Connect","kafka-cluster:DescribeClusterDynamicConfiguration","kafka-cluster:DescribeTopic","kafka-cluster:ReadData","kafka-cluster:DescribeGroup","kafka-cluster:AlterGroup"],"Resource":["arn:aws:kafka:*:*:cluster/*","arn:aws:kafka:*:*:topic/*","arn:aws:kafka:*:*:group/*"]}]}`
	secretPolicy     = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["secretsmanager:GetSecretValue","kms:Decrypt"],"Resource":"*"}]}`
)

type ec2CreateRoute = ec2.CreateRouteInput

// execRole creates an execution role in moto with a trust policy and
// inline policies, and returns its ARN.
func (a awsBed) execRole(t *testing.T, name, trust string, policies ...string) string {
	t.Helper()
	c := iam.NewFromConfig(a.motoConfig(awsRegion))
	roleName := aws.String(fmt.Sprintf("%s-%s-%d", name, a.tag, time.Now().UnixNano()%1e9))
	r, err := c.CreateRole(a.ctx, &iam.CreateRoleInput{RoleName: roleName, AssumeRolePolicyDocument: aws.String(trust)})
	if code, _, _ := awsprobe.ErrorCode(err); code == "EntityAlreadyExists" {
		// The SDK re-sent a create moto had applied (see motoConfig).
		var g *iam.GetRoleOutput
		if g, err = c.GetRole(a.ctx, &iam.GetRoleInput{RoleName: roleName}); err == nil {
			r = &iam.CreateRoleOutput{Role: g.Role}
		}
	}
	if err != nil {
		t.Fatalf("moto CreateRole: %v", err)
	}
	for i, p := range policies {
		_, err := c.PutRolePolicy(a.ctx, &iam.PutRolePolicyInput{RoleName: r.Role.RoleName, PolicyName: aws.String("p" + string(rune('0'+i))), PolicyDocument: aws.String(p)})
		if err != nil {
			t.Fatalf("moto PutRolePolicy: %v", err)
		}
	}
	return aws.ToString(r.Role.Arn)
}

// runAudit runs esmdoctor audit's checks.
func runAudit(t *testing.T, cfg checks.Config) []model.Result {
	t.Helper()
	if cfg.Timeout == 0 {
		cfg.Timeout = awsTimeout
	}
	rs, _ := checks.RunAudit(context.Background(), cfg, nil)
	return rs
}

// revokeEgress replaces the cluster group's allow-all egress by HTTPS only.
func (v *vpcBed) revokeEgress() {
	all := []ec2types.IpPermission{{IpProtocol: aws.String("-1"), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}}
	_, err := v.c.RevokeSecurityGroupEgress(v.a.ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: aws.String(v.SG), IpPermissions: all})
	v.must("RevokeSecurityGroupEgress", err, "InvalidPermission.NotFound")
	https := []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}}
	_, err = v.c.AuthorizeSecurityGroupEgress(v.a.ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: aws.String(v.SG), IpPermissions: https})
	v.must("AuthorizeSecurityGroupEgress", err, "InvalidPermission.Duplicate")
}

// revokeEndpoint443 leaves the endpoints' group admitting only port 80.
func (v *vpcBed) revokeEndpoint443() {
	p := []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String(v.SG)}}}}
	_, err := v.c.RevokeSecurityGroupIngress(v.a.ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: aws.String(v.VPCESG), IpPermissions: p})
	v.must("RevokeSecurityGroupIngress", err, "InvalidPermission.NotFound")
	v.ingress(v.VPCESG, "tcp", 80, 80, v.SG)
}

// strictACL gives subnet a network ACL that admits the broker port both
// ways and HTTPS, but not the ephemeral ports the answers come back on.
func (v *vpcBed) strictACL(subnet string, port int32) string {
	acl, err := v.c.CreateNetworkAcl(v.a.ctx, &ec2.CreateNetworkAclInput{VpcId: aws.String(v.VPC)})
	v.must("CreateNetworkAcl", err)
	id := acl.NetworkAcl.NetworkAclId
	for _, e := range []struct {
		n        int32
		egress   bool
		from, to int32
	}{{100, false, port, port}, {100, true, port, port}, {110, false, 443, 443}, {110, true, 443, 443}} {
		_, err := v.c.CreateNetworkAclEntry(v.a.ctx, &ec2.CreateNetworkAclEntryInput{NetworkAclId: id, RuleNumber: aws.Int32(e.n), Egress: aws.Bool(e.egress),
			Protocol: aws.String("6"), PortRange: &ec2types.PortRange{From: aws.Int32(e.from), To: aws.Int32(e.to)}, CidrBlock: aws.String(v.CIDRPrefix + ".0.0/16"),
			RuleAction: ec2types.RuleActionAllow})
		v.must("CreateNetworkAclEntry", err, "NetworkAclEntryAlreadyExists")
	}
	cur, err := v.c.DescribeNetworkAcls(v.a.ctx, &ec2.DescribeNetworkAclsInput{Filters: []ec2types.Filter{{Name: aws.String("association.subnet-id"), Values: []string{subnet}}}})
	v.must("DescribeNetworkAcls", err)
	for _, a := range cur.NetworkAcls[0].Associations {
		if aws.ToString(a.SubnetId) == subnet {
			_, err := v.c.ReplaceNetworkAclAssociation(v.a.ctx, &ec2.ReplaceNetworkAclAssociationInput{AssociationId: a.NetworkAclAssociationId, NetworkAclId: id})
			v.must("ReplaceNetworkAclAssociation", err, "InvalidAssociationID.NotFound")
		}
	}
	return aws.ToString(id)
}

// eni places a network interface with ip in subnet, in group sg.
func (v *vpcBed) eni(subnet, ip, sg string) string {
	e, err := v.c.CreateNetworkInterface(v.a.ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: aws.String(subnet), PrivateIpAddress: aws.String(ip), Groups: []string{sg}})
	v.must("CreateNetworkInterface", err)
	return aws.ToString(e.NetworkInterface.NetworkInterfaceId)
}

// fullSubnet is a /28 whose every free address is taken by an interface.
func (v *vpcBed) fullSubnet() string {
	s := v.subnet("us-east-1c", ".3.0/28")
	for i := 0; i < 16; i++ {
		out, err := v.c.DescribeSubnets(v.a.ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{s}})
		v.must("DescribeSubnets", err)
		if aws.ToInt32(out.Subnets[0].AvailableIpAddressCount) == 0 {
			return s
		}
		_, err = v.c.CreateNetworkInterface(v.a.ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: aws.String(s)})
		v.must("CreateNetworkInterface", err)
	}
	v.t.Fatal("moto kept free addresses in a /28")
	return s
}

// brokerPort is the port of the test bed's IAM listener, which the
// network scenarios' clusters (mskAudit) announce.
func brokerPort(a awsBed) int32 {
	_, p, _ := net.SplitHostPort(a.Get("IAM"))
	n, _ := strconv.Atoi(p)
	return int32(n)
}

// brokerPort is brokerPort of the bed v was built on.
func (v *vpcBed) brokerPort() int32 { return brokerPort(v.a) }
