package esmhealth

import "strings"

// VpcConnectionFindings judges a cross-account MSK mapping's VPC
// connection (multi-VPC private connectivity) from DescribeVpcConnection's
// state and authentication; it returns the problems found, none when the
// connection is usable, and always the constraints that apply.
func VpcConnectionFindings(state, auth string) (problems []string, constraints []string) {
	if state != "AVAILABLE" {
		problems = append(problems, "the VPC connection is "+orUnknown(state)+", not AVAILABLE: the mapping cannot reach the target cluster through it until the cluster owner accepts it and it becomes AVAILABLE")
	}
	switch strings.ToUpper(auth) {
	case "IAM", "TLS", "SASL_SCRAM":
	default:
		problems = append(problems, "the VPC connection's authentication is "+orUnknown(auth)+": multi-VPC private connectivity supports IAM, TLS or SASL/SCRAM only")
	}
	constraints = []string{
		"multi-VPC private connectivity needs the target cluster on Kafka 2.7.1 or later, provisioned (not Serverless), with the cluster policy granting the mapping's account",
		"the mapping's access configuration must match the connection's authentication, and its execution role needs kafka:DescribeVpcConnection",
	}
	return problems, constraints
}

// orUnknown names an empty value.
func orUnknown(s string) string {
	if s == "" {
		return "(not given)"
	}
	return s
}
