package catalog

// Cross-account MSK: a mapping whose EventSourceArn is an MSK VPC
// connection (multi-VPC private connectivity) to a cluster in another
// account (reference section 8). The cluster check reads the connection
// as the execution role (kafka:DescribeVpcConnection), then its target
// cluster.
var vpcConnectionCodes = []Entry{
	{Code: CLUSTER010, Check: "cluster", Severity: SevFail, Title: "MSK VPC connection not found",
		Cause:       "{arn}: kafka:DescribeVpcConnection in {region} found no such VPC connection ({api_code}: {detail})",
		Remediation: "check the mapping's EventSourceArn: a cross-account mapping names a VPC connection of its own account and Region (aws kafka list-vpc-connections --region {region}); create one with aws kafka create-vpc-connection once the cluster owner has turned on multi-VPC connectivity and granted this account in the cluster policy"},
	{Code: CLUSTER011, Check: "cluster", Severity: SevFail, Title: "the execution role may not describe the VPC connection",
		Cause:       "{caller} may not call kafka:DescribeVpcConnection on {arn} ({api_code}: {detail}); the mapping reads its VPC connection as the execution role",
		Remediation: "allow kafka:DescribeVpcConnection on {arn} for the execution role (a cross-account MSK mapping needs it besides AWSLambdaMSKExecutionRole's permissions)"},
	{Code: CLUSTER012, Check: "cluster", Severity: SevFail, Title: "the MSK VPC connection is not available",
		Cause:       "{arn} (to {target}) is {state}, not AVAILABLE: {meaning}",
		Remediation: "{fix}"},
	{Code: CLUSTER013, Check: "cluster", Severity: SevFail, Title: "the VPC connection's authentication is not one multi-VPC connectivity supports",
		Cause:       "{arn} (to {target}) uses authentication {auth}; multi-VPC private connectivity supports SASL_IAM, SASL_SCRAM or TLS only",
		Remediation: "create a VPC connection with --authentication SASL_IAM, SASL_SCRAM or TLS (aws kafka create-vpc-connection) and point the mapping at it"},
	{Code: CLUSTER014, Check: "cluster", Severity: SevFail, Title: "the mapping's authentication differs from its VPC connection's",
		Cause:       "{arn} connects with {conn_auth}, but the mapping selects {mapping_auth} ({why}); the VPC connection carries one authentication only",
		Remediation: "{fix}"},
	{Code: CLUSTER015, Check: "cluster", Severity: SevFail, Title: "the target cluster cannot take multi-VPC private connectivity",
		Cause:       "{arn} leads to {target}: {reason}",
		Remediation: "{fix}"},
	{Code: CLUSTER016, Check: "cluster", Severity: SevFail, Title: "the target cluster gives no multi-VPC bootstrap brokers for the connection's authentication",
		Cause:       "GetBootstrapBrokers for {target} returned no {field}: {reason}",
		Remediation: "the cluster owner turns on multi-VPC connectivity for {conn_auth} (that authentication must be on for the cluster too): {cli_fix}"},
	{Code: CLUSTER103, Check: "cluster", Severity: SevWarn, Title: "the VPC connection's target cluster could not be read",
		Cause:       "{arn} leads to {target} in account {account}; kafka:{operation} there returned {detail}: its state, Kafka version and multi-VPC bootstrap brokers are unchecked, and the broker checks cannot run",
		Remediation: "the cluster owner's cluster policy normally grants the connecting account kafka:DescribeClusterV2 and kafka:GetBootstrapBrokers (besides kafka:CreateVpcConnection); or rerun with the brokers given (--bootstrap-servers and --auth) to check the rest"},
}
