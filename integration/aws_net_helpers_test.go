package integration

import (
	"fmt"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/esmdoctor/esmdoctor/awsprobe"
)

// vpcBed is a VPC built in moto for one test: two private subnets in two
// zones, the cluster's security group (self-referencing), and interface
// endpoints for lambda, sts and secretsmanager with private DNS whose
// security group admits 443 from the cluster's. Every id is moto's, so
// tests share moto without resetting it.
type vpcBed struct {
	c           *ec2.Client
	t           *testing.T
	a           awsBed
	VPC         string
	Subnets     []string
	SG, VPCESG  string
	MainTable   string
	Endpoints   map[string]string // service -> endpoint id
	PublicSub   string            // created by withNAT / publicSubnet
	InternetGW  string
	CIDRPrefix  string // "10.N" of the VPC
	subnetCount int
}

// vpcCount numbers the test VPCs so their CIDRs differ.
var vpcCount atomic.Int32

// newVPC builds the healthy network.
func (a awsBed) newVPC(t *testing.T) *vpcBed {
	t.Helper()
	v := &vpcBed{c: ec2.NewFromConfig(a.motoConfig(awsRegion)), t: t, a: a, Endpoints: map[string]string{},
		CIDRPrefix: fmt.Sprintf("10.%d", 20+vpcCount.Add(1)%200)}
	vpc, err := v.c.CreateVpc(a.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(v.CIDRPrefix + ".0.0/16")})
	v.must("CreateVpc", err)
	v.VPC = aws.ToString(vpc.Vpc.VpcId)
	v.dns(true, true)
	v.Subnets = []string{v.subnet("us-east-1a", ".1.0/24"), v.subnet("us-east-1b", ".2.0/24")}
	v.SG = v.group("msk")
	v.ingress(v.SG, "-1", 0, 0, v.SG)
	v.VPCESG = v.group("vpce")
	v.ingress(v.VPCESG, "tcp", 443, 443, v.SG)
	tables, err := v.c.DescribeRouteTables(a.ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{v.VPC}}}})
	v.must("DescribeRouteTables", err)
	v.MainTable = aws.ToString(tables.RouteTables[0].RouteTableId)
	for _, svc := range []string{"lambda", "sts", "secretsmanager"} {
		v.endpoint(svc, true, v.Subnets, "")
	}
	return v
}

// must fails the test on err, unless its AWS code is one of the answers
// to a request the SDK re-sent after moto had applied it.
func (v *vpcBed) must(op string, err error, resent ...string) {
	v.t.Helper()
	if err == nil {
		return
	}
	if code, _, ok := awsprobe.ErrorCode(err); ok && slices.Contains(resent, code) {
		return
	}
	v.t.Fatalf("moto %s: %v", op, err)
}

func (v *vpcBed) dns(support, hostnames bool) {
	_, err := v.c.ModifyVpcAttribute(v.a.ctx, &ec2.ModifyVpcAttributeInput{VpcId: aws.String(v.VPC), EnableDnsSupport: &ec2types.AttributeBooleanValue{Value: aws.Bool(support)}})
	v.must("ModifyVpcAttribute", err)
	_, err = v.c.ModifyVpcAttribute(v.a.ctx, &ec2.ModifyVpcAttributeInput{VpcId: aws.String(v.VPC), EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(hostnames)}})
	v.must("ModifyVpcAttribute", err)
}

func (v *vpcBed) subnet(az, cidr string) string {
	s, err := v.c.CreateSubnet(v.a.ctx, &ec2.CreateSubnetInput{VpcId: aws.String(v.VPC), AvailabilityZone: aws.String(az), CidrBlock: aws.String(v.CIDRPrefix + cidr)})
	if code, _, _ := awsprobe.ErrorCode(err); code == "InvalidSubnet.Conflict" {
		out, err := v.c.DescribeSubnets(v.a.ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{
			{Name: aws.String("vpc-id"), Values: []string{v.VPC}}, {Name: aws.String("cidr-block"), Values: []string{v.CIDRPrefix + cidr}}}})
		v.must("DescribeSubnets", err)
		return aws.ToString(out.Subnets[0].SubnetId)
	}
	v.must("CreateSubnet", err)
	return aws.ToString(s.Subnet.SubnetId)
}

func (v *vpcBed) group(name string) string {
	g, err := v.c.CreateSecurityGroup(v.a.ctx, &ec2.CreateSecurityGroupInput{VpcId: aws.String(v.VPC), GroupName: aws.String(name + "-" + v.a.tag), Description: aws.String(name)})
	if code, _, _ := awsprobe.ErrorCode(err); code == "InvalidGroup.Duplicate" {
		out, err := v.c.DescribeSecurityGroups(v.a.ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
			{Name: aws.String("vpc-id"), Values: []string{v.VPC}}, {Name: aws.String("group-name"), Values: []string{name + "-" + v.a.tag}}}})
		v.must("DescribeSecurityGroups", err)
		return aws.ToString(out.SecurityGroups[0].GroupId)
	}
	v.must("CreateSecurityGroup", err)
	return aws.ToString(g.GroupId)
}

func (v *vpcBed) ingress(sg, proto string, from, to int32, source string) {
	p := ec2types.IpPermission{IpProtocol: aws.String(proto), FromPort: aws.Int32(from), ToPort: aws.Int32(to)}
	if len(source) > 3 && source[:3] == "sg-" {
		p.UserIdGroupPairs = []ec2types.UserIdGroupPair{{GroupId: aws.String(source)}}
	} else {
		p.IpRanges = []ec2types.IpRange{{CidrIp: aws.String(source)}}
	}
	_, err := v.c.AuthorizeSecurityGroupIngress(v.a.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(sg), IpPermissions: []ec2types.IpPermission{p}})
	v.must("AuthorizeSecurityGroupIngress", err, "InvalidPermission.Duplicate")
}

