package integration

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/testbed/awsfake"
)

// auditCase is one real user's mistake, built in moto (EC2, IAM) and the
// fake (MSK, SimulatePrincipalPolicy), audited without touching a broker.
type auditCase struct {
	name string
	// build changes the healthy network and returns the run's
	// configuration (mskAudit by default).
	build               func(t *testing.T, a awsBed, v *vpcBed) checks.Config
	check, status, code string
	problem             catalog.ProblemID
	cause               string // in the rendered cause (or, for a pass, the details)
	detail              string // in the details, when set
}

// mskAudit is an MSK IAM mapping on the VPC's subnets and security group,
// its execution role (given) allowed everything through its own policies.
func mskAudit(t *testing.T, a awsBed, v *vpcBed, role string, mod ...func(*checks.AWSConfig)) checks.Config {
	cluster := awsfake.Cluster{IAM: true, Subnets: v.Subnets, SecurityGroups: []string{v.SG}, Bootstrap: awsfake.Bootstrap{SASLIAM: a.Get("IAM")}}
	if role == "" {
		role = a.execRole(t, "esm-ok", lambdaTrust, mskExecutionRole, dataPlanePolicy)
	}
	mods := append([]func(*checks.AWSConfig){func(c *checks.AWSConfig) { c.Options.RoleARN = role }}, mod...)
	return mskConfig(a, mskCluster(t, a, cluster), nil, mods...)
}

func networkOnly(f func(v *vpcBed)) func(*testing.T, awsBed, *vpcBed) checks.Config {
	return func(t *testing.T, a awsBed, v *vpcBed) checks.Config {
		f(v)
		return mskAudit(t, a, v, "")
	}
}

func withRole(trust string, policies ...string) func(*testing.T, awsBed, *vpcBed) checks.Config {
	return func(t *testing.T, a awsBed, v *vpcBed) checks.Config {
		return mskAudit(t, a, v, a.execRole(t, "esm-role", trust, policies...))
	}
}

// simulated scripts SimulatePrincipalPolicy: every action allowed but deny.
func simulated(deny ...string) func(*testing.T, awsBed, *vpcBed) checks.Config {
	return func(t *testing.T, a awsBed, v *vpcBed) checks.Config {
		role := a.execRole(t, "esm-sim", lambdaTrust)
		d := awsfake.Decisions{}
		for _, act := range []string{"kafka:DescribeClusterV2", "kafka:GetBootstrapBrokers", "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
			"ec2:DeleteNetworkInterface", "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "kafka-cluster:Connect",
			"kafka-cluster:DescribeClusterDynamicConfiguration", "kafka-cluster:DescribeTopic", "kafka-cluster:ReadData", "kafka-cluster:DescribeGroup",
			"kafka-cluster:AlterGroup", "secretsmanager:GetSecretValue", "kms:Decrypt"} {
			d[act] = "allowed"
		}
		for _, act := range deny {
			d[act] = "implicitDeny"
		}
		a.fake.Simulate(role, d)
		return mskAudit(t, a, v, role)
	}
}

// scramAudit is an MSK SCRAM mapping whose secret (AmazonMSK_, a
// customer-managed key) lives in moto.
func scramAudit(t *testing.T, a awsBed, v *vpcBed, role string) checks.Config {
	cmk := "arn:aws:kms:us-east-1:" + motoAccount + ":key/1234abcd-12ab-34cd-56ef-1234567890ab"
	arn := a.secret(t, awsRegion, fmt.Sprintf("AmazonMSK_audit%d", time.Now().UnixNano()%1e9), scramJSON(a.Get("SCRAM_USER"), a.Get("SCRAM_PASSWORD")), cmk)
	cluster := awsfake.Cluster{SCRAM: true, Subnets: v.Subnets, SecurityGroups: []string{v.SG}, Bootstrap: awsfake.Bootstrap{SASLSCRAM: a.Get("SASL_SSL")}}
	return mskConfig(a, mskCluster(t, a, cluster), &awsprobe.AccessConfig{Type: "SASL_SCRAM_512_AUTH", URI: arn}, func(c *checks.AWSConfig) { c.Options.RoleARN = role })
}

// selfManagedAudit is a self-managed mapping in the VPC's first subnet.
func selfManagedAudit(a awsBed, v *vpcBed, broker string, subnets ...string) checks.Config {
	if len(subnets) == 0 {
		subnets = v.Subnets[:1]
	}
	var acs []awsprobe.AccessConfig
	for _, s := range subnets {
		acs = append(acs, awsprobe.AccessConfig{Type: "VPC_SUBNET", URI: "subnet:" + s})
	}
	acs = append(acs, awsprobe.AccessConfig{Type: "VPC_SECURITY_GROUP", URI: "security_group:" + v.SG})
	return checks.Config{Bootstrap: a.hostPorts(broker), Topic: "orders", Auth: checks.AuthTLS, ConsumerGroup: a.group(), AWS: awsConfig(func(c *checks.AWSConfig) { c.AccessConfigs = acs })}
}

