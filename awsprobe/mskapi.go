package awsprobe

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// The MSK control-plane reads (DescribeClusterV2, GetBootstrapBrokers,
// ListNodes, DescribeVpcConnection) go through the signed-call helper
// rather than the SDK's kafka module: its package initialisation (schema
// tables, endpoint rules: about 0.5 MB and 0.5 ms) ran on every
// invocation, MSK or not, for four GETs whose shapes are small and stable.
// MSK speaks REST-JSON: the ARN is a path label, the answer's members are
// camelCase, an error's code is in X-Amzn-ErrorType (jsonError).

// kafkaEndpoint is where MSK calls go for cfg's Region, resolved as the
// SDK resolves it (serviceEndpoint).
func kafkaEndpoint(ctx context.Context, cfg aws.Config) string {
	ep, _ := serviceEndpoint(ctx, cfg, "KAFKA", regionalEndpoint("kafka", cfg.Region))
	return ep
}

// kafkaGet sends one MSK read, GET path (its labels already escaped) with
// query, and decodes the answer into out, within budget.
func kafkaGet(ctx context.Context, cfg aws.Config, op, path string, query url.Values, out any, budget time.Duration) error {
	u := kafkaEndpoint(ctx, cfg) + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	r := signedRequest{service: "kafka", region: cfg.Region, serviceID: "Kafka", op: op, method: http.MethodGet, url: u, errOf: jsonError}
	return sendJSON(ctx, cfg, r, out, budget)
}

// label escapes an ARN as an HTTP path label, as the SDK does: every byte
// but the unreserved ones percent-encoded (":" and "/" included).
func label(s string) string {
	const hex = "0123456789ABCDEF"
	out := make([]byte, 0, len(s)*3)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			out = append(out, c)
			continue
		}
		out = append(out, '%', hex[c>>4], hex[c&15])
	}
	return string(out)
}

// enabled is MSK's {"enabled": bool} member.
type enabled struct {
	Enabled bool `json:"enabled"`
}

// mskCluster holds the members of DescribeClusterV2's clusterInfo that
// esmdoctor reads.
type mskCluster struct {
	ClusterName string `json:"clusterName"`
	ClusterType string `json:"clusterType"`
	State       string `json:"state"`
	StateInfo   *struct {
		Code    *string `json:"code"`
		Message *string `json:"message"`
	} `json:"stateInfo"`
	Provisioned *mskProvisioned `json:"provisioned"`
	Serverless  *struct {
		VpcConfigs []struct {
			SubnetIDs        []string `json:"subnetIds"`
			SecurityGroupIDs []string `json:"securityGroupIds"`
		} `json:"vpcConfigs"`
		ClientAuthentication *struct {
			Sasl *struct {
				IAM *enabled `json:"iam"`
			} `json:"sasl"`
		} `json:"clientAuthentication"`
	} `json:"serverless"`
}

// mskProvisioned is a provisioned cluster's members esmdoctor reads.
type mskProvisioned struct {
	BrokerNodeGroupInfo *struct {
		ClientSubnets  []string `json:"clientSubnets"`
		SecurityGroups []string `json:"securityGroups"`
	} `json:"brokerNodeGroupInfo"`
	CurrentBrokerSoftwareInfo *struct {
		KafkaVersion string `json:"kafkaVersion"`
	} `json:"currentBrokerSoftwareInfo"`
	EncryptionInfo *struct {
		EncryptionInTransit *struct {
			ClientBroker string `json:"clientBroker"`
		} `json:"encryptionInTransit"`
	} `json:"encryptionInfo"`
	ClientAuthentication *struct {
		Sasl *struct {
			IAM   *enabled `json:"iam"`
			SCRAM *enabled `json:"scram"`
		} `json:"sasl"`
		TLS *struct {
			Enabled                     bool     `json:"enabled"`
			CertificateAuthorityArnList []string `json:"certificateAuthorityArnList"`
		} `json:"tls"`
		Unauthenticated *enabled `json:"unauthenticated"`
	} `json:"clientAuthentication"`
}

// mskBootstrap is GetBootstrapBrokers' answer.
type mskBootstrap struct {
	Plaintext       string `json:"bootstrapBrokerString"`
	TLS             string `json:"bootstrapBrokerStringTls"`
	SASLSCRAM       string `json:"bootstrapBrokerStringSaslScram"`
	SASLIAM         string `json:"bootstrapBrokerStringSaslIam"`
	PublicTLS       string `json:"bootstrapBrokerStringPublicTls"`
	PublicSASLSCRAM string `json:"bootstrapBrokerStringPublicSaslScram"`
	PublicSASLIAM   string `json:"bootstrapBrokerStringPublicSaslIam"`
	VpcTLS          string `json:"bootstrapBrokerStringVpcConnectivityTls"`
	VpcSASLSCRAM    string `json:"bootstrapBrokerStringVpcConnectivitySaslScram"`
	VpcSASLIAM      string `json:"bootstrapBrokerStringVpcConnectivitySaslIam"`
}

// mskNodes is a page of ListNodes.
type mskNodes struct {
	NodeInfoList []struct {
		BrokerNodeInfo *struct {
			BrokerID           float64  `json:"brokerId"`
			AttachedENIID      string   `json:"attachedENIId"`
			ClientSubnet       string   `json:"clientSubnet"`
			ClientVpcIPAddress string   `json:"clientVpcIpAddress"`
			Endpoints          []string `json:"endpoints"`
		} `json:"brokerNodeInfo"`
	} `json:"nodeInfoList"`
	NextToken string `json:"nextToken"`
}

// mskVpcConnection is DescribeVpcConnection's answer.
type mskVpcConnection struct {
	VpcConnectionArn string   `json:"vpcConnectionArn"`
	TargetClusterArn string   `json:"targetClusterArn"`
	State            string   `json:"state"`
	Authentication   string   `json:"authentication"`
	VpcID            string   `json:"vpcId"`
	Subnets          []string `json:"subnets"`
	SecurityGroups   []string `json:"securityGroups"`
}
