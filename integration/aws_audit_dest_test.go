package integration

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/testbed/awsfake"
)

// The audit scenarios of on-failure destinations, LoggingConfig, managed
// prefix lists and IPv6 rules, built in moto like auditCases.

const (
	dlqARN     = "arn:aws:sqs:us-east-1:" + motoAccount + ":orders-dlq"
	dlqBucket  = "arn:aws:s3:::orders-dlq"
	allowOther = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:` + motoAccount + `:other-queue"}]}`
	bucketOnly = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject","s3:ListBucket"],"Resource":"` + dlqBucket + `"}]}`
)

// withDestination is the healthy MSK mapping with an on-failure
// destination; its role adds policies to the complete one.
func withDestination(dest string, policies ...string) func(*testing.T, awsBed, *vpcBed) checks.Config {
	return func(t *testing.T, a awsBed, v *vpcBed) checks.Config {
		role := a.execRole(t, "esm-dest", lambdaTrust, append([]string{mskExecutionRole, dataPlanePolicy}, policies...)...)
		return mskAudit(t, a, v, role, func(c *checks.AWSConfig) { c.OnFailureDestination = dest })
	}
}

// prefixList creates a customer-managed prefix list in moto.
func (v *vpcBed) prefixList(cidrs ...string) string {
	var entries []ec2types.AddPrefixListEntry
	for _, c := range cidrs {
		entries = append(entries, ec2types.AddPrefixListEntry{Cidr: aws.String(c)})
	}
	pl, err := v.c.CreateManagedPrefixList(v.a.ctx, &ec2.CreateManagedPrefixListInput{PrefixListName: aws.String("pl-" + v.a.tag), AddressFamily: aws.String("IPv4"),
		MaxEntries: aws.Int32(10), Entries: entries})
	v.must("CreateManagedPrefixList", err)
	return aws.ToString(pl.PrefixList.PrefixListId)
}

// ingressRule adds one ingress permission to sg.
func (v *vpcBed) ingressRule(sg string, p ec2types.IpPermission) {
	_, err := v.c.AuthorizeSecurityGroupIngress(v.a.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(sg), IpPermissions: []ec2types.IpPermission{p}})
	v.must("AuthorizeSecurityGroupIngress", err, "InvalidPermission.Duplicate")
}

// s3Gateway creates a gateway endpoint for S3 on the given route tables.
func (v *vpcBed) s3Gateway(tables ...string) string {
	e, err := v.c.CreateVpcEndpoint(v.a.ctx, &ec2.CreateVpcEndpointInput{VpcId: aws.String(v.VPC), ServiceName: aws.String("com.amazonaws." + awsRegion + ".s3"),
		VpcEndpointType: ec2types.VpcEndpointTypeGateway, RouteTableIds: tables})
	v.must("CreateVpcEndpoint", err)
	return aws.ToString(e.VpcEndpoint.VpcEndpointId)
}

// otherTable is a route table of the VPC associated with no poller subnet.
func (v *vpcBed) otherTable() string {
	rt, err := v.c.CreateRouteTable(v.a.ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(v.VPC)})
	v.must("CreateRouteTable", err)
	return aws.ToString(rt.RouteTable.RouteTableId)
}

// brokerGroupIngress is a self-managed broker interface in the second
// subnet whose group admits 9094 by the given permission only.
func brokerWith(p func(v *vpcBed) ec2types.IpPermission) func(*testing.T, awsBed, *vpcBed) checks.Config {
	return func(t *testing.T, a awsBed, v *vpcBed) checks.Config {
		sg := v.group("broker")
		perm := p(v)
		perm.IpProtocol, perm.FromPort, perm.ToPort = aws.String("tcp"), aws.Int32(9094), aws.Int32(9094)
		v.ingressRule(sg, perm)
		v.eni(v.Subnets[1], v.CIDRPrefix+".2.60", sg)
		return selfManagedAudit(a, v, v.CIDRPrefix+".2.60:9094")
	}
}

