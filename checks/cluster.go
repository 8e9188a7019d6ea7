package checks

import (
	"context"
	"fmt"
	"github.com/esmdoctor/esmdoctor/catalog"
	"strings"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/netaudit"
)

var clusterCheck = Check{
	ID:    "cluster",
	Title: "can read the MSK cluster's networking and bootstrap brokers",
	Needs: []string{"mapping", "sts"},
	Run:   runCluster,
}

func runCluster(ctx context.Context, s *State) Outcome {
	a := s.Cfg.AWS
	if a != nil && s.eventSourceARN() == "" && a.PlannedCluster != nil {
		p := a.PlannedCluster
		s.AWS.clusterNet = &netaudit.Placement{Subnets: p.Subnets, SecurityGroups: p.SecurityGroups}
		return notApplicable(fmt.Sprintf("the MSK cluster %s is created with the mapping: the network check reads its subnets %s and security groups %s from the code",
			p.Address, listOrNone(p.Subnets), listOrNone(p.SecurityGroups)))
	}
	clusterARN := s.eventSourceARN()
	if clusterARN == "" {
		return notApplicable(selfManagedNetwork(s.Cfg.AWS != nil, s.accessConfigs()))
	}
	if awsprobe.IsVpcConnectionARN(clusterARN) {
		return runVpcConnection(ctx, s, clusterARN)
	}
	arn, _ := awsprobe.ParseARN(clusterARN)
	s.AWS.cluster = &arn
	if o, bad := unsupportedOnMSK(s.accessConfigs()); bad {
		return o
	}
	if r := s.region(); r != "" && arn.Region != r {
		return fail(catalog.CLUSTER009, otherRegion(s, Args{"arn": clusterARN}, arn.Region))
	}
	sess, err := s.session(ctx)
	if err != nil {
		return fail(catalog.CLUSTER004, Args{"operation": "DescribeClusterV2", "endpoint": "the MSK API", "detail": shortErr(err, "")})
	}
	c := sess.Cluster(ctx, clusterARN, arn.Region, s.Step)
	s.useEndpoint(awsprobe.Kafka, c.Endpoint)
	detail := clusterDetail(c)
	args := Args{"arn": c.ARN, "state": c.State, "state_info": stateInfo(c), "not_serving": "its brokers do not serve clients"}
	if o, bad := clusterUnusable(c, s, args); bad && c.State == "" {
		return o // DescribeClusterV2 failed: nothing described
	} else if bad {
		return o.withDetail(detail...)
	}
	s.AWS.clusterNet = &netaudit.Placement{Subnets: c.Subnets, SecurityGroups: c.SecurityGroups}
	l, o, ok := chooseListener(c, s.auth())
	if !ok {
		return o.withDetail(detail...)
	}
	bs, err := ParseBootstrap(l.field, strings.Split(l.brokers, ","))
	if err != nil {
		return fail(catalog.CLUSTER003, Args{"operation": "GetBootstrapBrokers", "arn": c.ARN, "api_code": "a malformed " + l.field,
			"detail": shortErr(err, ""), "fix": "report this to AWS support: the bootstrap string is not host:port[,host:port]"}, detail...)
	}
	s.Facts.Cluster = &ClusterFacts{Cluster: c, Subnets: c.Subnets, SecurityGroups: c.SecurityGroups,
		Bootstrap: bs, Auth: l.auth, AuthReason: "chosen by the cluster check: " + l.why}
	s.TLS = clientTLS(s)
	detail = append(detail, fmt.Sprintf("listener: %s (%s), bootstrap %s", l.auth, l.field, l.brokers), "chosen because "+l.why+"; Lambda never falls back to a weaker listener")
	if w, differ := functionNetwork(s.function(), c); differ {
		return warn(catalog.CLUSTER102, w, detail...)
	}
	if c.State != "ACTIVE" {
		return warn(catalog.CLUSTER101, args, detail...)
	}
	return pass(detail...)
}

// clusterUnusable fails a cluster MSK could not describe, or one that is
// not serving. The state comes first: MSK refuses GetBootstrapBrokers
// (HTTP 400) for a cluster that is not ACTIVE, and the state is what to
// report then.
func clusterUnusable(c awsprobe.Cluster, s *State, args Args) (Outcome, bool) {
	if c.Err != nil && c.Operation == "GetBootstrapBrokers" && c.State != "" && c.State != "ACTIVE" {
		args["not_serving"] = "MSK gives no bootstrap brokers until it is ACTIVE (GetBootstrapBrokers: " + awsErrorText(c.Err) + ")"
		return fail(catalog.CLUSTER005, args), true
	}
	if c.Err != nil {
		return clusterFailure(c, s), true
	}
	switch c.State {
	case "ACTIVE", "UPDATING", "MAINTENANCE", "HEALING", "REBOOTING_BROKER":
		// Serving clients; a changing cluster is a warning once the
		// listener is known.
		return Outcome{}, false
	}
	return fail(catalog.CLUSTER005, args), true
}

