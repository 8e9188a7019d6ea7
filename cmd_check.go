package main

import (
	"context"
	"errors"
	"os"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/inputfile"
	"github.com/esmdoctor/esmdoctor/resolve"
	"github.com/urfave/cli/v2"
)

const checkExamples = `
EXAMPLES:
   # a self-managed cluster with SASL/SCRAM-SHA-512 over TLS and a private CA
   esmdoctor check -b b-1.kafka.internal:9096,b-2.kafka.internal:9096 -t orders \
     --secret-file scram.json --ca-file root-ca.pem

   # mTLS, validating the secret before it is uploaded to Secrets Manager
   esmdoctor check -b kafka.example.com:9094 -t orders --auth mtls --secret-file mtls.json

   # the mapping's real consumer group (its UUID), JSON for a CI gate
   esmdoctor check -b 10.0.1.15:9092 -t orders --auth none \
     --consumer-group-id 0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b --output json

   # an existing mapping: everything is read from it (and its function)
   esmdoctor check --esm 0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b --region us-east-1

   # the same, from inside the mapping's VPC: a temporary Lambda function in its subnets, deleted afterwards
   esmdoctor check --esm 0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b --region us-east-1 --in-vpc

   # MSK with IAM, as the function's execution role
   esmdoctor check --event-source-arn arn:aws:kafka:us-east-1:123456789012:cluster/orders/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-2 \
     --topics orders --role-arn arn:aws:iam::123456789012:role/orders-consumer

   # MSK with SASL/SCRAM, the secret read from Secrets Manager
   esmdoctor check --event-source-arn arn:aws:kafka:us-east-1:123456789012:cluster/orders/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-2 \
     --topics orders --source-access-configuration Type=SASL_SCRAM_512_AUTH,URI=arn:aws:secretsmanager:us-east-1:123456789012:secret:AmazonMSK_orders-AbCdEf`

func checkCommand() *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     "run the mapping's setup sequence against a cluster",
		UsageText: "esmdoctor check -b HOST:PORT[,HOST:PORT] -t TOPIC [--auth MODE] [--secret-file F] [--ca-file F] [flags]\n   esmdoctor check --event-source-arn MSK_ARN --topics TOPIC [--source-access-configuration Type=...,URI=...] [flags]\n   esmdoctor check --esm UUID | --function NAME [flags]",
		Description: "Runs the checks mapping, api, sts, secret, cluster, network, permissions, dns, tcp, tls, sasl, topic,\n" +
			"brokers, group, poll, lambda-endpoint in that order. --auth defaults to what the secrets (or the MSK cluster) imply.\n" +
			"AWS calls use the standard credential chain, --profile, --region and --role-arn, and honour\n" +
			"AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>.\n" + checkExamples,
		Flags: append(append([]cli.Flag{
			&cli.StringFlag{Name: "bootstrap-servers", Aliases: []string{"b"}, EnvVars: []string{"ESMDOCTOR_BOOTSTRAP_SERVERS"},
				Usage: "the mapping's KAFKA_BOOTSTRAP_SERVERS: host:port[,host:port] (short form of --self-managed-event-source)"},
			&cli.StringFlag{Name: "topic", Aliases: []string{"t", "topics"}, EnvVars: []string{"ESMDOCTOR_TOPIC"}, Usage: "the mapping's topic (required without --esm/--function)"},
			&cli.StringFlag{Name: "auth", EnvVars: []string{"ESMDOCTOR_AUTH"},
				Usage: "none, tls, mtls, sasl-plain, sasl-scram-256, sasl-scram-512, iam, oauth or iam-oauthbearer (default: inferred from the secrets or the access configurations, or chosen from the MSK cluster)"},
			&cli.StringFlag{Name: "secret-file", EnvVars: []string{"ESMDOCTOR_SECRET_FILE"},
				Usage: "the secret as Secrets Manager holds it: {\"username\",\"password\"}, {\"certificate\",\"privateKey\"[,\"privateKeyPassword\"]} or the OAuth secret {\"oauthTokenEndpointUrl\",\"oauthClientId\",...}"},
			&cli.StringFlag{Name: "ca-file", EnvVars: []string{"ESMDOCTOR_CA_FILE"},
				Usage: "the server root CA (SERVER_ROOT_CA_CERTIFICATE): a PEM file or the secret's {\"certificate\"} JSON"},
			&cli.StringFlag{Name: "consumer-group-id", Aliases: []string{"consumer-group"}, EnvVars: []string{"ESMDOCTOR_CONSUMER_GROUP_ID", "ESMDOCTOR_CONSUMER_GROUP"},
				Usage: "the group id the mapping uses: its UUID, or its ConsumerGroupId (default esmdoctor-probe)"},
		}, append(append(append(append(awsFlags(), kafkaConfigFlags()...), settingsFlags()...), inVPCFlags()...), iacFlags()...)...), runFlags()...),
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return usageErr("check takes no arguments, got %q (flags go before or after, e.g. -t %s)", c.Args().First(), c.Args().First())
			}
			cfg, err := configFromFlags(c)
			if err != nil {
				return err
			}
			if c.Bool("in-vpc") {
				return runInVPC(c, cfg)
			}
			for _, f := range []string{"probe-role", "probe-binary", "probe-timeout"} {
				if c.IsSet(f) {
					return usageErr("--%s is for --in-vpc", f)
				}
			}
			return runReport(c, cfg, "")
		},
	}
}

