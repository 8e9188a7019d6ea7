package netaudit

import "testing"

const (
	clusterARN  = "arn:aws:kafka:us-east-1:123456789012:cluster/orders/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-2"
	roleARN     = "arn:aws:iam::123456789012:role/orders-consumer"
	lambdaTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	// mskExecutionRole is the managed policy AWSLambdaMSKExecutionRole's
	// statement: no kafka-cluster action.
	mskExecutionRole = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kafka:DescribeCluster","kafka:DescribeClusterV2","kafka:GetBootstrapBrokers","ec2:CreateNetworkInterface","ec2:DescribeNetworkInterfaces","ec2:DescribeVpcs","ec2:DeleteNetworkInterface","ec2:DescribeSubnets","ec2:DescribeSecurityGroups","logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}`
	dataPlane        = `{"Version":"2012-10-17","Statement":[{"Sid":"Data","Effect":"Allow","Action":["kafka-cluster:Connect","kafka-cluster:DescribeClusterDynamicConfiguration","kafka-cluster:DescribeTopic","kafka-cluster:ReadData","kafka-cluster:DescribeGroup","kafka-cluster:AlterGroup"],"Resource":["arn:aws:kafka:us-east-1:123456789012:cluster/orders/*","arn:aws:kafka:us-east-1:123456789012:topic/orders/*","arn:aws:kafka:us-east-1:123456789012:group/orders/*"]}]}`
)

func iamNeeds() []Requirement {
	return Required(Needs{ClusterARN: clusterARN, Topic: "orders", Group: "g-1", IAM: true})
}

func role(trust string, docs ...string) Role {
	r := Role{ARN: roleARN, Name: "orders-consumer", Trust: trust}
	for i, d := range docs {
		r.Policies = append(r.Policies, PolicyDoc{Name: "policy-" + string(rune('a'+i)), Document: d})
	}
	return r
}

func TestAnalyzeRole(t *testing.T) {
	simulatedAll := func(d Decision, except ...string) map[string]Decision {
		m := map[string]Decision{}
		for _, q := range iamNeeds() {
			m[Key(q.Action, q.Resource)] = d
		}
		for _, a := range except {
			for _, q := range iamNeeds() {
				if q.Action == a {
					m[Key(q.Action, q.Resource)] = ImplicitDeny
				}
			}
		}
		return m
	}
	cases := []struct {
		name          string
		p             Permissions
		code, problem string
		cause, fix    string
	}{
		{name: "read policies: complete role", p: Permissions{Role: role(lambdaTrust, mskExecutionRole, dataPlane), SimulateErr: "AccessDenied"},
			code: "ESM-PERM-101", cause: "were not evaluated"},
		{name: "simulated: complete role", p: Permissions{Role: role(lambdaTrust), Simulated: simulatedAll(Allowed)}},
		{name: "only the managed policy", p: Permissions{Role: role(lambdaTrust, mskExecutionRole), SimulateErr: "AccessDenied"},
			code: "ESM-PERM-003", problem: "P4", cause: "kafka-cluster:Connect on " + clusterARN, fix: `"Action":["kafka-cluster:Connect"],"Resource":"` + clusterARN},
		{name: "simulated: no ReadData", p: Permissions{Role: role(lambdaTrust), Simulated: simulatedAll(Allowed, "kafka-cluster:ReadData")},
			code: "ESM-PERM-004", problem: "P5", cause: "kafka-cluster:ReadData on arn:aws:kafka:us-east-1:123456789012:topic/orders/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-2/orders"},
		{name: "kafka:* is not kafka-cluster:*", p: Permissions{Role: role(lambdaTrust, `{"Statement":[{"Effect":"Allow","Action":["kafka:*","ec2:*"],"Resource":"*"}]}`), SimulateErr: "AccessDenied"},
			code: "ESM-PERM-003", problem: "P4"},
		{name: "ec2 scoped to the cluster ARN", p: Permissions{Role: role(lambdaTrust, dataPlane, `{"Statement":[{"Effect":"Allow","Action":["kafka:*","ec2:Describe*","ec2:CreateNetworkInterface","ec2:DeleteNetworkInterface"],"Resource":"`+clusterARN+`"}]}`), SimulateErr: "AccessDenied"},
			code: "ESM-PERM-005", cause: "ec2:CreateNetworkInterface on *"},
		{name: "trust without lambda", p: Permissions{Role: role(`{"Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`), Simulated: simulatedAll(Allowed)},
			code: "ESM-PERM-001", problem: "P3", cause: "Service:ec2.amazonaws.com", fix: "update-assume-role-policy --role-name orders-consumer"},
		{name: "trust requires source identity", p: Permissions{Role: role(`{"Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":["sts:AssumeRole","sts:SetSourceIdentity"],"Condition":{"StringLike":{"sts:SourceIdentity":"ops-*"}}}]}`), Simulated: simulatedAll(Allowed)},
			code: "ESM-PERM-002", problem: "P3", cause: "StringLike sts:SourceIdentity"},
		{name: "explicit deny wins", p: Permissions{Role: role(lambdaTrust, mskExecutionRole, dataPlane, `{"Statement":[{"Effect":"Deny","Action":"kafka-cluster:AlterGroup","Resource":"*"}]}`), SimulateErr: "AccessDenied"},
			code: "ESM-PERM-004", problem: "P5", cause: "kafka-cluster:AlterGroup"},
		{name: "KMS key not decryptable", p: Permissions{Role: role(lambdaTrust, `{"Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`), SimulateErr: "AccessDenied",
			Required: Required(Needs{Secrets: []SecretRef{{ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:s-AbC", KMSKey: "arn:aws:kms:us-east-1:123456789012:key/k1"}}})},
			code: "ESM-PERM-006", cause: "kms:Decrypt on arn:aws:kms:us-east-1:123456789012:key/k1"},
		{name: "IAM_OAUTHBEARER_AUTH without sts:GetWebIdentityToken", p: Permissions{Role: role(lambdaTrust, `{"Statement":[{"Effect":"Allow","Action":"sts:GetCallerIdentity","Resource":"*"}]}`), SimulateErr: "AccessDenied",
			Required: Required(Needs{WebIdentity: true})},
			code: "ESM-TOKEN-056", cause: "sts:GetWebIdentityToken on *", fix: `"Action":["sts:GetWebIdentityToken"]`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.p.Required == nil {
				c.p.Required = iamNeeds()
			}
			assertFirst(t, Worst(AnalyzeRole(c.p)), c.code, c.problem, c.cause, c.fix)
		})
	}
}

func TestWildcard(t *testing.T) {
	for _, c := range []struct {
		p, v string
		want bool
	}{{"*", "", true}, {"kafka-cluster:*", "kafka-cluster:Connect", true}, {"kafka:*", "kafka-cluster:Connect", false},
		{"arn:aws:kafka:*:*:topic/orders/*", "arn:aws:kafka:us-east-1:1:topic/orders/u/t", true}, {"a?c", "abc", true}, {"a?c", "ac", false}} {
		if got := wildcard(c.p, c.v); got != c.want {
			t.Errorf("wildcard(%q, %q) = %v", c.p, c.v, got)
		}
	}
}

func TestParsePolicyURLEncoded(t *testing.T) {
	p, err := ParsePolicy("%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3A%2A%22%2C%22Resource%22%3A%22%2A%22%7D%7D")
	if err != nil || len(p.Statements) != 1 || p.Statements[0].Action[0] != "s3:*" {
		t.Fatalf("%+v %v", p, err)
	}
}

func TestMSKResourceAndKMSKey(t *testing.T) {
	if got := MSKResource(clusterARN, "group", "g"); got != "arn:aws:kafka:us-east-1:123456789012:group/orders/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-2/g" {
		t.Fatal(got)
	}
	if got := KMSKeyARN("arn:aws:secretsmanager:eu-west-1:1:secret:x", "k-1"); got != "arn:aws:kms:eu-west-1:1:key/k-1" {
		t.Fatal(got)
	}
}
