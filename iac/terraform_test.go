package iac

import (
	"os"
	"strings"
	"testing"
)

func load(t *testing.T, name, address string) Mapping {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	m, err := FromTerraformPlan(data, address)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// A cluster, a role, a function and the mapping created together: what is
// known before apply is read, the rest is unknown with the checks it
// blocks, never guessed.
func TestPlanNewMSKCluster(t *testing.T) {
	m := load(t, "plan-msk-new-cluster.json", "")
	if m.Address != "aws_lambda_event_source_mapping.orders" || m.Region != "us-east-1" || m.EventSourceARN != "" ||
		strings.Join(m.Topics, ",") != "orders" || m.ConsumerGroup != "orders-consumer" || m.Function != "orders-consumer" || m.Role != "" {
		t.Fatalf("%+v", m)
	}
	// The cluster is new, but its network is not: the plan knows it.
	if c := m.Cluster; c == nil || c.Address != "aws_msk_cluster.orders" || strings.Join(c.Subnets, ",") != "subnet-0a1b2c3d4e5f60001,subnet-0a1b2c3d4e5f60002" ||
		strings.Join(c.SecurityGroups, ",") != "sg-0a1b2c3d4e5f60001" || !c.IAM || c.SCRAM || c.TLS {
		t.Fatalf("planned cluster %+v", m.Cluster)
	}
	var got []string
	for _, u := range m.Unknown {
		got = append(got, u.String())
	}
	want := []string{
		"unknown until apply: aws_lambda_event_source_mapping.orders.event_source_arn, known after apply (aws_msk_cluster.orders.arn, aws_msk_cluster.orders): blocks permissions, dns, tcp, tls, sasl, topic, brokers, group, poll",
		"unknown until apply: aws_lambda_function.consumer.role, known after apply (aws_iam_role.consumer.arn, aws_iam_role.consumer): blocks permissions",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("unknowns\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestPlanSelfManagedInAModule(t *testing.T) {
	m := load(t, "plan-self-managed.json", "")
	if m.Address != "module.consumer.aws_lambda_event_source_mapping.this" || m.Region != "" ||
		strings.Join(m.Bootstrap, ",") != "10.0.1.15:9096,10.0.2.15:9096" || m.ConsumerGroup != "orders-consumer" ||
		!m.Provisioned || m.Destination != "arn:aws:sqs:eu-west-1:123456789012:orders-dlq" || len(m.Unknown) != 0 {
		t.Fatalf("%+v", m)
	}
	if len(m.AccessConfigs) != 3 || m.AccessConfigs[1] != [2]string{"VPC_SUBNET", "subnet:subnet-0a1b2c3d4e5f60001"} {
		t.Fatalf("access %v", m.AccessConfigs)
	}
}

func TestPlanErrors(t *testing.T) {
	data, _ := os.ReadFile("testdata/plan-msk-new-cluster.json")
	for _, c := range []struct {
		data, address, want string
	}{
		{"{}", "", "no format_version"},
		{"not json", "", "not the JSON of terraform show -json"},
		{string(data), "aws_lambda_event_source_mapping.other", "no Kafka event source mapping at aws_lambda_event_source_mapping.other"},
		{`{"format_version":"1.2","planned_values":{"root_module":{}}}`, "", "the plan has no Kafka event source mapping"},
	} {
		if _, err := FromTerraformPlan([]byte(c.data), c.address); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.data[:min(len(c.data), 20)], err, c.want)
		}
	}
}
