package iac

import (
	"os"
	"strings"
	"testing"
)

// TestPlanNewNetwork reads an MSK cluster whose subnets and security group
// the same plan creates: they become planned resources with their
// addresses as ids, with the rules of the rule resources that name them.
func TestPlanNewNetwork(t *testing.T) {
	raw, err := os.ReadFile("testdata/plan-msk-new-network.json")
	if err != nil {
		t.Fatal(err)
	}
	m, err := FromTerraformPlan(raw, "")
	if err != nil {
		t.Fatal(err)
	}
	if m.Cluster == nil || m.Planned == nil {
		t.Fatalf("cluster %+v planned %+v unknown %v", m.Cluster, m.Planned, m.Unknown)
	}
	if got := strings.Join(m.Cluster.Subnets, " ") + " " + strings.Join(m.Cluster.SecurityGroups, " "); got != "aws_subnet.brokers_a aws_subnet.brokers_b aws_security_group.msk" {
		t.Fatalf("cluster network %q", got)
	}
	a := m.Planned.Subnets["aws_subnet.brokers_a"]
	if a.VPC != "vpc-0a1b2c3d4e5f60001" || a.CIDR.String() != "10.0.11.0/24" || a.AZ != "us-east-1a" || a.FreeIPs != 251 ||
		m.Planned.Tables["aws_subnet.brokers_a"] != "rtb-0a1b2c3d4e5f60001" || m.Planned.Tables["aws_subnet.brokers_b"] != "" {
		t.Fatalf("subnet %+v tables %v", a, m.Planned.Tables)
	}
	g := m.Planned.Groups["aws_security_group.msk"]
	if len(g.Ingress) != 2 || len(g.Egress) != 1 {
		t.Fatalf("group %+v", g)
	}
	self := g.Ingress[1]
	if self.Protocol != "tcp" || self.FromPort != 9092 || len(self.Groups) != 1 || self.Groups[0] != "aws_security_group.msk" {
		t.Fatalf("self rule %+v", self)
	}
	if e := g.Egress[0]; e.Protocol != "-1" || len(e.CIDRs) != 1 || e.CIDRs[0].String() != "0.0.0.0/0" {
		t.Fatalf("egress %+v", e)
	}
	for _, u := range m.Unknown {
		if u.Field == "aws_lambda_event_source_mapping.orders.event_source_arn" && strings.Contains(strings.Join(u.Blocks, ","), "network") {
			t.Fatalf("the network is still blocked: %v", u)
		}
	}
}

// A group whose inline rules reference a value of apply stays unknown,
// and so does the cluster's network.
func TestPlanNewNetworkUnknownRules(t *testing.T) {
	raw, _ := os.ReadFile("testdata/plan-msk-new-network.json")
	doc := strings.Replace(string(raw), `"vpc_id": {"references": ["var.vpc_id"]},
                         "ingress": {"constant_value"`, `"vpc_id": {"references": ["var.vpc_id"]}, "egress": {"references": ["aws_security_group.other.id"]},
                         "ingress": {"constant_value"`, 1)
	if doc == string(raw) {
		t.Fatal("the replacement did not apply")
	}
	m, err := FromTerraformPlan([]byte(doc), "")
	if err != nil || m.Cluster != nil || m.Planned != nil {
		t.Fatalf("cluster %+v planned %+v err %v", m.Cluster, m.Planned, err)
	}
}

// TestTemplateNewNetwork reads the same network from a template: Ref and
// Fn::GetAtt ...GroupId to the new subnets and group become placeholder
// ids, the standalone self rule joins the group, and AWS's default egress
// rule stays (no SecurityGroupEgress).
func TestTemplateNewNetwork(t *testing.T) {
	raw, err := os.ReadFile("testdata/template-msk-new-network.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := FromCloudFormation(raw, "", map[string]string{"VpcId": "vpc-1", "RouteTableId": "rtb-1", "KafkaPort": "9098"}, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	if m.Cluster == nil || m.Planned == nil || strings.Join(m.Cluster.Subnets, " ") != "BrokersA BrokersB" || strings.Join(m.Cluster.SecurityGroups, " ") != "ClusterGroup" {
		t.Fatalf("cluster %+v planned %+v unknown %v", m.Cluster, m.Planned, m.Unknown)
	}
	g := m.Planned.Groups["ClusterGroup"]
	if len(g.Ingress) != 2 || g.Ingress[1].FromPort != 9098 || g.Ingress[1].Groups[0] != "ClusterGroup" || len(g.Egress) != 1 || g.Egress[0].Protocol != "-1" {
		t.Fatalf("group %+v", g)
	}
	if s := m.Planned.Subnets["BrokersB"]; s.VPC != "vpc-1" || s.AZ != "us-east-1b" || m.Planned.Tables["BrokersA"] != "rtb-1" {
		t.Fatalf("subnet %+v tables %v", s, m.Planned.Tables)
	}
	// Without the VPC, nothing is planned: the network stays unknown.
	m, _ = FromCloudFormation(raw, "", map[string]string{"RouteTableId": "rtb-1"}, "us-east-1")
	if m.Cluster != nil || m.Planned != nil {
		t.Fatalf("cluster %+v planned %+v", m.Cluster, m.Planned)
	}
}
