package awsprobe

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// dualStackEC2 answers one dual-stack VPC in EC2's query protocol (element
// names as in the EC2 API reference): IPv6 subnet blocks, rules, ACL
// entries and routes, a gateway endpoint, and two prefix lists, one of
// which the caller may not read.
func dualStackEC2(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	action := r.Form.Get("Action")
	bodies := map[string]string{
		"DescribeSubnets": `<subnetSet><item><subnetId>subnet-a</subnetId><vpcId>vpc-1</vpcId><cidrBlock>10.0.1.0/24</cidrBlock><availabilityZone>us-east-1a</availabilityZone><availableIpAddressCount>250</availableIpAddressCount>` +
			`<ipv6CidrBlockAssociationSet><item><ipv6CidrBlock>2600:1f18:0:1::/64</ipv6CidrBlock><ipv6CidrBlockState><state>associated</state></ipv6CidrBlockState></item></ipv6CidrBlockAssociationSet></item></subnetSet>`,
		"DescribeVpcs":         `<vpcSet><item><vpcId>vpc-1</vpcId></item></vpcSet>`,
		"DescribeVpcAttribute": `<enableDnsSupport><value>true</value></enableDnsSupport>`,
		"DescribeVpcEndpoints": `<vpcEndpointSet><item><vpcEndpointId>vpce-s3</vpcEndpointId><vpcId>vpc-1</vpcId><serviceName>com.amazonaws.us-east-1.s3</serviceName><vpcEndpointType>Gateway</vpcEndpointType><state>available</state><routeTableIdSet><item>rtb-1</item></routeTableIdSet></item></vpcEndpointSet>`,
		"DescribeSecurityGroups": `<securityGroupInfo><item><groupId>sg-1</groupId><vpcId>vpc-1</vpcId><ipPermissions><item><ipProtocol>tcp</ipProtocol><fromPort>9094</fromPort><toPort>9094</toPort>` +
			`<ipv6Ranges><item><cidrIpv6>::/0</cidrIpv6></item></ipv6Ranges><prefixListIds><item><prefixListId>pl-corp</prefixListId></item></prefixListIds></item></ipPermissions></item></securityGroupInfo>`,
		"DescribeNetworkAcls": `<networkAclSet><item><networkAclId>acl-1</networkAclId><vpcId>vpc-1</vpcId><default>true</default><entrySet>` +
			`<item><ruleNumber>101</ruleNumber><protocol>-1</protocol><ruleAction>allow</ruleAction><egress>false</egress><ipv6CidrBlock>::/0</ipv6CidrBlock></item></entrySet></item></networkAclSet>`,
		"DescribeRouteTables": `<routeTableSet><item><routeTableId>rtb-1</routeTableId><vpcId>vpc-1</vpcId><associationSet><item><main>true</main></item></associationSet><routeSet>` +
			`<item><destinationIpv6CidrBlock>::/0</destinationIpv6CidrBlock><egressOnlyInternetGatewayId>eigw-1</egressOnlyInternetGatewayId><state>active</state></item>` +
			`<item><destinationPrefixListId>pl-s3</destinationPrefixListId><gatewayId>vpce-s3</gatewayId><state>active</state></item></routeSet></item></routeTableSet>`,
		"DescribeNatGateways":      `<natGatewaySet/>`,
		"DescribeInternetGateways": `<internetGatewaySet/>`,
	}
	body, ok := bodies[action]
	switch {
	case action == "GetManagedPrefixListEntries" && r.Form.Get("PrefixListId") == "pl-corp":
		http.Error(w, `<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors></Response>`, http.StatusForbidden)
		return
	case action == "GetManagedPrefixListEntries" && r.Form.Get("NextToken") == "":
		body = `<entrySet><item><cidr>52.216.0.0/15</cidr></item></entrySet><nextToken>p2</nextToken>`
	case action == "GetManagedPrefixListEntries":
		body = `<entrySet><item><cidr>3.5.0.0/19</cidr></item></entrySet>`
	case !ok:
		http.Error(w, "unexpected "+action, http.StatusBadRequest)
		return
	}
	fmt.Fprintf(w, `<%sResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId>%s</%sResponse>`, action, body, action)
}

func TestNetworkReadsIPv6AndPrefixLists(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(dualStackEC2))
	defer srv.Close()
	for k, v := range map[string]string{"AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "us-east-1",
		"AWS_ENDPOINT_URL_EC2": srv.URL, "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_PROFILE": ""} {
		t.Setenv(k, v)
	}
	sess, err := Load(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	rd := sess.Network(context.Background(), NetworkQuery{Region: "us-east-1", Subnets: []string{"subnet-a"}, SecurityGroups: []string{"sg-1"}}, 5*time.Second)
	if rd.Err != nil {
		t.Fatalf("%s: %v", rd.Operation, rd.Err)
	}
	n := rd.Net
	if s := n.Subnets["subnet-a"]; len(s.IPv6) != 1 || s.IPv6[0].String() != "2600:1f18:0:1::/64" {
		t.Fatalf("subnet %+v", s)
	}
	if r := n.Groups["sg-1"].Ingress[0]; len(r.CIDRs) != 1 || r.CIDRs[0].String() != "::/0" || r.PrefixLists[0] != "pl-corp" {
		t.Fatalf("rule %+v", r)
	}
	if e := n.ACLs[0].Entries[0]; e.CIDR.String() != "::/0" || !e.Allow {
		t.Fatalf("acl entry %+v", e)
	}
	routes := n.Tables[0].Routes
	if routes[0].Dest.String() != "::/0" || routes[0].Other != "eigw-1" || routes[1].PrefixList != "pl-s3" || routes[1].Gateway != "vpce-s3" {
		t.Fatalf("routes %+v", routes)
	}
	if e := n.Endpoints[0]; e.Type != "Gateway" || len(e.RouteTables) != 1 || e.RouteTables[0] != "rtb-1" {
		t.Fatalf("endpoint %+v", e)
	}
	if got := n.PrefixLists["pl-s3"]; len(got) != 2 || got[1].String() != "3.5.0.0/19" {
		t.Fatalf("pl-s3 entries %v (two pages)", got)
	}
	if _, read := n.PrefixLists["pl-corp"]; read || len(rd.Unread) != 1 || rd.Unread[0] != "pl-corp (UnauthorizedOperation)" {
		t.Fatalf("pl-corp read %v, unread %v", read, rd.Unread)
	}
}