var auditCases = []auditCase{
	{name: "healthy: interface endpoints", build: networkOnly(func(*vpcBed) {}), check: "network", status: "pass", cause: "interface endpoints for lambda, sts with private DNS"},
	{name: "healthy: NAT gateway in a public subnet", build: networkOnly(func(v *vpcBed) {
		v.dropEndpoints("lambda", "sts", "secretsmanager")
		v.natIn(v.internetGateway())
	}), check: "network", status: "pass", cause: "whose route table"},
	{name: "provisioned mapping without endpoints or NAT", build: func(t *testing.T, a awsBed, v *vpcBed) checks.Config {
		v.dropEndpoints("lambda", "sts", "secretsmanager")
		return mskAudit(t, a, v, "", func(c *checks.AWSConfig) { c.Provisioned = true })
	}, check: "network", status: "pass", cause: "provisioned poller mode"},
	{name: "cluster security group without a self-referencing rule", build: networkOnly(func(v *vpcBed) {
		v.revokeSelf()
		v.ingress(v.SG, "tcp", 443, 443, v.CIDRPrefix+".0.0/16")
	}), check: "network", status: "fail", code: "ESM-NET-001", problem: "P1", cause: "admit no TCP {port}"},
	{name: "cluster security group without egress to the brokers", build: networkOnly(func(v *vpcBed) { v.revokeEgress() }),
		check: "network", status: "fail", code: "ESM-NET-002", problem: "P1", cause: "allow no outbound TCP {port}"},
	{name: "network ACL blocking the ephemeral ports", build: networkOnly(func(v *vpcBed) { v.strictACL(v.Subnets[1], v.brokerPort()) }),
		check: "network", status: "fail", code: "ESM-NET-003", problem: "P1", cause: "(ephemeral ports) on TCP 1024-65535"},
	{name: "public subnet without NAT or endpoints", build: networkOnly(func(v *vpcBed) {
		v.dropEndpoints("lambda", "sts", "secretsmanager")
		v.internetGateway()
		v.route(v.MainTable, "0.0.0.0/0", func(in *ec2CreateRoute) { in.GatewayId = &v.InternetGW })
	}), check: "network", status: "fail", code: "ESM-NET-005", problem: "P2", cause: "an internet gateway"},
	{name: "NAT gateway in a private subnet", build: networkOnly(func(v *vpcBed) {
		v.dropEndpoints("lambda", "sts", "secretsmanager")
		v.natIn(v.Subnets[1])
	}), check: "network", status: "fail", code: "ESM-NET-013", problem: "P2", cause: "to no internet gateway"},
	{name: "STS endpoint without private DNS", build: networkOnly(func(v *vpcBed) {
		v.dropEndpoints("sts")
		v.endpoint("sts", false, v.Subnets, "")
	}), check: "network", status: "fail", code: "ESM-NET-007", problem: "P2", cause: "private DNS off"},
	{name: "endpoint security group without 443", build: networkOnly(func(v *vpcBed) { v.revokeEndpoint443() }),
		check: "network", status: "fail", code: "ESM-NET-009", problem: "P2", cause: "admit no TCP 443"},
	{name: "VPC without DNS hostnames", build: networkOnly(func(v *vpcBed) { v.dns(true, false) }),
		check: "network", status: "fail", code: "ESM-NET-008", problem: "P2", cause: "enableDnsHostnames off"},
	{name: "STS endpoint policy denying AssumeRole", build: networkOnly(func(v *vpcBed) {
		v.dropEndpoints("sts")
		v.endpoint("sts", true, v.Subnets, `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole","Resource":"*"},{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`)
	}), check: "network", status: "fail", code: "ESM-NET-011", problem: "P3", cause: "does not allow sts:AssumeRole by lambda.amazonaws.com"},
	{name: "SCRAM mapping without a Secrets Manager endpoint", build: func(t *testing.T, a awsBed, v *vpcBed) checks.Config {
		v.dropEndpoints("secretsmanager")
		return scramAudit(t, a, v, a.execRole(t, "esm-scram", lambdaTrust, mskExecutionRole, secretPolicy))
	}, check: "network", status: "fail", code: "ESM-NET-006", problem: "P2", cause: "com.amazonaws.us-east-1.secretsmanager"},
	{name: "cross-AZ subnet without an endpoint", build: networkOnly(func(v *vpcBed) {
		v.dropEndpoints("lambda", "sts", "secretsmanager")
		for _, s := range []string{"lambda", "sts"} {
			v.endpoint(s, true, v.Subnets[:1], "")
		}
	}), check: "network", status: "warn", code: "ESM-NET-104", cause: "has no subnet in us-east-1b"},
	{name: "self-managed brokers outside AWS", build: func(t *testing.T, a awsBed, v *vpcBed) checks.Config {
		v.natIn(v.internetGateway())
		return selfManagedAudit(a, v, "203.0.113.10:9094")
	}, check: "network", status: "warn", code: "ESM-NET-103", cause: "outside this account's VPCs"},
	{name: "self-managed broker with no route from the poller subnet", build: func(t *testing.T, a awsBed, v *vpcBed) checks.Config {
		return selfManagedAudit(a, v, "172.31.5.10:9094")
	}, check: "network", status: "fail", code: "ESM-NET-004", problem: "P1", cause: "no route covers it"},
	{name: "self-managed broker in the VPC whose group does not admit the pollers", build: func(t *testing.T, a awsBed, v *vpcBed) checks.Config {
		v.eni(v.Subnets[1], v.CIDRPrefix+".2.50", v.group("broker"))
		return selfManagedAudit(a, v, v.CIDRPrefix+".2.50:9094")
	}, check: "network", status: "fail", code: "ESM-NET-001", problem: "P1", cause: ".2.50:9094: security groups sg-"},
	{name: "poller subnet without a free address", build: func(t *testing.T, a awsBed, v *vpcBed) checks.Config {
		full := v.fullSubnet()
		return selfManagedAudit(a, v, v.CIDRPrefix+".1.50:9094", full)
	}, check: "network", status: "fail", code: "ESM-NET-014", cause: "has 0 free addresses"},
	{name: "cluster subnet that does not exist", build: networkOnly(func(v *vpcBed) { v.Subnets = append(v.Subnets, "subnet-0000000000000dead") }),
		check: "network", status: "fail", code: "ESM-NET-015", cause: "subnet-0000000000000dead"},
	{name: "role with only the managed AWSLambdaMSKExecutionRole policy", build: withRole(lambdaTrust, mskExecutionRole),
		check: "permissions", status: "fail", code: "ESM-PERM-003", problem: "P4", cause: "kafka-cluster:Connect on arn:aws:kafka:us-east-1:"},
	{name: "role granting kafka:* instead of kafka-cluster:*", build: withRole(lambdaTrust, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kafka:*","ec2:*"],"Resource":"*"}]}`),
		check: "permissions", status: "fail", code: "ESM-PERM-003", problem: "P4", cause: "kafka-cluster:Connect"},
	{name: "ec2 actions scoped to the cluster ARN", build: func(t *testing.T, a awsBed, v *vpcBed) checks.Config {
		cfg := mskAudit(t, a, v, "x")
		scoped := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kafka:*","ec2:*"],"Resource":"` + cfg.AWS.EventSourceARN + `"}]}`
		cfg.AWS.Options.RoleARN = a.execRole(t, "esm-scoped", lambdaTrust, scoped, dataPlanePolicy)
		return cfg
	}, check: "permissions", status: "fail", code: "ESM-PERM-005", cause: "ec2:CreateNetworkInterface on *"},
	{name: "trust policy without lambda.amazonaws.com", build: withRole(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`, mskExecutionRole, dataPlanePolicy),
		check: "permissions", status: "fail", code: "ESM-PERM-001", problem: "P3", cause: "Service:ec2.amazonaws.com"},
	{name: "trust policy requiring a source identity", build: withRole(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":["sts:AssumeRole","sts:SetSourceIdentity"],"Condition":{"StringLike":{"sts:SourceIdentity":"*"}}}]}`, mskExecutionRole, dataPlanePolicy),
		check: "permissions", status: "fail", code: "ESM-PERM-002", problem: "P3", cause: "sts:SourceIdentity"},
	{name: "simulated: role without kafka-cluster:ReadData", build: simulated("kafka-cluster:ReadData"),
		check: "permissions", status: "fail", code: "ESM-PERM-004", problem: "P5", cause: "kafka-cluster:ReadData on arn:aws:kafka:us-east-1:"},
	{name: "simulated: role without kafka-cluster:Connect", build: simulated("kafka-cluster:Connect"),
		check: "permissions", status: "fail", code: "ESM-PERM-003", problem: "P4", cause: "kafka-cluster:Connect"},
	{name: "simulated: every action allowed", build: simulated(), check: "permissions", status: "pass", cause: "iam:SimulatePrincipalPolicy"},
	{name: "secret's KMS key not decryptable", build: func(t *testing.T, a awsBed, v *vpcBed) checks.Config {
		role := a.execRole(t, "esm-kms", lambdaTrust, mskExecutionRole, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`)
		return scramAudit(t, a, v, role)
	}, check: "permissions", status: "fail", code: "ESM-PERM-006", cause: "kms:Decrypt on arn:aws:kms:us-east-1:" + motoAccount + ":key/1234abcd"},
	{name: "execution role that does not exist", build: func(t *testing.T, a awsBed, v *vpcBed) checks.Config {
		return mskAudit(t, a, v, "arn:aws:iam::"+motoAccount+":role/gone-"+a.tag)
	}, check: "permissions", status: "fail", code: "ESM-PERM-008", problem: "P3", cause: "IAM has no such role"},
}

func TestAuditScenarios(t *testing.T) {
	a := requireAWS(t)
	for _, c := range append(append(append([]auditCase(nil), auditCases...), destinationAuditCases...), brokerENICases...) {
		t.Run(c.name, func(t *testing.T) {
			v := a.newVPC(t)
			rs := runAudit(t, c.build(t, a, v))
			if got := ids(rs); got != strings.Join(checks.AuditIDs, " ") {
				t.Fatalf("audit ran %s", got)
			}
			r := find(t, rs, c.check)
			if string(r.Status) != c.status || r.Code != c.code {
				for _, x := range rs {
					t.Logf("%-12s %-4s %s %s %s %v", x.ID, x.Status, x.Code, x.Reason, x.Cause(), x.Detail)
				}
				t.Fatalf("%s = %s %s, want %s %s", c.check, r.Status, r.Code, c.status, c.code)
			}
			wantProblem(t, r, c.problem)
			if d := strings.Join(r.Detail, "\n"); !strings.Contains(d, c.detail) {
				t.Fatalf("detail lacks %q:\n%s", c.detail, d)
			}
			if c.status == "pass" {
				if d := strings.Join(r.Detail, "\n"); !strings.Contains(d, c.cause) {
					t.Fatalf("detail lacks %q:\n%s", c.cause, d)
				}
				return
			}
			wantNoPlaceholder(t, r)
			cause := strings.ReplaceAll(c.cause, "{port}", strconv.Itoa(int(brokerPort(a))))
			if !strings.Contains(r.Cause(), cause) {
				t.Fatalf("cause %q lacks %q", r.Cause(), cause)
			}
			if c.status == "fail" && !strings.Contains(r.Remediation(), "aws ") && c.code != "ESM-NET-015" {
				t.Fatalf("fix %q is no AWS CLI command", r.Remediation())
			}
		})
	}
}

// TestAuditCLICallsAndTime runs esmdoctor audit on an MSK IAM mapping read
// with --esm, every AWS endpoint pointed at the fake (which forwards to
// moto) so that every request is counted: the audit makes a bounded number
// of calls and ends within 2 s (docs/performance.md has the figures).
func TestAuditCLICallsAndTime(t *testing.T) {
	a := requireAWS(t)
	v := a.newVPC(t)
	fn, role := a.function(t, "audit-consumer")
	arn := mskCluster(t, a, awsfake.Cluster{IAM: true, Subnets: v.Subnets, SecurityGroups: []string{v.SG}, Bootstrap: awsfake.Bootstrap{SASLIAM: a.Get("IAM")}})
	id := a.uuid(21)
	a.fake.AddMapping(awsfake.Mapping{UUID: id, FunctionARN: fn, EventSourceARN: arn, Topics: []string{a.Get("TOPIC")}})
	var env []string
	for _, svc := range []string{"STS", "SECRETS_MANAGER", "EC2", "IAM", "KAFKA", "LAMBDA"} {
		env = append(env, "AWS_ENDPOINT_URL_"+svc+"="+a.fake.URL())
	}
	esmdoctorCLI(t) // build first: the timing is of the run only
	before := a.fake.Requests()
	start := time.Now()
	code, out, errOut := cliRun(t, env, "audit", "--esm", id, "--role-arn", role, "-o", "json")
	elapsed := time.Since(start)
	r := parseReport(t, out)
	want := "mapping=pass api=pass sts=pass secret=skip cluster=pass network=pass permissions=warn(ESM-PERM-101) health=skip"
	if code != 0 || r.statuses() != want {
		t.Fatalf("exit %d statuses %s\n%s%s", code, r.statuses(), out, errOut)
	}
	total, by := 0, map[string]int{}
	for op, n := range a.fake.Requests() {
		if d := n - before[op]; d > 0 {
			by[op], total = d, total+d
		}
	}
	t.Logf("esmdoctor audit: %d AWS requests in %s: %v", total, elapsed.Round(time.Millisecond), by)
	if total > 30 {
		t.Fatalf("%d AWS requests, want a bounded audit (at most 30): %v", total, by)
	}
	if elapsed > 2*time.Second {
		t.Fatalf("audit took %s, want within 2 s", elapsed)
	}
}
