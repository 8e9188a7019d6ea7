package awsprobe

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kafka"
	"github.com/aws/aws-sdk-go-v2/service/kafka/types"
)

// Cluster is what the MSK control plane says about a cluster: its state,
// the client authentication it offers, the network the mapping's interfaces
// will use, and the bootstrap strings per listener.
type Cluster struct {
	ARN       string
	Region    string
	Endpoint  string
	Name      string
	Type      string // PROVISIONED or SERVERLESS
	State     string // ACTIVE, CREATING, UPDATING, ...
	StateInfo string // the state's code and message, when given
	// Client authentication modes the cluster enables.
	IAM, SCRAM, TLSAuth, Unauthenticated bool
	// InTransit is the client-broker encryption: TLS, TLS_PLAINTEXT or PLAINTEXT.
	InTransit      string
	Subnets        []string
	SecurityGroups []string
	// KafkaVersion is the brokers' Apache Kafka version (provisioned
	// clusters; "" for Serverless).
	KafkaVersion string
	Bootstrap    Bootstrap
	// Operation is the call that failed ("" when both succeeded).
	Operation string
	Err       error
	Elapsed   time.Duration
}

// Bootstrap holds GetBootstrapBrokers' strings, one per listener.
type Bootstrap struct {
	Plaintext, TLS, SASLSCRAM, SASLIAM        string
	PublicTLS, PublicSASLSCRAM, PublicSASLIAM string
	// The multi-VPC private connectivity strings, for clients that reach
	// the cluster through a VPC connection (cross-account mappings).
	VpcTLS, VpcSASLSCRAM, VpcSASLIAM string
}

// Cluster calls DescribeClusterV2 and GetBootstrapBrokers for arn in region.
// The state is read first: MSK refuses GetBootstrapBrokers (HTTP 400
// BadRequestException) for a cluster that is not ACTIVE, and the state is
// the answer the user needs then.
func (s *Session) readCluster(ctx context.Context, arn, region string, budget time.Duration) (out Cluster) {
	start := time.Now()
	// A named result: the deferred assignment reaches the caller.
	defer func() { out.Elapsed = since(start) }()
	ctx, cfg, done, cancel := call(ctx, s.regional(region), budget)
	defer cancel()
	out = Cluster{ARN: arn, Region: cfg.Region, Endpoint: s.Endpoint(ctx, Kafka, cfg.Region)}
	c := kafka.NewFromConfig(cfg)
	d, err := c.DescribeClusterV2(ctx, &kafka.DescribeClusterV2Input{ClusterArn: aws.String(arn)})
	if err != nil {
		out.Operation, out.Err = "DescribeClusterV2", done(err)
		return out
	}
	if d.ClusterInfo != nil {
		fillCluster(&out, d.ClusterInfo)
	}
	b, err := c.GetBootstrapBrokers(ctx, &kafka.GetBootstrapBrokersInput{ClusterArn: aws.String(arn)})
	if err != nil {
		out.Operation, out.Err = "GetBootstrapBrokers", done(err)
		return out
	}
	out.Bootstrap = Bootstrap{
		Plaintext: aws.ToString(b.BootstrapBrokerString), TLS: aws.ToString(b.BootstrapBrokerStringTls),
		SASLSCRAM: aws.ToString(b.BootstrapBrokerStringSaslScram), SASLIAM: aws.ToString(b.BootstrapBrokerStringSaslIam),
		PublicTLS: aws.ToString(b.BootstrapBrokerStringPublicTls), PublicSASLSCRAM: aws.ToString(b.BootstrapBrokerStringPublicSaslScram),
		PublicSASLIAM: aws.ToString(b.BootstrapBrokerStringPublicSaslIam),
		VpcTLS:        aws.ToString(b.BootstrapBrokerStringVpcConnectivityTls), VpcSASLSCRAM: aws.ToString(b.BootstrapBrokerStringVpcConnectivitySaslScram),
		VpcSASLIAM: aws.ToString(b.BootstrapBrokerStringVpcConnectivitySaslIam),
	}
	return out
}

func fillCluster(out *Cluster, ci *types.Cluster) {
	out.Name, out.Type, out.State = aws.ToString(ci.ClusterName), string(ci.ClusterType), string(ci.State)
	if ci.StateInfo != nil && (ci.StateInfo.Code != nil || ci.StateInfo.Message != nil) {
		out.StateInfo = aws.ToString(ci.StateInfo.Code) + ": " + aws.ToString(ci.StateInfo.Message)
	}
	if p := ci.Provisioned; p != nil {
		fillProvisioned(out, p)
	}
	if sv := ci.Serverless; sv != nil {
		// Serverless clusters speak TLS and IAM only.
		out.InTransit = "TLS"
		if ca := sv.ClientAuthentication; ca != nil && ca.Sasl != nil && ca.Sasl.Iam != nil {
			out.IAM = aws.ToBool(ca.Sasl.Iam.Enabled)
		}
		for _, v := range sv.VpcConfigs {
			out.Subnets = append(out.Subnets, v.SubnetIds...)
			out.SecurityGroups = append(out.SecurityGroups, v.SecurityGroupIds...)
		}
	}
}

func fillProvisioned(out *Cluster, p *types.Provisioned) {
	if g := p.BrokerNodeGroupInfo; g != nil {
		out.Subnets, out.SecurityGroups = g.ClientSubnets, g.SecurityGroups
	}
	if v := p.CurrentBrokerSoftwareInfo; v != nil {
		out.KafkaVersion = aws.ToString(v.KafkaVersion)
	}
	// MSK's defaults: without client authentication settings the cluster
	// is unauthenticated; without encryption settings it is TLS only.
	out.InTransit = "TLS"
	if e := p.EncryptionInfo; e != nil && e.EncryptionInTransit != nil && e.EncryptionInTransit.ClientBroker != "" {
		out.InTransit = string(e.EncryptionInTransit.ClientBroker)
	}
	ca := p.ClientAuthentication
	if ca == nil {
		out.Unauthenticated = true
		return
	}
	if ca.Sasl != nil {
		out.IAM = ca.Sasl.Iam != nil && aws.ToBool(ca.Sasl.Iam.Enabled)
		out.SCRAM = ca.Sasl.Scram != nil && aws.ToBool(ca.Sasl.Scram.Enabled)
	}
	out.TLSAuth = ca.Tls != nil && (aws.ToBool(ca.Tls.Enabled) || len(ca.Tls.CertificateAuthorityArnList) > 0)
	out.Unauthenticated = ca.Unauthenticated != nil && aws.ToBool(ca.Unauthenticated.Enabled)
}
