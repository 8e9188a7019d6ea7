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

// A self-managed mapping whose VPC_SUBNET and VPC_SECURITY_GROUP name a
// subnet and group the plan creates: the access configurations get their
// placeholder ids and are no longer unknown; a secret's unknown ARN still is.
func TestPlanSelfManagedNewNetwork(t *testing.T) {
	plan := `{"format_version": "1.2",
 "planned_values": {"root_module": {"resources": [
  {"address": "aws_subnet.pollers", "mode": "managed", "type": "aws_subnet", "values": {"vpc_id": "vpc-1", "cidr_block": "10.0.21.0/24", "availability_zone": "us-east-1a", "ipv6_cidr_block": "2600:1f18:0:21::/64"}},
  {"address": "aws_security_group.pollers", "mode": "managed", "type": "aws_security_group", "values": {"vpc_id": "vpc-1",
    "egress": [{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": ["::/0"], "self": false}]}},
  {"address": "aws_lambda_event_source_mapping.orders", "mode": "managed", "type": "aws_lambda_event_source_mapping",
   "values": {"function_name": "orders-consumer", "topics": ["orders"],
     "self_managed_event_source": [{"endpoints": {"KAFKA_BOOTSTRAP_SERVERS": "10.0.1.15:9096"}}],
     "source_access_configuration": [{"type": "VPC_SUBNET"}, {"type": "VPC_SECURITY_GROUP"}]}}]}},
 "resource_changes": [
  {"address": "aws_lambda_event_source_mapping.orders", "change": {"actions": ["create"], "after_unknown": {"source_access_configuration": [{"uri": true}, {"uri": true}]}}}],
 "configuration": {"root_module": {"resources": [
  {"address": "aws_lambda_event_source_mapping.orders", "expressions": {
    "source_access_configuration": [
      {"type": {"constant_value": "VPC_SUBNET"}, "uri": {"references": ["aws_subnet.pollers.id", "aws_subnet.pollers"]}},
      {"type": {"constant_value": "VPC_SECURITY_GROUP"}, "uri": {"references": ["aws_security_group.pollers.id", "aws_security_group.pollers"]}}]}}]}}}`
	m, err := FromTerraformPlan([]byte(plan), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Unknown) != 0 || m.Planned == nil || len(m.AccessConfigs) != 2 ||
		m.AccessConfigs[0] != [2]string{"VPC_SUBNET", "subnet:aws_subnet.pollers"} || m.AccessConfigs[1] != [2]string{"VPC_SECURITY_GROUP", "security_group:aws_security_group.pollers"} {
		t.Fatalf("access %v unknown %v planned %+v", m.AccessConfigs, m.Unknown, m.Planned)
	}
	s := m.Planned.Subnets["aws_subnet.pollers"]
	if len(s.IPv6) != 1 || s.IPv6[0].String() != "2600:1f18:0:21::/64" || len(m.Planned.Groups["aws_security_group.pollers"].Egress[0].CIDRs) != 2 {
		t.Fatalf("planned %+v", m.Planned)
	}
}
