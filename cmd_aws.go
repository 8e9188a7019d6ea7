package main

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// awsFlags are check's AWS inputs, shaped like the AWS CLI's
// create-event-source-mapping options. None reads an environment variable
// of its own: AWS_REGION and AWS_PROFILE reach the SDK directly, and only
// an explicit AWS input turns the AWS checks on.
func awsFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "event-source-arn", Usage: "the MSK cluster ARN (an MSK mapping's EventSourceArn)"},
		&cli.StringFlag{Name: "self-managed-event-source", Usage: `{"Endpoints":{"KAFKA_BOOTSTRAP_SERVERS":["host:port",...]}} (self-managed; -b is the short form)`},
		&cli.GenericFlag{Name: "source-access-configuration", Value: &accessConfigFlag{},
			Usage: "Type=TYPE,URI=URI, repeatable: BASIC_AUTH, SASL_SCRAM_256_AUTH, SASL_SCRAM_512_AUTH, CLIENT_CERTIFICATE_TLS_AUTH, SERVER_ROOT_CA_CERTIFICATE (Secrets Manager ARNs), VPC_SUBNET, VPC_SECURITY_GROUP"},
		&cli.StringFlag{Name: "source-access-configurations", Usage: `the same as a JSON list: [{"Type":"SASL_SCRAM_512_AUTH","URI":"arn:aws:secretsmanager:..."}]`},
		&cli.StringFlag{Name: "region", Usage: "the function's Region (default: AWS_REGION or the profile's)"},
		&cli.StringFlag{Name: "profile", Usage: "the AWS profile for esmdoctor's own calls (default: AWS_PROFILE or the credential chain)"},
		&cli.StringFlag{Name: "role-arn", Usage: "assume this role (the function's execution role) for what the mapping does as it (STS, secrets, MSK, MSK IAM login); the mapping itself is read with esmdoctor's own credentials"},
		&cli.StringFlag{Name: "esm", Usage: "an event source mapping's UUID (or ARN): the mapping check reads everything from it, within --timeout"},
		&cli.StringFlag{Name: "function", Usage: "a function name or ARN: use its only Kafka event source mapping"},
	}
}

// accessConfigFlag collects repeated --source-access-configuration values
// (package resolve parses them). Each value is one Type=...,URI=...
// structure; several may be given in one value separated by spaces, as the
// AWS CLI's shorthand allows.
type accessConfigFlag struct{ raw []string }

func (f *accessConfigFlag) Set(v string) error {
	f.raw = append(f.raw, strings.Fields(v)...)
	return nil
}

func (f *accessConfigFlag) String() string { return strings.Join(f.raw, " ") }
