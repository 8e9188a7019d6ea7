package awsprobe

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
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
	// One budget for both calls.
	ctx, cancel := context.WithTimeoutCause(ctx, budget, ErrStepTimeout)
	defer cancel()
	cfg := s.regional(region)
	out = Cluster{ARN: arn, Region: cfg.Region, Endpoint: kafkaEndpoint(ctx, cfg)}
	var d struct {
		ClusterInfo *mskCluster `json:"clusterInfo"`
	}
	if err := kafkaGet(ctx, cfg, "DescribeClusterV2", "/api/v2/clusters/"+label(arn), nil, &d, budget); err != nil {
		out.Operation, out.Err = "DescribeClusterV2", err
		return out
	}
	if d.ClusterInfo != nil {
		fillCluster(&out, d.ClusterInfo)
	}
	var b mskBootstrap
	if err := kafkaGet(ctx, cfg, "GetBootstrapBrokers", "/v1/clusters/"+label(arn)+"/bootstrap-brokers", nil, &b, budget); err != nil {
		out.Operation, out.Err = "GetBootstrapBrokers", err
		return out
	}
	out.Bootstrap = Bootstrap(b)
	return out
}

func fillCluster(out *Cluster, ci *mskCluster) {
	out.Name, out.Type, out.State = ci.ClusterName, ci.ClusterType, ci.State
	if ci.StateInfo != nil && (ci.StateInfo.Code != nil || ci.StateInfo.Message != nil) {
		out.StateInfo = aws.ToString(ci.StateInfo.Code) + ": " + aws.ToString(ci.StateInfo.Message)
	}
	if p := ci.Provisioned; p != nil {
		fillProvisioned(out, p)
	}
	if sv := ci.Serverless; sv != nil {
		// Serverless clusters speak TLS and IAM only.
		out.InTransit = "TLS"
		if ca := sv.ClientAuthentication; ca != nil && ca.Sasl != nil && ca.Sasl.IAM != nil {
			out.IAM = ca.Sasl.IAM.Enabled
		}
		for _, v := range sv.VpcConfigs {
			out.Subnets = append(out.Subnets, v.SubnetIDs...)
			out.SecurityGroups = append(out.SecurityGroups, v.SecurityGroupIDs...)
		}
	}
}

func fillProvisioned(out *Cluster, p *mskProvisioned) {
	if g := p.BrokerNodeGroupInfo; g != nil {
		out.Subnets, out.SecurityGroups = g.ClientSubnets, g.SecurityGroups
	}
	if v := p.CurrentBrokerSoftwareInfo; v != nil {
		out.KafkaVersion = v.KafkaVersion
	}
	// MSK's defaults: without client authentication settings the cluster
	// is unauthenticated; without encryption settings it is TLS only.
	out.InTransit = "TLS"
	if e := p.EncryptionInfo; e != nil && e.EncryptionInTransit != nil && e.EncryptionInTransit.ClientBroker != "" {
		out.InTransit = e.EncryptionInTransit.ClientBroker
	}
	ca := p.ClientAuthentication
	if ca == nil {
		out.Unauthenticated = true
		return
	}
	if ca.Sasl != nil {
		out.IAM = ca.Sasl.IAM != nil && ca.Sasl.IAM.Enabled
		out.SCRAM = ca.Sasl.SCRAM != nil && ca.Sasl.SCRAM.Enabled
	}
	out.TLSAuth = ca.TLS != nil && (ca.TLS.Enabled || len(ca.TLS.CertificateAuthorityArnList) > 0)
	out.Unauthenticated = ca.Unauthenticated != nil && ca.Unauthenticated.Enabled
}
