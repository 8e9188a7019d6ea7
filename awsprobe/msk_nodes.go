package awsprobe

import (
	"context"
	"net/netip"
	"net/url"
	"time"
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
	// One budget for every page.
	ctx, cancel := context.WithTimeoutCause(ctx, budget, ErrStepTimeout)
	defer cancel()
	cfg := s.auditConfig(region)
	q := url.Values{"maxResults": {"100"}}
	var out []BrokerNode
	for page := 0; page < maxNodePages; page++ {
		var o mskNodes
		if err := kafkaGet(ctx, cfg, "ListNodes", "/v1/clusters/"+label(arn)+"/nodes", q, &o, budget); err != nil {
			return out, err
		}
		for _, n := range o.NodeInfoList {
			if b := n.BrokerNodeInfo; b != nil {
				node := BrokerNode{ID: int(b.BrokerID), ENI: b.AttachedENIID, Subnet: b.ClientSubnet, Endpoints: b.Endpoints}
				if ip, err := netip.ParseAddr(b.ClientVpcIPAddress); err == nil {
					node.IP = ip
				}
				out = append(out, node)
			}
		}
		if o.NextToken == "" {
			break
		}
		q.Set("nextToken", o.NextToken)
	}
	return out, nil
}
