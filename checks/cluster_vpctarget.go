package checks

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/catalog"
)

// vpcConnTarget judges the target cluster of an AVAILABLE VPC connection
// and publishes its multi-VPC bootstrap brokers for the later checks.
func vpcConnTarget(s *State, c awsprobe.Cluster, ca vpcConnAuth, v awsprobe.VpcConnection, args Args, detail []string) Outcome {
	if c.State == "" && c.Err != nil {
		return targetUnread(c, args, detail)
	}
	detail = append(detail, clusterDetail(c)[0])
	if o, bad := multiVPCUnsupported(c, args); bad {
		return o.withDetail(detail...)
	}
	cargs := Args{"arn": c.ARN, "state": c.State, "state_info": stateInfo(c), "not_serving": "its brokers do not serve clients"}
	if o, bad := clusterUnusable(c, s, cargs); bad {
		if c.State == "ACTIVE" || c.State == "" {
			return targetUnread(c, args, detail)
		}
		return o.withDetail(detail...)
	}
	brokers := vpcBootstrap(c.Bootstrap, ca.auth)
	if brokers == "" || !authEnabled(c, ca.auth) {
		args["field"], args["client_auth"] = ca.field, ca.client
		args["reason"] = "multi-VPC connectivity is not on for " + v.Authentication
		if !authEnabled(c, ca.auth) {
			args["reason"] = "the cluster does not enable " + string(ca.auth) + " client authentication (it enables " + authModes(c) + ")"
		}
		args["cli_fix"] = fmt.Sprintf(`aws kafka update-connectivity --cluster-arn %s --current-version CURRENT_VERSION --connectivity-info '{"VpcConnectivity":{"ClientAuthentication":{%s}}}'`, c.ARN, ca.client)
		return fail(catalog.CLUSTER016, args, detail...)
	}
	bs, err := ParseBootstrap(ca.field, strings.Split(brokers, ","))
	if err != nil {
		return fail(catalog.CLUSTER003, Args{"operation": "GetBootstrapBrokers", "arn": c.ARN, "api_code": "a malformed " + ca.field,
			"detail": shortErr(err, ""), "fix": "report this to AWS support: the bootstrap string is not host:port[,host:port]"}, detail...)
	}
	s.Facts.Cluster = &ClusterFacts{Cluster: c, Subnets: v.Subnets, SecurityGroups: v.SecurityGroups, Bootstrap: bs, Auth: ca.auth,
		AuthReason: "the VPC connection's authentication " + v.Authentication}
	s.TLS = clientTLS(s)
	detail = append(detail, fmt.Sprintf("listener: %s (%s), bootstrap %s, through the VPC connection", ca.auth, ca.field, brokers))
	if c.State != "ACTIVE" {
		return warn(catalog.CLUSTER101, cargs, detail...)
	}
	return pass(detail...)
}

// targetUnread is the warning for a target cluster the execution role may
// not read: without its brokers the later checks cannot run.
func targetUnread(c awsprobe.Cluster, args Args, detail []string) Outcome {
	target, _ := awsprobe.ParseARN(c.ARN)
	args["account"], args["operation"], args["detail"] = target.Account, c.Operation, awsErrorText(c.Err)
	o := warn(catalog.CLUSTER103, args, detail...)
	o.blocks = true
	return o
}

// multiVPCUnsupported fails a target cluster multi-VPC private
// connectivity cannot serve: MSK Serverless, or Kafka before 2.7.1.
func multiVPCUnsupported(c awsprobe.Cluster, args Args) (Outcome, bool) {
	switch {
	case c.Type == "SERVERLESS":
		args["reason"] = "it is MSK Serverless, and multi-VPC private connectivity serves provisioned clusters only"
		args["fix"] = "reach a Serverless cluster from its own account's VPC, or move the topic to a provisioned cluster"
	case c.KafkaVersion != "" && !kafkaAtLeast(c.KafkaVersion, 2, 7, 1):
		args["reason"] = "it runs Apache Kafka " + c.KafkaVersion + ", and multi-VPC private connectivity needs 2.7.1 or later"
		args["fix"] = "the cluster owner upgrades it (aws kafka update-cluster-kafka-version --target-kafka-version 3.9.x)"
	default:
		return Outcome{}, false
	}
	return fail(catalog.CLUSTER015, args), true
}

// kafkaAtLeast compares an MSK version string (2.8.1, 3.9.x, 2.8.2.tiered,
// 3.6.0.1) with major.minor.patch; an "x" patch counts as any patch.
func kafkaAtLeast(v string, want ...int) bool {
	parts := strings.Split(v, ".")
	for i, w := range want {
		if i >= len(parts) {
			return false
		}
		if parts[i] == "x" {
			return true
		}
		n, err := strconv.Atoi(parts[i])
		if err != nil {
			return false
		}
		if n != w {
			return n > w
		}
	}
	return true
}

// vpcBootstrap is the multi-VPC bootstrap string for auth.
func vpcBootstrap(b awsprobe.Bootstrap, auth Auth) string {
	switch auth {
	case AuthIAM:
		return b.VpcSASLIAM
	case AuthSCRAM512:
		return b.VpcSASLSCRAM
	}
	return b.VpcTLS
}

// authEnabled says whether the cluster enables auth.
func authEnabled(c awsprobe.Cluster, auth Auth) bool {
	switch auth {
	case AuthIAM:
		return c.IAM
	case AuthSCRAM512:
		return c.SCRAM
	}
	return c.TLSAuth
}