// configFromFlags copies the flags into resolve.Inputs (reading the local
// files), and has the target resolved; every problem is an input error
// (exit 2) naming the flag.
func configFromFlags(c *cli.Context) (checks.Config, error) {
	if err := commonChecks(c); err != nil {
		return checks.Config{}, err
	}
	if plan, err := planGiven(c); err != nil || plan {
		if err != nil {
			return checks.Config{}, err
		}
		return configFromPlan(c)
	}
	in := resolve.Inputs{SelfManaged: c.String("self-managed-event-source"),
		EventSourceARN: c.String("event-source-arn"), AccessConfigsJSON: c.String("source-access-configurations"),
		Topic: c.String("topic"), ConsumerGroup: c.String("consumer-group-id"), Auth: c.String("auth"),
		Region: c.String("region"), Profile: c.String("profile"), RoleARN: c.String("role-arn"), ESM: c.String("esm"), Function: c.String("function"),
		Env: map[string]string{"AWS_REGION": os.Getenv("AWS_REGION"), "AWS_DEFAULT_REGION": os.Getenv("AWS_DEFAULT_REGION")}}
	if c.IsSet("bootstrap-servers") {
		in.Bootstrap = []string{c.String("bootstrap-servers")}
	}
	if f, ok := c.Generic("source-access-configuration").(*accessConfigFlag); ok {
		in.AccessConfig = f.raw
	}
	if err := kafkaConfigFromFlags(c, &in); err != nil {
		return checks.Config{}, err
	}
	var err error
	if in.Secret, err = readDoc(c.Context, "--secret-file", c.String("secret-file")); err != nil {
		return checks.Config{}, err
	}
	if in.CA, err = readDoc(c.Context, "--ca-file", c.String("ca-file")); err != nil {
		return checks.Config{}, err
	}
	t, err := resolve.Resolve(c.Context, in)
	if err != nil {
		return checks.Config{}, err
	}
	cfg := checks.NewConfig(t)
	cfg.Timeout, cfg.JoinGroup, cfg.Verbose = c.Duration("timeout"), c.Bool("join-group"), c.Bool("verbose")
	return cfg, settingsFromFlags(c, &cfg)
}

// readDoc reads a local file through inputfile: only a regular file of at
// most 65,536 bytes, never blocking; any refusal is an input error naming
// the flag and the file.
func readDoc(ctx context.Context, flag, path string) (*checks.SecretDoc, error) {
	if path == "" {
		return nil, nil
	}
	data, err := inputfile.Read(ctx, path)
	if err != nil {
		return nil, fileError(flag, path, err)
	}
	return &checks.SecretDoc{Source: path, Data: data, LocalFile: true}, nil
}

// fileError turns an inputfile refusal into an input error (exit 2); an
// interruption stays an interruption (exit 3).
func fileError(flag, path string, err error) error {
	var fe *inputfile.Error
	if errors.As(err, &fe) {
		return &checks.InputError{Input: flag, Value: path, Msg: fe.Msg}
	}
	return err
}
