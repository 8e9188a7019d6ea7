package awsprobe

import (
	"context"
	"net/netip"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kafka"
)

// maxNodePages bounds ListNodes (100 brokers a page: far beyond a cluster).
const maxNodePages = 5

// BrokerNode is one MSK broker as kafka:ListNodes describes it: the ENI
// the broker uses in the client subnet, and its private address there.
type BrokerNode struct {
	ID        int
	ENI       string
	Subnet    string
	IP        netip.Addr
	Endpoints []string
}

// BrokerNodes lists a provisioned cluster's brokers (kafka:ListNodes, as
// esmdoctor's own identity), so that each broker's own interface can be
// audited without resolving its name. Serverless clusters have no nodes.
func (s *Session) BrokerNodes(ctx context.Context, arn, region string, budget time.Duration) ([]BrokerNode, error) {
	ctx, cfg, done, cancel := call(ctx, s.auditConfig(region), budget)
	defer cancel()
	p := kafka.NewListNodesPaginator(kafka.NewFromConfig(cfg), &kafka.ListNodesInput{ClusterArn: aws.String(arn), MaxResults: aws.Int32(100)})
	var out []BrokerNode
	for page := 0; p.HasMorePages() && page < maxNodePages; page++ {
		o, err := p.NextPage(ctx)
		if err != nil {
			return out, done(err)
		}
		for _, n := range o.NodeInfoList {
			b := n.BrokerNodeInfo
			if b == nil {
				continue
			}
			node := BrokerNode{ID: int(aws.ToFloat64(b.BrokerId)), ENI: aws.ToString(b.AttachedENIId), Subnet: aws.ToString(b.ClientSubnet), Endpoints: b.Endpoints}
			if ip, err := netip.ParseAddr(aws.ToString(b.ClientVpcIpAddress)); err == nil {
				node.IP = ip
			}
			out = append(out, node)
		}
	}
	return out, nil
}
