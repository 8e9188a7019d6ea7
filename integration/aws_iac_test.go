package integration

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/testbed/awsfake"
)

// esmdoctor audit --terraform-plan on plans in the documented format
// (iac/testdata/README.md): what the plan knows is audited against moto,
// what it leaves to apply is reported as unknown with the checks it blocks.
func TestAuditTerraformPlan(t *testing.T) {
	a := requireAWS(t)
	t.Run("MSK cluster created by the same plan, in existing subnets", func(t *testing.T) {
		v := a.newVPC(t)
		// The cluster's group lacks its self-referencing rule: the network
		// is audited from the plan before the cluster exists.
		v.revokeSelf()
		path := writeVariant(t, "plan-msk-new-cluster.json", strings.NewReplacer("subnet-0a1b2c3d4e5f60001", v.Subnets[0],
			"subnet-0a1b2c3d4e5f60002", v.Subnets[1], "sg-0a1b2c3d4e5f60001", v.SG))
		code, out, errOut := cliRun(t, nil, "audit", "--terraform-plan", path, "-o", "json")
		r := parseReport(t, out)
		if code != 1 || r.statuses() != "mapping=skip api=pass sts=pass secret=skip cluster=skip network=fail(ESM-NET-001) permissions=skip health=skip" || r.Target.Auth != "iam" {
			t.Fatalf("exit %d statuses %s\n%s%s", code, r.statuses(), out, errOut)
		}
		if !strings.Contains(r.Checks[5].Cause, "the brokers of aws_msk_cluster.orders (port 9098): security groups "+v.SG+" admit no TCP 9098") ||
			r.Checks[5].Problem != "PROBLEM: Connection error. Please check your event source connection configuration." {
			t.Fatalf("network %+v", r.Checks[5])
		}
		want := "unknown until apply: aws_lambda_event_source_mapping.orders.event_source_arn (known after apply (aws_msk_cluster.orders.arn"
		if !strings.HasPrefix(r.Checks[6].Reason, want) || !strings.Contains(strings.Join(r.Notes, "\n"), "aws_lambda_function.consumer.role, known after apply (aws_iam_role.consumer.arn") {
			t.Fatalf("permissions reason %q, notes %v", r.Checks[6].Reason, r.Notes)
		}
	})
	t.Run("MSK cluster in subnets and a security group the same plan creates", func(t *testing.T) {
		for _, c := range []struct {
			port, want, text string
		}{{"9092", "network=fail(ESM-NET-001)", "the brokers of aws_msk_cluster.orders (port 9098): security groups aws_security_group.msk admit no TCP 9098"},
			{"9098", "network=pass", "created by the infrastructure code, evaluated from it: aws_security_group.msk, aws_subnet.brokers_a, aws_subnet.brokers_b"}} {
			v := a.newVPC(t)
			// The endpoints' group cannot name a group that does not
			// exist yet: it admits HTTPS from the VPC.
			v.ingress(v.VPCESG, "tcp", 443, 443, v.CIDRPrefix+".0.0/16")
			path := writeVariant(t, "plan-msk-new-network.json", strings.NewReplacer("vpc-0a1b2c3d4e5f60001", v.VPC, "rtb-0a1b2c3d4e5f60001", v.MainTable,
				"10.0.", v.CIDRPrefix+".", `"from_port": 9092, "to_port": 9092`, `"from_port": `+c.port+`, "to_port": `+c.port,
				`{"constant_value": 9092}, "to_port": {"constant_value": 9092}`, `{"constant_value": `+c.port+`}, "to_port": {"constant_value": `+c.port+`}`))
			code, out, errOut := cliRun(t, nil, "audit", "--terraform-plan", path, "-o", "json")
			r := parseReport(t, out)
			if r.statuses() != "mapping=skip api=pass sts=pass secret=skip cluster=skip "+c.want+" permissions=skip health=skip" || code == 2 {
				t.Fatalf("self rule on %s: exit %d statuses %s\n%s%s", c.port, code, r.statuses(), out, errOut)
			}
			if got := r.Checks[5].Cause + strings.Join(r.Checks[5].Detail, "\n"); !strings.Contains(got, c.text) {
				t.Fatalf("self rule on %s: network %q lacks %q", c.port, got, c.text)
			}
		}
	})
	t.Run("self-managed mapping in existing subnets", func(t *testing.T) {
		v := a.newVPC(t)
		secret := a.secret(t, awsRegion, "orders-scram", scramJSON(a.Get("SCRAM_USER"), a.Get("SCRAM_PASSWORD")), "")
		raw, err := os.ReadFile("../iac/testdata/plan-self-managed.json")
		if err != nil {
			t.Fatal(err)
		}
		plan := strings.NewReplacer("subnet-0a1b2c3d4e5f60001", v.Subnets[0], "sg-0a1b2c3d4e5f60001", v.SG,
			"arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-scram-AbCdEf", secret, "10.0.1.15:9096,10.0.2.15:9096", v.CIDRPrefix+".1.15:9096",
			"eu-west-1", awsRegion).Replace(string(raw))
		path := filepath.Join(t.TempDir(), "plan.json")
		if err := os.WriteFile(path, []byte(plan), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := cliRun(t, nil, "audit", "--terraform-plan", path, "--region", awsRegion, "-o", "json")
		r := parseReport(t, out)
		// The broker address is in the VPC but owned by no interface of
		// moto's: not auditable from its side, a warning.
		if code != 0 || r.statuses() != "mapping=skip api=pass sts=pass secret=pass cluster=skip network=warn(ESM-NET-103) permissions=skip health=skip" {
			t.Fatalf("exit %d statuses %s\n%s%s", code, r.statuses(), out, errOut)
		}
		detail := strings.Join(r.Checks[5].Detail, "\n")
		if !strings.Contains(detail, "provisioned poller mode") || r.Target.ConsumerGroup != "orders-consumer" {
			t.Fatalf("network detail %s, target %+v", detail, r.Target)
		}
	})
}

// writeVariant writes a copy of a test template with replacements.
func writeVariant(t *testing.T, name string, r *strings.Replacer) string {
	t.Helper()
	raw, err := os.ReadFile("../iac/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(r.Replace(string(raw))), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// esmdoctor audit --cloudformation-template on templates in the documented
// format (YAML short form and a SAM event), parameters given with
// --parameter; what is known only at deploy blocks the checks it feeds.
func TestAuditCloudFormationTemplate(t *testing.T) {
	a := requireAWS(t)
	t.Run("YAML: MSK mapping, cluster ARN as a parameter", func(t *testing.T) {
		v := a.newVPC(t)
		cmk := "arn:aws:kms:us-east-1:" + motoAccount + ":key/1234abcd-12ab-34cd-56ef-1234567890ab"
		secret := a.secret(t, awsRegion, fmt.Sprintf("AmazonMSK_cfn%d", time.Now().UnixNano()%1e9), scramJSON(a.Get("SCRAM_USER"), a.Get("SCRAM_PASSWORD")), cmk)
		arn := mskCluster(t, a, awsfake.Cluster{SCRAM: true, Subnets: v.Subnets, SecurityGroups: []string{v.SG}, Bootstrap: awsfake.Bootstrap{SASLSCRAM: a.Get("SASL_SSL")}})
		path := writeVariant(t, "template-msk.yaml", strings.NewReplacer(`!Sub "arn:aws:secretsmanager:${AWS::Region}:${AccountId}:secret:AmazonMSK_orders-AbCdEf"`, secret))
		code, out, errOut := cliRun(t, nil, "audit", "--cloudformation-template", path, "--parameter", "ClusterArn="+arn, "-o", "json")
		r := parseReport(t, out)
		if code != 0 || r.statuses() != "mapping=skip api=pass sts=pass secret=pass cluster=pass network=pass permissions=skip health=skip" {
			t.Fatalf("exit %d statuses %s\n%s%s", code, r.statuses(), out, errOut)
		}
		notes := strings.Join(r.Notes, "\n")
		if !strings.HasPrefix(r.Checks[6].Reason, "unknown until apply: Resources.OrdersMapping.Properties.ConsumerGroupId (Ref AWS::StackName, known at deploy)") ||
			!strings.Contains(notes, "Resources.ConsumerFunction.Properties.Role, Fn::GetAtt ConsumerRole.Arn, known after deploy: blocks permissions") {
			t.Fatalf("permissions reason %q, notes %s", r.Checks[6].Reason, notes)
		}
	})
	t.Run("MSK cluster in subnets and a security group the same template creates", func(t *testing.T) {
		for _, c := range []struct {
			port, want, text string
		}{{"9092", "network=fail(ESM-NET-001)", "security groups ClusterGroup admit no TCP 9098"},
			{"9098", "network=pass", "created by the infrastructure code, evaluated from it: BrokersA, BrokersB, ClusterGroup"}} {
			v := a.newVPC(t)
			v.ingress(v.VPCESG, "tcp", 443, 443, v.CIDRPrefix+".0.0/16")
			path := writeVariant(t, "template-msk-new-network.yaml", strings.NewReplacer("10.0.", v.CIDRPrefix+"."))
			code, out, errOut := cliRun(t, nil, "audit", "--cloudformation-template", path, "--parameter", "VpcId="+v.VPC,
				"--parameter", "RouteTableId="+v.MainTable, "--parameter", "KafkaPort="+c.port, "--region", awsRegion, "-o", "json")
			r := parseReport(t, out)
			if r.statuses() != "mapping=skip api=pass sts=pass secret=skip cluster=skip "+c.want+" permissions=skip health=skip" || code == 2 {
				t.Fatalf("self rule on %s: exit %d statuses %s\n%s%s", c.port, code, r.statuses(), out, errOut)
			}
			if got := r.Checks[5].Cause + strings.Join(r.Checks[5].Detail, "\n"); !strings.Contains(got, c.text) {
				t.Fatalf("self rule on %s: network %q lacks %q", c.port, got, c.text)
			}
		}
	})
	t.Run("SAM: self-managed event in a subnet given as a parameter", func(t *testing.T) {
		v := a.newVPC(t)
		secret := a.secret(t, awsRegion, "cfn-scram", scramJSON(a.Get("SCRAM_USER"), a.Get("SCRAM_PASSWORD")), "")
		path := writeVariant(t, "template-sam.json", strings.NewReplacer("sg-0a1b2c3d4e5f60001", v.SG, "10.0.1.15:9096", v.CIDRPrefix+".1.15:9096", "10.0.2.15:9096", v.CIDRPrefix+".2.15:9096"))
		code, out, errOut := cliRun(t, nil, "audit", "--cloudformation-template", path, "--parameter", "SubnetId="+v.Subnets[0],
			"--parameter", "ScramSecret="+secret, "-o", "json")
		if code == 2 {
			t.Fatalf("exit 2: %s", errOut)
		}
		r := parseReport(t, out)
		if code != 0 || r.statuses() != "mapping=skip api=pass sts=pass secret=pass cluster=skip network=warn(ESM-NET-103) permissions=skip health=skip" {
			t.Fatalf("exit %d statuses %s\n%s%s", code, r.statuses(), out, errOut)
		}
		if !strings.Contains(r.Checks[6].Reason, "Fn::If: an intrinsic function esmdoctor does not resolve before deploy") {
			t.Fatalf("permissions reason %q", r.Checks[6].Reason)
		}
	})
}
