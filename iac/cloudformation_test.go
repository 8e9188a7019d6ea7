package iac

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

func template(t *testing.T, name, resource string, params map[string]string) Mapping {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	m, err := FromCloudFormation(data, resource, params, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func unknowns(m Mapping) string {
	var out []string
	for _, u := range m.Unknown {
		out = append(out, u.String())
	}
	return strings.Join(out, "\n")
}

func TestCloudFormationYAMLShortForm(t *testing.T) {
	m := template(t, "template-msk.yaml", "", nil)
	if m.Address != "OrdersMapping" || m.EventSourceARN != "" || strings.Join(m.Topics, ",") != "orders" || m.Function != "orders-consumer" ||
		len(m.AccessConfigs) != 1 || m.AccessConfigs[0][1] != "arn:aws:secretsmanager:us-east-1:123456789012:secret:AmazonMSK_orders-AbCdEf" {
		t.Fatalf("%+v", m)
	}
	want := strings.Join([]string{
		"unknown until apply: Resources.OrdersMapping.Properties.EventSourceArn, Ref ClusterArn: a parameter without a value (give --parameter ClusterArn=VALUE) or an unknown name: blocks cluster, network, permissions, dns, tcp, tls, sasl, topic, brokers, group, poll",
		"unknown until apply: Resources.OrdersMapping.Properties.ConsumerGroupId, Ref AWS::StackName, known at deploy: blocks permissions, group",
		"unknown until apply: Resources.ConsumerFunction.Properties.Role, Fn::GetAtt ConsumerRole.Arn, known after deploy: blocks permissions",
	}, "\n")
	if got := unknowns(m); got != want {
		t.Fatalf("unknowns\n%s\nwant\n%s", got, want)
	}
	m = template(t, "template-msk.yaml", "", map[string]string{"ClusterArn": "arn:aws:kafka:us-east-1:123456789012:cluster/orders/uuid-1"})
	if m.EventSourceARN != "arn:aws:kafka:us-east-1:123456789012:cluster/orders/uuid-1" || strings.Contains(unknowns(m), "EventSourceArn") {
		t.Fatalf("with the parameter: %+v", m)
	}
}

func TestCloudFormationSAMSelfManaged(t *testing.T) {
	m := template(t, "template-sam.json", "Consumer.Orders", map[string]string{"SubnetId": "subnet-0abc"})
	if strings.Join(m.Bootstrap, ",") != "10.0.1.15:9096,10.0.2.15:9096" || m.ConsumerGroup != "orders-consumer" || !m.Provisioned ||
		len(m.AccessConfigs) != 3 || m.AccessConfigs[1] != [2]string{"VPC_SUBNET", "subnet:subnet-0abc"} ||
		m.AccessConfigs[0][1] != "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-scram-AbCdEf" {
		t.Fatalf("%+v", m)
	}
	if got := unknowns(m); got != "unknown until apply: Resources.Consumer.Properties.Role, Fn::If: an intrinsic function esmdoctor does not resolve before deploy: blocks permissions" {
		t.Fatalf("unknowns %s", got)
	}
	// Without the subnet parameter, the VPC_SUBNET configuration is unknown.
	m = template(t, "template-sam.json", "", nil)
	if !strings.Contains(unknowns(m), "SourceAccessConfigurations, Ref SubnetId: a parameter without a value") {
		t.Fatalf("unknowns %s", unknowns(m))
	}
}

func TestCloudFormationErrors(t *testing.T) {
	for _, c := range []struct{ data, resource, want string }{
		{"Resources: {}", "", "no Resources"},
		{"[1, 2]", "", "not a mapping"},
		{"{\"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\"}}}", "", "no Kafka event source mapping"},
		{"Resources:\n  A: !Ref [", "", "not valid YAML"},
	} {
		if _, err := FromCloudFormation([]byte(c.data), c.resource, nil, ""); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.data, err, c.want)
		}
	}
}

// A few lines of YAML aliases expand to 2^30 values: the reader stops.
func TestCloudFormationAliasBomb(t *testing.T) {
	doc := "a: &a [x, x]\n"
	prev := "a"
	for i := 0; i < 30; i++ {
		name := fmt.Sprintf("n%d", i)
		doc += fmt.Sprintf("%s: &%s [*%s, *%s]\n", name, name, prev, prev)
		prev = name
	}
	start := time.Now()
	if _, err := FromCloudFormation([]byte(doc), "", nil, ""); err == nil || !strings.Contains(err.Error(), "expands to more than") {
		t.Fatalf("err %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("took %s", d)
	}
}

// A cluster created in the same template: its ARN waits for deploy, its
// network (parameters) does not.
func TestCloudFormationPlannedCluster(t *testing.T) {
	m := template(t, "template-msk-cluster.yaml", "", map[string]string{"SubnetA": "subnet-a", "SubnetB": "subnet-b", "ClusterSecurityGroup": "sg-1"})
	c := m.Cluster
	if m.Address != "Consumer.Orders" || m.Role != "arn:aws:iam::123456789012:role/orders-consumer" || c == nil || c.Address != "OrdersCluster" ||
		strings.Join(c.Subnets, ",") != "subnet-a,subnet-b" || strings.Join(c.SecurityGroups, ",") != "sg-1" || !c.IAM || c.SCRAM {
		t.Fatalf("%+v %+v", m, c)
	}
	if got := unknowns(m); got != "unknown until apply: Resources.Consumer.Properties.Events.Orders.Properties.Stream, Fn::GetAtt OrdersCluster.Arn, known after deploy: blocks permissions, dns, tcp, tls, sasl, topic, brokers, group, poll" {
		t.Fatalf("unknowns %s", got)
	}
	// Without the subnets the network is unknown too: no planned cluster.
	if m := template(t, "template-msk-cluster.yaml", "", nil); m.Cluster != nil {
		t.Fatalf("planned cluster without its subnets: %+v", m.Cluster)
	}
}
