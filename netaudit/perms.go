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
	ClassOptional Class = "optional" // older documentation's extra action: a warning
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
	Destination      string // on-failure destination ARN
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
	for _, s := range n.Secrets {
		add(ClassSecret, s.ARN, "the mapping reads its secret", "secretsmanager:GetSecretValue")
		if s.KMSKey != "" {
			add(ClassSecret, s.KMSKey, "the secret is encrypted with this customer-managed key", "kms:Decrypt")
		}
	}
	if d := n.Destination; d != "" {
		add(ClassDest, d, "the on-failure destination", destinationActions(d)...)
	}
	return out
}

// destinationActions are the actions an on-failure destination needs.
func destinationActions(arn string) []string {
	switch arnService(arn) {
	case "sqs":
		return []string{"sqs:SendMessage"}
	case "sns":
		return []string{"sns:Publish"}
	case "s3":
		return []string{"s3:PutObject", "s3:ListBucket"}
	}
	return nil
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
