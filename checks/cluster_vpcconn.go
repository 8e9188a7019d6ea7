package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/netaudit"
)

// Cross-account MSK: the mapping's EventSourceArn is an MSK VPC connection
// (multi-VPC private connectivity) in the mapping's account, leading to a
// cluster in another account. The mapping reads the connection as the
// execution role (kafka:DescribeVpcConnection), then reaches the target
// cluster through the connection's multi-VPC bootstrap brokers with the
// connection's one authentication.

// vpcConnAuth is what a VPC connection's authentication means for the
// mapping: the auth mode, the bootstrap string that serves it, and the
// cluster setting that must be on.
type vpcConnAuth struct {
	auth   Auth
	field  string
	client string // the update-connectivity ClientAuthentication member
}

// vpcConnAuths are the authentications multi-VPC connectivity supports.
var vpcConnAuths = map[string]vpcConnAuth{
	"SASL_IAM":   {AuthIAM, "BootstrapBrokerStringVpcConnectivitySaslIam", `"Sasl":{"Iam":{"Enabled":true}}`},
	"SASL_SCRAM": {AuthSCRAM512, "BootstrapBrokerStringVpcConnectivitySaslScram", `"Sasl":{"Scram":{"Enabled":true}}`},
	"TLS":        {AuthMTLS, "BootstrapBrokerStringVpcConnectivityTls", `"Tls":{"Enabled":true}`},
}

// runVpcConnection is the cluster check for a vpc-connection EventSourceArn.
func runVpcConnection(ctx context.Context, s *State, connARN string) Outcome {
	arn, _ := awsprobe.ParseARN(connARN)
	if r := s.region(); r != "" && arn.Region != r {
		return fail(catalog.CLUSTER009, otherRegion(s, Args{"arn": connARN}, arn.Region))
	}
	sess, err := s.session(ctx)
	if err != nil {
		return fail(catalog.CLUSTER004, Args{"operation": "DescribeVpcConnection", "endpoint": "the MSK API", "detail": shortErr(err, "")})
	}
	v, err := sess.VpcConnection(ctx, connARN, s.Step)
	s.useEndpoint(awsprobe.Kafka, sess.Endpoint(ctx, awsprobe.Kafka, arn.Region))
	if err != nil {
		return vpcConnFailure(ctx, s, sess, connARN, arn.Region, err)
	}
	detail := vpcConnDetail(v)
	args := Args{"arn": connARN, "target": v.TargetClusterARN, "state": v.State, "auth": v.Authentication, "conn_auth": v.Authentication}
	if o, bad := vpcConnUnusable(v, args); bad {
		return o.withDetail(detail...)
	}
	ca := vpcConnAuths[strings.ToUpper(v.Authentication)]
	if o, bad := vpcConnAuthMismatch(s, ca, args); bad {
		return o.withDetail(detail...)
	}
	target, _ := awsprobe.ParseARN(v.TargetClusterARN)
	s.AWS.cluster = &target
	s.AWS.clusterNet = &netaudit.Placement{Subnets: v.Subnets, SecurityGroups: v.SecurityGroups}
	c := sess.Cluster(ctx, v.TargetClusterARN, target.Region, s.Step)
	return vpcConnTarget(s, c, ca, v, args, detail)
}

// vpcConnFailure classifies a failed DescribeVpcConnection.
func vpcConnFailure(ctx context.Context, s *State, sess *awsprobe.Session, connARN, region string, err error) Outcome {
	if o, ok := deadlineSkip(err, "kafka:DescribeVpcConnection"); ok {
		return o
	}
	args := Args{"arn": connARN, "region": region, "operation": "DescribeVpcConnection", "caller": s.caller(),
		"endpoint": sess.Endpoint(ctx, awsprobe.Kafka, region), "detail": shortErr(err, "")}
	f, ok := apiError(err)
	if !ok {
		if d, ok := networkDetail(err, s.Step); ok {
			args["detail"] = d
		}
		return fail(catalog.CLUSTER004, args)
	}
	args["api_code"], args["detail"] = f.Code, f.Message
	switch {
	case f.Code == "NotFoundException" || f.Code == codeNotFound:
		return fail(catalog.CLUSTER010, args)
	case accessDenied(f.Code):
		return fail(catalog.CLUSTER011, args)
	case throttled(f.Code):
		args["fix"] = "the MSK API throttled the call (" + retriedNote(err) + "): retry later"
	default:
		args["fix"] = "look up " + f.Code + " in the MSK API reference for DescribeVpcConnection"
	}
	return fail(catalog.CLUSTER003, args)
}