// selfManagedNetwork is the skip reason for self-managed Kafka, with the
// network the mapping uses.
func selfManagedNetwork(aws bool, acs []awsprobe.AccessConfig) string {
	reason := "self-managed Kafka: no MSK cluster ARN given"
	if !aws {
		return reason
	}
	var subnets, sgs []string
	for _, ac := range acs {
		switch ac.Type {
		case typeSubnet:
			subnets = append(subnets, strings.TrimPrefix(ac.URI, "subnet:"))
		case typeSG:
			sgs = append(sgs, strings.TrimPrefix(ac.URI, "security_group:"))
		}
	}
	if len(subnets)+len(sgs) == 0 {
		return reason + "; without VPC_SUBNET and VPC_SECURITY_GROUP the mapping reaches the brokers over the internet"
	}
	return fmt.Sprintf("%s; the mapping's network interfaces use subnets %s and security groups %s (its VPC_SUBNET / VPC_SECURITY_GROUP; the function's own VPC settings do not apply)",
		reason, listOrNone(subnets), listOrNone(sgs))
}

func listOrNone(l []string) string {
	if len(l) == 0 {
		return "none"
	}
	return strings.Join(l, ", ")
}

// unsupportedOnMSK rejects access configurations MSK event sources do not take.
func unsupportedOnMSK(acs []awsprobe.AccessConfig) (Outcome, bool) {
	why := map[string]string{
		typeBasicAuth: "MSK offers no SASL/PLAIN", typeSCRAM256: "MSK offers SCRAM-SHA-512 only",
		typeRootCA: "MSK brokers use public Amazon Trust Services certificates",
	}
	for _, ac := range acs {
		if w, ok := why[ac.Type]; ok {
			return fail(catalog.CLUSTER008, Args{"type": ac.Type, "why": w}), true
		}
	}
	return Outcome{}, false
}

// clusterFailure classifies a failed DescribeClusterV2 or GetBootstrapBrokers.
func clusterFailure(c awsprobe.Cluster, s *State) Outcome {
	if o, ok := deadlineSkip(c.Err, "kafka:"+c.Operation); ok {
		return o
	}
	args := Args{"arn": c.ARN, "region": c.Region, "operation": c.Operation, "endpoint": c.Endpoint,
		"caller": s.caller(), "detail": shortErr(c.Err, "")}
	if f, ok := apiError(c.Err); ok {
		args["api_code"], args["detail"] = f.Code, f.Message
		switch {
		case f.Code == "NotFoundException" || f.Code == codeNotFound:
			return fail(catalog.CLUSTER001, args)
		case accessDenied(f.Code):
			return fail(catalog.CLUSTER002, args)
		case throttled(f.Code):
			args["fix"] = "the MSK API throttled the call (" + retriedNote(c.Err) + "): retry later, and lower the request rate of other callers in the account"
		default:
			args["fix"] = "look up " + f.Code + " in the MSK API reference for " + c.Operation
		}
		return fail(catalog.CLUSTER003, args)
	}
	if d, ok := networkDetail(c.Err, s.Step); ok {
		args["detail"] = d
	}
	return fail(catalog.CLUSTER004, args)
}

func stateInfo(c awsprobe.Cluster) string {
	if c.StateInfo == "" {
		return ""
	}
	return " (" + c.StateInfo + ")"
}

func clusterDetail(c awsprobe.Cluster) []string {
	return []string{
		fmt.Sprintf("cluster %s: %s, %s, client authentication: %s; client-broker encryption %s (%s)", c.Name, strings.ToLower(c.Type), c.State, authModes(c), c.InTransit, c.Elapsed),
		fmt.Sprintf("network the mapping uses: subnets %s, security groups %s (the cluster's; the function's own VPC settings do not apply)", listOrNone(c.Subnets), listOrNone(c.SecurityGroups)),
	}
}

func authModes(c awsprobe.Cluster) string {
	var m []string
	for _, x := range []struct {
		on   bool
		name string
	}{{c.TLSAuth, "TLS client certificates"}, {c.SCRAM, "SASL/SCRAM"}, {c.IAM, "IAM"}, {c.Unauthenticated, "unauthenticated"}} {
		if x.on {
			m = append(m, x.name)
		}
	}
	if len(m) == 0 {
		return "none enabled"
	}
	return strings.Join(m, ", ")
}

// functionNetwork compares the function's VPC settings with the cluster's
// network, which is the one the mapping really uses.
func functionNetwork(f *awsprobe.Function, c awsprobe.Cluster) (Args, bool) {
	if f == nil || len(f.Subnets)+len(f.SecurityGroups) == 0 {
		return nil, false
	}
	if sameSet(f.Subnets, c.Subnets) && sameSet(f.SecurityGroups, c.SecurityGroups) {
		return nil, false
	}
	return Args{"function": f.Name, "function_network": fmt.Sprintf("subnets %s with security groups %s", listOrNone(f.Subnets), listOrNone(f.SecurityGroups)),
		"subnets": listOrNone(c.Subnets), "security_groups": listOrNone(c.SecurityGroups)}, true
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]bool{}
	for _, x := range a {
		m[x] = true
	}
	for _, x := range b {
		if !m[x] {
			return false
		}
	}
	return true
}
