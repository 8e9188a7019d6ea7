package awsfake

import (
	"fmt"
	"net/http"
)

// Cluster is an MSK cluster as DescribeClusterV2 and GetBootstrapBrokers
// describe it.
type Cluster struct {
	ARN   string // arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid>
	Name  string
	Type  string // PROVISIONED (default) or SERVERLESS
	State string // ACTIVE (default), CREATING, ...
	// Client authentication (provisioned); serverless clusters are IAM only.
	IAM, SCRAM, TLSAuth, Unauthenticated bool
	InTransit                            string // TLS (default), TLS_PLAINTEXT or PLAINTEXT
	Subnets, SecurityGroups              []string
	KafkaVersion                         string // 3.9.x (default)
	Bootstrap                            Bootstrap
	// Nodes are the brokers ListNodes describes (none by default).
	Nodes []Node
}

// Node is one broker as ListNodes' brokerNodeInfo describes it.
type Node struct {
	ID              int
	ENI, Subnet, IP string
	Endpoints       []string
}

// Bootstrap are the strings GetBootstrapBrokers returns.
type Bootstrap struct {
	Plaintext, TLS, SASLSCRAM, SASLIAM string
	// The multi-VPC private connectivity strings (empty until the cluster
	// owner turns multi-VPC connectivity on for that authentication).
	VpcTLS, VpcSASLSCRAM, VpcSASLIAM string
}

// AddCluster registers (or replaces) a cluster.
func (f *Fake) AddCluster(c Cluster) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c.Type == "" {
		c.Type = "PROVISIONED"
	}
	if c.State == "" {
		c.State = "ACTIVE"
	}
	if c.InTransit == "" {
		c.InTransit = "TLS"
	}
	if c.KafkaVersion == "" {
		c.KafkaVersion = "3.9.x"
	}
	f.clusters[c.ARN] = c
}

func (f *Fake) cluster(w http.ResponseWriter, r *http.Request, arn string) (Cluster, bool) {
	if f.reject(w, r, arn) {
		return Cluster{}, false
	}
	f.mu.Lock()
	c, ok := f.clusters[arn]
	f.mu.Unlock()
	if !ok {
		writeError(w, Failure{Status: http.StatusNotFound, Code: "NotFoundException", Message: "The requested resource could not be found: " + arn})
	}
	return c, ok
}

func (f *Fake) describeClusterV2(w http.ResponseWriter, r *http.Request, arn string) {
	c, ok := f.cluster(w, r, arn)
	if !ok {
		return
	}
	info := map[string]any{"clusterArn": c.ARN, "clusterName": c.Name, "clusterType": c.Type, "state": c.State,
		"currentVersion": "K3AEGXETSR30VB", "creationTime": "2026-01-01T00:00:00.000Z"}
	enabled := func(b bool) map[string]any { return map[string]any{"enabled": b} }
	if c.Type == "SERVERLESS" {
		info["serverless"] = map[string]any{
			"vpcConfigs":           []any{map[string]any{"subnetIds": c.Subnets, "securityGroupIds": c.SecurityGroups}},
			"clientAuthentication": map[string]any{"sasl": map[string]any{"iam": enabled(c.IAM)}},
		}
	} else {
		info["provisioned"] = map[string]any{
			"brokerNodeGroupInfo": map[string]any{"clientSubnets": c.Subnets, "securityGroups": c.SecurityGroups, "instanceType": "kafka.m5.large"},
			"clientAuthentication": map[string]any{
				"sasl":            map[string]any{"iam": enabled(c.IAM), "scram": enabled(c.SCRAM)},
				"tls":             map[string]any{"enabled": c.TLSAuth, "certificateAuthorityArnList": []string{}},
				"unauthenticated": enabled(c.Unauthenticated),
			},
			"encryptionInfo":            map[string]any{"encryptionInTransit": map[string]any{"clientBroker": c.InTransit, "inCluster": true}},
			"numberOfBrokerNodes":       3,
			"currentBrokerSoftwareInfo": map[string]any{"kafkaVersion": c.KafkaVersion},
		}
	}
	writeJSON(w, map[string]any{"clusterInfo": info})
}

// bootstrapBrokers answers as real MSK does: a cluster that is not ACTIVE
// has no bootstrap brokers to give (HTTP 400 BadRequestException).
func (f *Fake) bootstrapBrokers(w http.ResponseWriter, r *http.Request, arn string) {
	c, ok := f.cluster(w, r, arn)
	if !ok {
		return
	}
	switch c.State {
	case "CREATING", "UPDATING", "FAILED", "DELETING":
		writeError(w, Failure{Status: http.StatusBadRequest, Code: "BadRequestException",
			Message: "You can't get bootstrap broker nodes for a cluster in " + c.State + " state."})
		return
	}
	out := map[string]string{}
	for k, v := range map[string]string{"bootstrapBrokerString": c.Bootstrap.Plaintext, "bootstrapBrokerStringTls": c.Bootstrap.TLS,
		"bootstrapBrokerStringSaslScram": c.Bootstrap.SASLSCRAM, "bootstrapBrokerStringSaslIam": c.Bootstrap.SASLIAM,
		"bootstrapBrokerStringVpcConnectivityTls": c.Bootstrap.VpcTLS, "bootstrapBrokerStringVpcConnectivitySaslScram": c.Bootstrap.VpcSASLSCRAM,
		"bootstrapBrokerStringVpcConnectivitySaslIam": c.Bootstrap.VpcSASLIAM} {
		if v != "" {
			out[k] = v
		}
	}
	writeJSON(w, out)
}

// listNodes answers ListNodes (GET /v1/clusters/{arn}/nodes) in one page:
// each broker's ENI, client subnet and private address, as MSK gives them.
func (f *Fake) listNodes(w http.ResponseWriter, r *http.Request, arn string) {
	c, ok := f.cluster(w, r, arn)
	if !ok {
		return
	}
	nodes := []map[string]any{}
	for _, n := range c.Nodes {
		nodes = append(nodes, map[string]any{"nodeType": "BROKER", "instanceType": "kafka.m5.large",
			"nodeARN": fmt.Sprintf("%s/broker/%d", c.ARN, n.ID),
			"brokerNodeInfo": map[string]any{"brokerId": float64(n.ID), "attachedENIId": n.ENI, "clientSubnet": n.Subnet,
				"clientVpcIpAddress": n.IP, "endpoints": n.Endpoints}})
	}
	writeJSON(w, map[string]any{"nodeInfoList": nodes})
}