// vpcConnUnusable fails a connection that is not AVAILABLE or whose
// authentication multi-VPC connectivity does not support.
func vpcConnUnusable(v awsprobe.VpcConnection, args Args) (Outcome, bool) {
	if v.State != "AVAILABLE" {
		args["meaning"], args["fix"] = vpcConnStateText(v.State, v.TargetClusterARN)
		return fail(catalog.CLUSTER012, args), true
	}
	if _, ok := vpcConnAuths[strings.ToUpper(v.Authentication)]; !ok {
		args["auth"] = orNone(v.Authentication)
		return fail(catalog.CLUSTER013, args), true
	}
	return Outcome{}, false
}

// vpcConnStateText says what a connection state means and what to do.
func vpcConnStateText(state, target string) (meaning, fix string) {
	switch state {
	case "CREATING":
		return "MSK is still creating it, and no traffic passes until it is AVAILABLE", "wait until it is AVAILABLE (aws kafka describe-vpc-connection --arn ARN), then rerun"
	case "REJECTED", "REJECTING":
		return "the cluster owner rejected it", "ask the owner of " + target + " to allow this account in the cluster policy, then create a new VPC connection (a rejected one cannot be reused)"
	case "DEACTIVATING", "INACTIVE", "DELETING":
		return "it is being turned off or removed", "create a new VPC connection (aws kafka create-vpc-connection) and point the mapping's EventSourceArn at it"
	}
	return "MSK could not create it (" + orNone(state) + ")", "delete it and create it again (aws kafka create-vpc-connection); check the subnets and security groups it names"
}

// vpcConnAuthMismatch fails a mapping whose access configuration selects
// another authentication than the connection's.
func vpcConnAuthMismatch(s *State, ca vpcConnAuth, args Args) (Outcome, bool) {
	mine := s.auth()
	if mine == ca.auth || (mine == "" && ca.auth == AuthIAM) {
		return Outcome{}, false
	}
	args["mapping_auth"], args["why"] = string(mine), s.authReason()
	if mine == "" {
		args["mapping_auth"], args["why"] = "IAM", "no secret is given, so the mapping uses IAM"
	}
	switch ca.auth {
	case AuthIAM:
		args["fix"] = "remove the mapping's secret access configuration so it uses IAM, or use a VPC connection created with SASL_SCRAM or TLS"
	case AuthSCRAM512:
		args["fix"] = "give the mapping a SASL_SCRAM_512_AUTH secret of the target cluster, or use a VPC connection created with SASL_IAM"
	default:
		args["fix"] = "give the mapping a CLIENT_CERTIFICATE_TLS_AUTH secret the target cluster trusts, or use a VPC connection created with SASL_IAM"
	}
	return fail(catalog.CLUSTER014, args), true
}

// vpcConnDetail states the connection and the constraints that apply.
func vpcConnDetail(v awsprobe.VpcConnection) []string {
	return []string{
		fmt.Sprintf("VPC connection %s: %s, authentication %s, target cluster %s", v.ARN, v.State, orNone(v.Authentication), v.TargetClusterARN),
		fmt.Sprintf("its network: VPC %s, subnets %s, security groups %s", orNone(v.VPC), listOrNone(v.Subnets), listOrNone(v.SecurityGroups)),
		"multi-VPC private connectivity needs a provisioned target cluster (not Serverless) on Apache Kafka 2.7.1 or later, with SASL_IAM, SASL_SCRAM or TLS, and the cluster policy granting this account; the execution role needs kafka:DescribeVpcConnection",
	}
}
