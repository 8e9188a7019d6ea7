package netaudit

import (
	"fmt"
	"strings"
)

// Class groups required actions by what their absence breaks.
type Class string

// Classes, each with its own catalog code and PROBLEM.
const (
	ClassConnect  Class = "connect"  // kafka-cluster:Connect: P4
	ClassData     Class = "data"     // topic and group actions: P5
	ClassControl  Class = "control"  // MSK control plane and ENI actions
	ClassSecret   Class = "secret"   // Secrets Manager and KMS
	ClassDest     Class = "dest"     // the on-failure destination
	ClassLogs     Class = "logs"     // the mapping's system logs: a warning
	ClassRegistry Class = "registry" // the Glue schema registry
	ClassOptional Class = "optional" // older documentation's extra action: a warning
	// ClassWebIdentity is sts:GetWebIdentityToken (IAM_OAUTHBEARER_AUTH):
	// without it the mapping gets no token to log in with.
	ClassWebIdentity Class = "web-identity"
)

// Requirement is one action the execution role needs on one resource.
type Requirement struct {
	Action, Resource string
	Class            Class
	Why              string
}

// Needs describes the mapping, for Required.
type Needs struct {
	ClusterARN string // MSK cluster ARN; "" for self-managed
	// VpcConnectionARN is a cross-account mapping's EventSourceArn (an
	// MSK VPC connection; ClusterARN is then its target cluster, "" when
	// not known).
	VpcConnectionARN string
	Topic            string
	Group            string
	IAM              bool // MSK IAM authentication
	VPC              bool // the mapping creates network interfaces
	Secrets          []SecretRef
	// Destination is DestinationConfig.OnFailure.Destination: an SQS,
	// SNS or S3 ARN, or kafka://TOPIC on the source cluster.
	Destination string
	// LogGroup is the function's log group ARN
	// (arn:aws:logs:<region>:<acct>:log-group:<name>) when LoggingConfig
	// sends the mapping's system logs there; "" when logging is off.
	LogGroup string
	// SchemaRegistry is the Glue schema registry ARN ("" for none or a
	// Confluent-compatible registry, which the role does not reach).
	SchemaRegistry string
	// WebIdentity is IAM_OAUTHBEARER_AUTH: the role asks STS for a web
	// identity token (the action has no resource-level scope: "*").
	WebIdentity bool
}

// SecretRef is a secret and the KMS key that encrypts it ("" for the
// default key aws/secretsmanager, which needs no kms:Decrypt grant).
type SecretRef struct{ ARN, KMSKey string }

// Required lists what the execution role needs, on exact ARNs
// (reference section 4).
func Required(n Needs) []Requirement {
	var out []Requirement
	add := func(c Class, res, why string, actions ...string) {
		for _, a := range actions {
			out = append(out, Requirement{Action: a, Resource: res, Class: c, Why: why})
		}
	}
	if n.VpcConnectionARN != "" {
		add(ClassControl, n.VpcConnectionARN, "a cross-account mapping reads its VPC connection", "kafka:DescribeVpcConnection")
	}
	if n.ClusterARN != "" {
		add(ClassControl, n.ClusterARN, "the mapping reads the cluster's network and brokers", "kafka:DescribeClusterV2", "kafka:GetBootstrapBrokers")
	}
	if n.VPC || n.ClusterARN != "" {
		add(ClassControl, "*", "the mapping places network interfaces in the pollers' subnets",
			"ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface", "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups")
	}
	if n.IAM && n.ClusterARN != "" {
		add(ClassConnect, n.ClusterARN, "MSK IAM login", "kafka-cluster:Connect")
		add(ClassOptional, n.ClusterARN, "listed by older documentation", "kafka-cluster:DescribeClusterDynamicConfiguration")
		add(ClassData, MSKResource(n.ClusterARN, "topic", n.Topic), "the mapping's topic", "kafka-cluster:DescribeTopic", "kafka-cluster:ReadData")
		add(ClassData, MSKResource(n.ClusterARN, "group", n.Group), "the mapping's consumer group", "kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup")
	}
	if n.WebIdentity {
		add(ClassWebIdentity, "*", "IAM_OAUTHBEARER_AUTH: the mapping asks STS for a web identity token to log in with", "sts:GetWebIdentityToken")
	}
	for _, s := range n.Secrets {
		add(ClassSecret, s.ARN, "the mapping reads its secret", "secretsmanager:GetSecretValue")
		if s.KMSKey != "" {
			add(ClassSecret, s.KMSKey, "the secret is encrypted with this customer-managed key", "kms:Decrypt")
		}
	}
	out = append(out, destinationNeeds(n)...)
	if g := n.LogGroup; g != "" {
		why := "LoggingConfig sends the mapping's system logs to the function's log group"
		add(ClassLogs, g+":*", why, "logs:CreateLogGroup")
		add(ClassLogs, g+":log-stream:*", why, "logs:CreateLogStream", "logs:PutLogEvents")
	}
	if r := n.SchemaRegistry; r != "" {
		add(ClassRegistry, r, "the mapping's Glue schema registry", "glue:GetRegistry")
		add(ClassRegistry, glueSchemas(r), "the schema versions the records reference", "glue:GetSchemaVersion")
	}
	return out
}

