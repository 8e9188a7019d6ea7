package awsprobe

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// pagedEC2 answers the describe calls of one VPC in the EC2 query
// protocol, splitting security groups and route tables over two pages as
// EC2 does past MaxResults. moto 5.2.1 ignores MaxResults for these calls,
// hence this stand-in for the pagination test only.
type pagedEC2 struct {
	mu    sync.Mutex
	calls map[string]int
}

func (p *pagedEC2) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	action, token := r.Form.Get("Action"), r.Form.Get("NextToken")
	p.mu.Lock()
	p.calls[action]++
	p.mu.Unlock()
	body := ""
	switch action {
	case "DescribeSubnets":
		body = `<subnetSet><item><subnetId>subnet-a</subnetId><vpcId>vpc-1</vpcId><cidrBlock>10.0.1.0/24</cidrBlock><availabilityZone>us-east-1a</availabilityZone><availableIpAddressCount>250</availableIpAddressCount></item></subnetSet>`
	case "DescribeVpcs":
		body = `<vpcSet><item><vpcId>vpc-1</vpcId><cidrBlockAssociationSet><item><cidrBlock>10.0.0.0/16</cidrBlock></item></cidrBlockAssociationSet></item></vpcSet>`
	case "DescribeVpcAttribute":
		body = `<vpcId>vpc-1</vpcId><enableDnsSupport><value>true</value></enableDnsSupport><enableDnsHostnames><value>true</value></enableDnsHostnames>`
	case "DescribeSecurityGroups":
		body = pageOf(token, "securityGroupInfo", func(i int) string {
			return fmt.Sprintf(`<item><groupId>sg-%d</groupId><vpcId>vpc-1</vpcId><ipPermissions><item><ipProtocol>-1</ipProtocol><groups><item><groupId>sg-%d</groupId></item></groups></item></ipPermissions></item>`, i, i)
		})
	case "DescribeRouteTables":
		body = pageOf(token, "routeTableSet", func(i int) string {
			return fmt.Sprintf(`<item><routeTableId>rtb-%d</routeTableId><vpcId>vpc-1</vpcId><routeSet><item><destinationCidrBlock>10.0.0.0/16</destinationCidrBlock><gatewayId>local</gatewayId><state>active</state></item></routeSet></item>`, i)
		})
	case "DescribeVpcEndpoints":
		body = `<vpcEndpointSet/>`
	case "DescribeNetworkAcls":
		body = `<networkAclSet/>`
	case "DescribeNatGateways":
		body = `<natGatewaySet/>`
	case "DescribeInternetGateways":
		body = `<internetGatewaySet/>`
	default:
		http.Error(w, "unexpected "+action, http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<%sResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId>%s</%sResponse>`, action, body, action)
}

// pageOf renders items 1-3 on the first page (with a next token) and 4-5
// on the second.
func pageOf(token, set string, item func(int) string) string {
	from, to, next := 1, 3, "<nextToken>page-2</nextToken>"
	if token == "page-2" {
		from, to, next = 4, 5, ""
	}
	var b strings.Builder
	for i := from; i <= to; i++ {
		b.WriteString(item(i))
	}
	return "<" + set + ">" + b.String() + "</" + set + ">" + next
}

func TestNetworkFollowsPages(t *testing.T) {
	fake := &pagedEC2{calls: map[string]int{}}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	for k, v := range map[string]string{"AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "us-east-1",
		"AWS_ENDPOINT_URL_EC2": srv.URL, "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_PROFILE": ""} {
		t.Setenv(k, v)
	}
	sess, err := Load(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	rd := sess.Network(context.Background(), NetworkQuery{Region: "us-east-1", Subnets: []string{"subnet-a"}, SecurityGroups: []string{"sg-5"}, PageSize: 5}, 5*time.Second)
	if rd.Err != nil {
		t.Fatalf("%s: %v", rd.Operation, rd.Err)
	}
	if len(rd.Net.Groups) != 5 || len(rd.Net.Tables) != 5 {
		t.Fatalf("read %d security groups and %d route tables, want 5 and 5 (two pages each)", len(rd.Net.Groups), len(rd.Net.Tables))
	}
	if fake.calls["DescribeSecurityGroups"] != 2 || fake.calls["DescribeRouteTables"] != 2 {
		t.Fatalf("calls %v", fake.calls)
	}
	if len(rd.Net.Missing) != 0 || !rd.Net.VPCs["vpc-1"].DNSHostnames {
		t.Fatalf("missing %v, vpc %+v", rd.Net.Missing, rd.Net.VPCs["vpc-1"])
	}
	total := 0
	for _, n := range fake.calls {
		total += n
	}
	if rd.Calls != total || total != 12 {
		t.Fatalf("counted %d calls, the fake saw %d (%v), want 12", rd.Calls, total, fake.calls)
	}
}