var destinationAuditCases = []auditCase{
	{name: "SQS destination, role may send to another queue only", build: withDestination(dlqARN, allowOther),
		check: "permissions", status: "fail", code: "ESM-PERM-007", cause: "sqs:SendMessage on " + dlqARN},
	{name: "S3 destination, PutObject granted on the bucket instead of its objects", build: withDestination(dlqBucket, bucketOnly),
		check: "permissions", status: "fail", code: "ESM-PERM-007", cause: "s3:PutObject on " + dlqBucket + "/*"},
	{name: "Kafka destination on an IAM cluster, simulated without WriteData", build: func(t *testing.T, a awsBed, v *vpcBed) checks.Config {
		cfg := simulated()(t, a, v)
		cfg.AWS.OnFailureDestination = "kafka://orders-dlq"
		return cfg
	}, check: "permissions", status: "fail", code: "ESM-PERM-007", cause: "kafka-cluster:WriteData on arn:aws:kafka:us-east-1:"},
	{name: "LoggingConfig on, role without logs actions", build: func(t *testing.T, a awsBed, v *vpcBed) checks.Config {
		role := a.execRole(t, "esm-nologs", lambdaTrust, dataPlanePolicy, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kafka:*","ec2:*"],"Resource":"*"}]}`)
		fn := "arn:aws:lambda:us-east-1:" + motoAccount + ":function:orders-consumer"
		return mskAudit(t, a, v, role, func(c *checks.AWSConfig) {
			c.SystemLogLevel, c.Function = "WARN", &awsprobe.Function{ARN: fn, Name: "orders-consumer", Role: role}
		})
	}, check: "permissions", status: "warn", code: "ESM-PERM-104", cause: "logs:PutLogEvents on arn:aws:logs:us-east-1:" + motoAccount + ":log-group:/aws/lambda/orders-consumer:log-stream:*"},
	{name: "SQS destination without an SQS endpoint", build: withDestination(dlqARN, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}]}`),
		check: "network", status: "fail", code: "ESM-NET-017", problem: "P2", cause: "com.amazonaws.us-east-1.sqs"},
	{name: "S3 destination through a gateway endpoint on the subnets' route table", build: func(t *testing.T, a awsBed, v *vpcBed) checks.Config {
		v.s3Gateway(v.MainTable)
		return withDestination(dlqBucket)(t, a, v)
	}, check: "network", status: "pass", cause: "a gateway endpoint for s3 on its route table"},
	{name: "S3 gateway endpoint on another route table", build: func(t *testing.T, a awsBed, v *vpcBed) checks.Config {
		v.s3Gateway(v.otherTable())
		return withDestination(dlqBucket)(t, a, v)
	}, check: "network", status: "fail", code: "ESM-NET-019", problem: "P2", cause: "is not associated with its route table"},
	{name: "broker group admitting a prefix list that covers the pollers", build: brokerWith(func(v *vpcBed) ec2types.IpPermission {
		return ec2types.IpPermission{PrefixListIds: []ec2types.PrefixListId{{PrefixListId: aws.String(v.prefixList(v.CIDRPrefix + ".0.0/20"))}}}
	}), check: "network", status: "pass", cause: "admitted on TCP 9094"},
	{name: "broker group admitting a prefix list of other networks", build: brokerWith(func(v *vpcBed) ec2types.IpPermission {
		return ec2types.IpPermission{PrefixListIds: []ec2types.PrefixListId{{PrefixListId: aws.String(v.prefixList("192.168.0.0/16", "172.16.0.0/12"))}}}
	}), check: "network", status: "fail", code: "ESM-NET-001", problem: "P1", cause: "admit no TCP 9094"},
	{name: "IPv4 broker whose group admits only ::/0", build: brokerWith(func(v *vpcBed) ec2types.IpPermission {
		return ec2types.IpPermission{Ipv6Ranges: []ec2types.Ipv6Range{{CidrIpv6: aws.String("::/0")}}}
	}), check: "network", status: "fail", code: "ESM-NET-001", problem: "P1", cause: "admit no TCP 9094"},
	{name: "IPv6-only broker name, IPv4-only poller subnets", build: func(t *testing.T, a awsBed, v *vpcBed) checks.Config {
		cfg := selfManagedAudit(a, v, "broker6.orders.internal:9094")
		cfg.Resolver = staticResolver{"broker6.orders.internal": netip.MustParseAddr("2600:1f18:7b1:e400::60")}
		return cfg
	}, check: "network", status: "fail", code: "ESM-NET-018", problem: "P1", cause: "have no IPv6 CIDR block"},
	{name: "route to the broker network through a prefix list and a VPN", build: func(t *testing.T, a awsBed, v *vpcBed) checks.Config {
		pl := v.prefixList("172.20.0.0/16")
		g, err := v.c.CreateVpnGateway(v.a.ctx, &ec2.CreateVpnGatewayInput{Type: ec2types.GatewayTypeIpsec1})
		v.must("CreateVpnGateway", err)
		_, err = v.c.AttachVpnGateway(v.a.ctx, &ec2.AttachVpnGatewayInput{VpnGatewayId: g.VpnGateway.VpnGatewayId, VpcId: aws.String(v.VPC)})
		v.must("AttachVpnGateway", err, "Resource.AlreadyAssociated")
		_, err = v.c.CreateRoute(v.a.ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(v.MainTable), DestinationPrefixListId: aws.String(pl), GatewayId: g.VpnGateway.VpnGatewayId})
		v.must("CreateRoute", err, "RouteAlreadyExists")
		return selfManagedAudit(a, v, "172.20.5.10:9094")
	}, check: "network", status: "warn", code: "ESM-NET-103", cause: "outside this account's VPCs", detail: "routes 172.20.5.10/32 through vgw-"},
}

// staticResolver answers names from a map (a name with only an AAAA
// record: no such name can be registered on a fresh test machine).
type staticResolver map[string]netip.Addr

func (r staticResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if a, ok := r[host]; ok {
		return []netip.Addr{a}, nil
	}
	return nil, fmt.Errorf("no such host %s", host)
}

// mskBrokerENIs is an MSK IAM cluster whose two brokers own interfaces
// in the two subnets: the first in the cluster's group, the second in
// group (the cluster's group when nil). With listed, kafka:ListNodes gives
// their addresses; else the run's resolver does, as MSK's public names
// resolve to the brokers' private addresses.
func mskBrokerENIs(listed bool, group func(v *vpcBed) string) func(*testing.T, awsBed, *vpcBed) checks.Config {
	return func(t *testing.T, a awsBed, v *vpcBed) checks.Config {
		names := [2]string{"b-1.orders-" + a.tag + ".kafka.us-east-1.amazonaws.com", "b-2.orders-" + a.tag + ".kafka.us-east-1.amazonaws.com"}
		ips := [2]string{v.CIDRPrefix + ".1.101", v.CIDRPrefix + ".2.102"}
		second := v.SG
		if group != nil {
			second = group(v)
		}
		enis := [2]string{v.eni(v.Subnets[0], ips[0], v.SG), v.eni(v.Subnets[1], ips[1], second)}
		cluster := awsfake.Cluster{IAM: true, Subnets: v.Subnets, SecurityGroups: []string{v.SG}, Bootstrap: awsfake.Bootstrap{SASLIAM: names[0] + ":9098," + names[1] + ":9098"}}
		if listed {
			for i := range names {
				cluster.Nodes = append(cluster.Nodes, awsfake.Node{ID: i + 1, ENI: enis[i], Subnet: v.Subnets[i], IP: ips[i], Endpoints: []string{names[i]}})
			}
		}
		role := a.execRole(t, "esm-enis", lambdaTrust, mskExecutionRole, dataPlanePolicy)
		cfg := mskConfig(a, mskCluster(t, a, cluster), nil, func(c *checks.AWSConfig) { c.Options.RoleARN = role })
		if !listed {
			cfg.Resolver = staticResolver{names[0]: netip.MustParseAddr(ips[0]), names[1]: netip.MustParseAddr(ips[1])}
		}
		return cfg
	}
}

var brokerENICases = []auditCase{
	{name: "MSK brokers audited by their own interfaces (names resolved)", build: mskBrokerENIs(false, nil), check: "network", status: "pass", cause: "broker network interfaces: b-1.orders-"},
	{name: "MSK brokers listed by ListNodes, one interface in a group that does not admit the pollers", build: mskBrokerENIs(true, func(v *vpcBed) string { return v.group("broker-b") }),
		check: "network", status: "fail", code: "ESM-NET-001", problem: "P1", cause: "b-2.orders-", detail: "broker network interfaces: b-1.orders-"},
	{name: "MSK broker interface in a group that does not admit the pollers (names resolved)", build: mskBrokerENIs(false, func(v *vpcBed) string { return v.group("broker-b") }),
		check: "network", status: "fail", code: "ESM-NET-001", problem: "P1", cause: "b-2.orders-", detail: "broker network interfaces: b-1.orders-"},
}

// TestAuditCLIMappingLogsAndDestination reads an MSK IAM mapping with --esm
// whose LoggingConfig is on and whose on-failure destination is an SQS
// queue, audited with a role granting neither: the destination is a
// failure with the queue's ARN, the logs a detail line naming the
// function's log group (read from GetFunctionConfiguration).
func TestAuditCLIMappingLogsAndDestination(t *testing.T) {
	a := requireAWS(t)
	v := a.newVPC(t)
	fn, _ := a.function(t, "audit-logs")
	role := a.execRole(t, "esm-nologs", lambdaTrust, dataPlanePolicy, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kafka:*","ec2:*"],"Resource":"*"}]}`)
	arn := mskCluster(t, a, awsfake.Cluster{IAM: true, Subnets: v.Subnets, SecurityGroups: []string{v.SG}, Bootstrap: awsfake.Bootstrap{SASLIAM: a.Get("IAM")}})
	id := a.uuid(22)
	a.fake.AddMapping(awsfake.Mapping{UUID: id, FunctionARN: fn, EventSourceARN: arn, Topics: []string{a.Get("TOPIC")}, Provisioned: true,
		Extra: map[string]any{"LoggingConfig": map[string]any{"SystemLogLevel": "WARN"},
			"DestinationConfig": map[string]any{"OnFailure": map[string]any{"Destination": dlqARN}}}})
	code, out, errOut := cliRun(t, nil, "audit", "--esm", id, "--role-arn", role, "-o", "json")
	r := parseReport(t, out)
	// health: logging is on, and the function's log group does not exist
	// (nothing ever logged to it).
	if code != 1 || !strings.HasSuffix(r.statuses(), "permissions=fail(ESM-PERM-007) health=warn(ESM-HEALTH-108)") {
		t.Fatalf("exit %d statuses %s\n%s%s", code, r.statuses(), out, errOut)
	}
	p := r.Checks[len(r.Checks)-2]
	group := "arn:aws:logs:us-east-1:" + motoAccount + ":log-group:/aws/lambda/audit-logs-" + a.tag
	if !strings.Contains(p.Cause, "sqs:SendMessage on "+dlqARN) || !strings.Contains(strings.Join(p.Detail, "\n"), "also warn ESM-PERM-104: ") ||
		!strings.Contains(strings.Join(p.Detail, "\n"), "logs:PutLogEvents on "+group+":log-stream:*") {
		t.Fatalf("permissions %+v", p)
	}
}
