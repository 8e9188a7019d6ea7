package main

import (
	"github.com/urfave/cli/v2"
)

const auditExamples = `
EXAMPLES:
   # an existing mapping, from a CI job outside its VPC
   esmdoctor audit --esm 0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b --region us-east-1 -o junit --output-file audit.xml

   # an MSK mapping before it is created: the cluster's network and the execution role
   esmdoctor audit --event-source-arn arn:aws:kafka:us-east-1:123456789012:cluster/orders/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-2 \
     --topics orders --role-arn arn:aws:iam::123456789012:role/orders-consumer

   # self-managed Kafka in a VPC, provisioned pollers
   esmdoctor audit -b 10.0.1.15:9096 -t orders --region eu-west-1 \
     --source-access-configuration 'Type=VPC_SUBNET,URI=subnet:subnet-0abc Type=VPC_SECURITY_GROUP,URI=security_group:sg-0def' \
     --provisioned-poller-config MinimumPollers=1,MaximumPollers=3`

// auditCommand runs only the checks that need no connection to the brokers
// (mapping, api, sts, secret, cluster, network, permissions, health), for CI jobs that cannot
// reach the VPC: same inputs, formats and exit codes as check.
func auditCommand() *cli.Command {
	cmd := checkCommand()
	cmd.Name = "audit"
	cmd.Usage = "predict the mapping's failures from read-only AWS API calls, without connecting to the brokers"
	cmd.UsageText = "esmdoctor audit [the inputs of check]"
	cmd.Description = "Runs the checks mapping, api, sts, secret, cluster, network, permissions and health: the mapping's network (security\n" +
		"groups, network ACLs, routes, NAT or VPC endpoints, endpoint policies, free addresses) and its\n" +
		"execution role (trust policy, the actions its auth mode needs on the exact ARNs), read with\n" +
		"EC2 and IAM describe calls as esmdoctor's own identity. Each predicted failure names the\n" +
		"PROBLEM text Lambda would show and the AWS CLI command that fixes it. A network or role\n" +
		"esmdoctor cannot read fails the audit. With --esm/--function, health reads the mapping's own system\n" +
		"logs and metrics of the last --since.\n" + auditExamples
	cmd.Action = func(c *cli.Context) error {
		if c.Args().Present() {
			return usageErr("audit takes no arguments, got %q", c.Args().First())
		}
		cfg, err := configFromFlags(c)
		if err != nil {
			return err
		}
		if cfg.AWS == nil {
			return usageErr("audit reads the mapping from AWS: give --esm, --function, --event-source-arn, --region or the mapping's access configurations")
		}
		cfg.Audit = true
		return runReport(c, cfg, "")
	}
	return cmd
}
