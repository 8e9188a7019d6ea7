package main

import (
	"strings"
	"testing"
)

// registryTemplate is a self-managed mapping on a closed port, on-demand
// (no ProvisionedPollerConfig), whose SchemaRegistryURI is uri.
func registryTemplate(uri string) string {
	return `Resources:
  Reg:
    Type: AWS::Glue::Registry
    Properties: {Name: orders}
  Orders:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: arn:aws:lambda:eu-west-1:123456789012:function:orders-consumer
      Topics: [orders]
      SelfManagedEventSource: {Endpoints: {KafkaBootstrapServers: ["127.0.0.1:1"]}}
      SelfManagedKafkaEventSourceConfig:
        ConsumerGroupId: orders-consumer
        SchemaRegistryConfig:
          SchemaRegistryURI: ` + uri + `
          EventRecordFormat: JSON
`
}

// closedAWS points AWS calls at a closed port: only the target matters.
func closedAWS(t *testing.T) {
	for k, v := range map[string]string{"AWS_ACCESS_KEY_ID": "AKIDPLAN", "AWS_SECRET_ACCESS_KEY": "plan-secret", "AWS_SESSION_TOKEN": "",
		"AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_EC2_METADATA_DISABLED": "true", "AWS_PROFILE": "", "AWS_CONFIG_FILE": "/nonexistent",
		"AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"} {
		t.Setenv(k, v)
	}
}

// registryResult runs esmdoctor and returns the registry check's result.
func registryResult(t *testing.T, args ...string) (status, code, reason string) {
	t.Helper()
	closedAWS(t)
	_, out, errOut := esm(t, append(args, "--region", "eu-west-1", "-o", "json", "--timeout", "5s")...)
	for _, c := range parseJSON(t, out).Checks {
		if c.ID == "registry" {
			return c.Status, c.Code, c.Reason
		}
	}
	t.Fatalf("no registry check in\n%s%s", out, errOut)
	return "", "", ""
}

// The SchemaRegistryConfig of a CloudFormation template or a Terraform plan
// reaches the registry check as the flag's does: the same on-demand
// mapping fails with ESM-REGISTRY-001 (a registry needs provisioned mode)
// from all three inputs. Before, the code's registry was dropped and the
// check was not applicable.
func TestIaCRegistryReachesCheck(t *testing.T) {
	plan := write(t, "plan.json", `{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
  {"address": "aws_lambda_event_source_mapping.orders", "mode": "managed", "type": "aws_lambda_event_source_mapping", "name": "orders",
   "values": {"function_name": "arn:aws:lambda:eu-west-1:123456789012:function:orders-consumer", "topics": ["orders"],
     "self_managed_event_source": [{"endpoints": {"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1"}}],
     "self_managed_kafka_event_source_config": [{"consumer_group_id": "orders-consumer",
       "schema_registry_config": [{"schema_registry_uri": "http://127.0.0.1:1", "event_record_format": "JSON"}]}]}}]}},
 "resource_changes": [{"address": "aws_lambda_event_source_mapping.orders", "mode": "managed", "type": "aws_lambda_event_source_mapping",
   "name": "orders", "change": {"actions": ["create"]}}]}`)
	for name, args := range map[string][]string{
		"flag": {"check", "-b", "127.0.0.1:1", "-t", "orders", "--auth", "tls",
			"--self-managed-kafka-event-source-config", `{"ConsumerGroupId":"orders-consumer","SchemaRegistryConfig":{"SchemaRegistryURI":"http://127.0.0.1:1","EventRecordFormat":"JSON"}}`},
		"template": {"check", "--cloudformation-template", write(t, "template.yaml", registryTemplate(`"http://127.0.0.1:1"`))},
		"plan":     {"check", "--terraform-plan", plan},
	} {
		if status, code, _ := registryResult(t, args...); status != "fail" || code != "ESM-REGISTRY-001" {
			t.Errorf("%s: registry %s %s, want fail ESM-REGISTRY-001", name, status, code)
		}
	}
}

// A SchemaRegistryURI known only after deploy blocks the registry check,
// naming the member.
func TestIaCRegistryUnknownBlocks(t *testing.T) {
	tmpl := write(t, "template.yaml", registryTemplate("!GetAtt Reg.Arn"))
	status, code, reason := registryResult(t, "check", "--cloudformation-template", tmpl)
	want := "unknown until apply: Resources.Orders.Properties.SelfManagedKafkaEventSourceConfig.SchemaRegistryConfig.SchemaRegistryURI (Fn::GetAtt Reg.Arn, known after deploy)"
	if status != "skip" || code != "" || reason != want {
		t.Fatalf("registry %s %s %q, want skip %q", status, code, reason, want)
	}
}

// The code gives the Kafka configuration: the flag that would give it
// again is refused rather than silently ignored.
func TestIaCRefusesKafkaConfigFlag(t *testing.T) {
	tmpl := write(t, "template.yaml", registryTemplate(`"http://127.0.0.1:1"`))
	code, out, errOut := esm(t, "check", "--cloudformation-template", tmpl, "--self-managed-kafka-event-source-config", `{"ConsumerGroupId":"g"}`)
	if code != exitUsage || !strings.Contains(errOut, "--self-managed-kafka-event-source-config: not with --terraform-plan or --cloudformation-template") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
}

// A SAM SelfManagedKafka event's ConsumptionMode reaches the target: a
// Queue mapping's group check is about its share group.
func TestSAMConsumptionModeQueue(t *testing.T) {
	tmpl := write(t, "template.yaml", `Resources:
  Consumer:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: orders-consumer
      Role: arn:aws:iam::123456789012:role/orders-consumer
      Events:
        Orders:
          Type: SelfManagedKafka
          Properties:
            KafkaBootstrapServers: ["127.0.0.1:1"]
            Topics: [orders]
            ConsumerGroupId: orders-share
            ConsumptionMode: Queue
`)
	closedAWS(t)
	_, out, errOut := esm(t, "check", "--cloudformation-template", tmpl, "--region", "eu-west-1", "-o", "json", "--timeout", "5s")
	if !strings.Contains(out, `"title": "the principal may use the mapping's share group"`) {
		t.Fatalf("no share-group title\n%s%s", out, errOut)
	}
}