// destinationNeeds are the actions an on-failure destination needs, on
// the resources Lambda writes to (reference section 8): the queue, the
// topic, the bucket's objects and the bucket itself; a Kafka topic on an
// MSK IAM cluster needs kafka-cluster:WriteData on its topic ARN (Kafka
// ACLs, checked by the topic check, govern the other auth modes).
func destinationNeeds(n Needs) []Requirement {
	const why = "the on-failure destination"
	d := n.Destination
	req := func(action, res string) Requirement {
		return Requirement{Action: action, Resource: res, Class: ClassDest, Why: why}
	}
	if topic, ok := strings.CutPrefix(d, "kafka://"); ok {
		if n.IAM && n.ClusterARN != "" && topic != "" {
			return []Requirement{req("kafka-cluster:WriteData", MSKResource(n.ClusterARN, "topic", topic))}
		}
		return nil
	}
	switch arnService(d) {
	case "sqs":
		return []Requirement{req("sqs:SendMessage", d)}
	case "sns":
		return []Requirement{req("sns:Publish", d)}
	case "s3":
		return []Requirement{req("s3:PutObject", strings.TrimSuffix(d, "/")+"/*"), req("s3:ListBucket", d)}
	}
	return nil
}

// LogGroupARN is the ARN of a function's log group: group is the
// function's LoggingConfig.LogGroup, "" for the default /aws/lambda/<name>.
func LogGroupARN(functionARN, group string) string {
	p := strings.SplitN(functionARN, ":", 7)
	if len(p) < 7 || p[0] != "arn" || p[2] != "lambda" || p[5] != "function" {
		return ""
	}
	if group == "" {
		group = "/aws/lambda/" + strings.SplitN(p[6], ":", 2)[0]
	}
	return fmt.Sprintf("arn:%s:logs:%s:%s:log-group:%s", p[1], p[3], p[4], group)
}

// DestinationService is the VPC endpoint service a destination needs ("" for
// a Kafka topic or an unknown ARN).
func DestinationService(arn string) string {
	switch s := arnService(arn); s {
	case "sqs", "sns", "s3":
		return s
	}
	return ""
}

func arnService(arn string) string {
	p := strings.SplitN(arn, ":", 6)
	if len(p) < 6 || p[0] != "arn" {
		return ""
	}
	return p[2]
}

// MSKResource renders an MSK IAM resource ARN of kind topic or group from
// the cluster ARN (arn:aws:kafka:<region>:<acct>:cluster/<name>/<uuid>).
func MSKResource(clusterARN, kind, name string) string {
	p := strings.SplitN(clusterARN, ":", 6)
	if len(p) != 6 || !strings.HasPrefix(p[5], "cluster/") {
		return clusterARN
	}
	p[5] = kind + "/" + strings.TrimPrefix(p[5], "cluster/") + "/" + name
	return strings.Join(p, ":")
}

// KMSKeyARN turns DescribeSecret's KmsKeyId (an ARN, a key id or an alias)
// into the ARN a policy names, in the secret's Region and account.
func KMSKeyARN(secretARN, key string) string {
	if key == "" || strings.HasPrefix(key, "arn:") {
		return key
	}
	p := strings.SplitN(secretARN, ":", 6)
	if len(p) != 6 {
		return key
	}
	if strings.HasPrefix(key, "alias/") {
		return fmt.Sprintf("arn:%s:kms:%s:%s:%s", p[1], p[3], p[4], key)
	}
	return fmt.Sprintf("arn:%s:kms:%s:%s:key/%s", p[1], p[3], p[4], key)
}

// glueSchemas is the resource pattern of a Glue registry's schemas
// (arn:...:registry/NAME becomes arn:...:schema/NAME/*).
func glueSchemas(registryARN string) string {
	return strings.Replace(registryARN, ":registry/", ":schema/", 1) + "/*"
}