// revokeSelf removes the cluster group's self-referencing rule.
func (v *vpcBed) revokeSelf() {
	_, err := v.c.RevokeSecurityGroupIngress(v.a.ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: aws.String(v.SG), IpPermissions: []ec2types.IpPermission{
		{IpProtocol: aws.String("-1"), FromPort: aws.Int32(0), ToPort: aws.Int32(0), UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String(v.SG)}}}}})
	v.must("RevokeSecurityGroupIngress", err, "InvalidPermission.NotFound")
}

func (v *vpcBed) endpoint(svc string, privateDNS bool, subnets []string, policy string) {
	in := &ec2.CreateVpcEndpointInput{VpcId: aws.String(v.VPC), ServiceName: aws.String("com.amazonaws." + awsRegion + "." + svc),
		VpcEndpointType: ec2types.VpcEndpointTypeInterface, SubnetIds: subnets, SecurityGroupIds: []string{v.VPCESG}, PrivateDnsEnabled: aws.Bool(privateDNS)}
	if policy != "" {
		in.PolicyDocument = aws.String(policy)
	}
	e, err := v.c.CreateVpcEndpoint(v.a.ctx, in)
	v.must("CreateVpcEndpoint", err)
	v.Endpoints[svc] = aws.ToString(e.VpcEndpoint.VpcEndpointId)
}

// dropEndpoints deletes every interface endpoint of the services in the
// VPC (a re-sent create may have made two).
func (v *vpcBed) dropEndpoints(svcs ...string) {
	var names []string
	for _, s := range svcs {
		names = append(names, "com.amazonaws."+awsRegion+"."+s)
		delete(v.Endpoints, s)
	}
	out, err := v.c.DescribeVpcEndpoints(v.a.ctx, &ec2.DescribeVpcEndpointsInput{Filters: []ec2types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{v.VPC}}, {Name: aws.String("service-name"), Values: names}}})
	v.must("DescribeVpcEndpoints", err)
	var ids []string
	for _, e := range out.VpcEndpoints {
		ids = append(ids, aws.ToString(e.VpcEndpointId))
	}
	_, err = v.c.DeleteVpcEndpoints(v.a.ctx, &ec2.DeleteVpcEndpointsInput{VpcEndpointIds: ids})
	v.must("DeleteVpcEndpoints", err)
}

// internetGateway attaches an internet gateway and returns a public
// subnet routing 0.0.0.0/0 to it.
func (v *vpcBed) internetGateway() string {
	g, err := v.c.CreateInternetGateway(v.a.ctx, &ec2.CreateInternetGatewayInput{})
	v.must("CreateInternetGateway", err)
	v.InternetGW = aws.ToString(g.InternetGateway.InternetGatewayId)
	_, err = v.c.AttachInternetGateway(v.a.ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: aws.String(v.InternetGW), VpcId: aws.String(v.VPC)})
	v.must("AttachInternetGateway", err, "Resource.AlreadyAssociated")
	v.PublicSub = v.subnet("us-east-1a", ".100.0/24")
	rt, err := v.c.CreateRouteTable(v.a.ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(v.VPC)})
	v.must("CreateRouteTable", err)
	id := rt.RouteTable.RouteTableId
	v.route(aws.ToString(id), "0.0.0.0/0", func(in *ec2.CreateRouteInput) { in.GatewayId = aws.String(v.InternetGW) })
	_, err = v.c.AssociateRouteTable(v.a.ctx, &ec2.AssociateRouteTableInput{RouteTableId: id, SubnetId: aws.String(v.PublicSub)})
	v.must("AssociateRouteTable", err, "Resource.AlreadyAssociated")
	return v.PublicSub
}

// natIn creates a NAT gateway in subnet and routes the main table's
// 0.0.0.0/0 to it.
func (v *vpcBed) natIn(subnet string) string {
	eip, err := v.c.AllocateAddress(v.a.ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc})
	v.must("AllocateAddress", err)
	n, err := v.c.CreateNatGateway(v.a.ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnet), AllocationId: eip.AllocationId})
	v.must("CreateNatGateway", err)
	id := aws.ToString(n.NatGateway.NatGatewayId)
	v.route(v.MainTable, "0.0.0.0/0", func(in *ec2.CreateRouteInput) { in.NatGatewayId = aws.String(id) })
	return id
}

func (v *vpcBed) route(table, dest string, target func(*ec2.CreateRouteInput)) {
	in := &ec2.CreateRouteInput{RouteTableId: aws.String(table), DestinationCidrBlock: aws.String(dest)}
	target(in)
	_, err := v.c.CreateRoute(v.a.ctx, in)
	v.must("CreateRoute", err, "RouteAlreadyExists")
}

// vpnRoute routes dest through a virtual private gateway (an on-premises
// network reached over VPN, whose far side esmdoctor cannot read).
func (v *vpcBed) vpnRoute(dest string) {
	g, err := v.c.CreateVpnGateway(v.a.ctx, &ec2.CreateVpnGatewayInput{Type: ec2types.GatewayTypeIpsec1})
	v.must("CreateVpnGateway", err)
	id := g.VpnGateway.VpnGatewayId
	_, err = v.c.AttachVpnGateway(v.a.ctx, &ec2.AttachVpnGatewayInput{VpnGatewayId: id, VpcId: aws.String(v.VPC)})
	v.must("AttachVpnGateway", err, "Resource.AlreadyAssociated")
	v.route(v.MainTable, dest, func(in *ec2.CreateRouteInput) { in.GatewayId = id })
}
