package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/inputfile"
	"github.com/esmdoctor/esmdoctor/secrets"
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
		Description: "Runs the checks sts, secret, cluster, dns, tcp, tls, sasl, topic, brokers, group, poll,\n" +
			"lambda-endpoint in that order. --auth defaults to what the secrets (or the MSK cluster) imply.\n" +
			"AWS calls use the standard credential chain, --profile, --region and --role-arn, and honour\n" +
			"AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>.\n" + checkExamples,
		Flags: append(append([]cli.Flag{
			&cli.StringFlag{Name: "bootstrap-servers", Aliases: []string{"b"}, EnvVars: []string{"ESMDOCTOR_BOOTSTRAP_SERVERS"},
				Usage: "the mapping's KAFKA_BOOTSTRAP_SERVERS: host:port[,host:port] (short form of --self-managed-event-source)"},
			&cli.StringFlag{Name: "topic", Aliases: []string{"t", "topics"}, EnvVars: []string{"ESMDOCTOR_TOPIC"}, Usage: "the mapping's topic (required without --esm/--function)"},
			&cli.StringFlag{Name: "auth", EnvVars: []string{"ESMDOCTOR_AUTH"},
				Usage: "none, tls, mtls, sasl-plain, sasl-scram-256, sasl-scram-512 or iam (default: inferred from the secrets, or chosen from the MSK cluster)"},
			&cli.StringFlag{Name: "secret-file", EnvVars: []string{"ESMDOCTOR_SECRET_FILE"},
				Usage: "the secret as Secrets Manager holds it: {\"username\",\"password\"} or {\"certificate\",\"privateKey\"[,\"privateKeyPassword\"]}"},
			&cli.StringFlag{Name: "ca-file", EnvVars: []string{"ESMDOCTOR_CA_FILE"},
				Usage: "the server root CA (SERVER_ROOT_CA_CERTIFICATE): a PEM file or the secret's {\"certificate\"} JSON"},
			&cli.StringFlag{Name: "consumer-group-id", Aliases: []string{"consumer-group"}, EnvVars: []string{"ESMDOCTOR_CONSUMER_GROUP_ID", "ESMDOCTOR_CONSUMER_GROUP"},
				Usage: "the group id the mapping uses: its UUID, or its ConsumerGroupId (default esmdoctor-probe)"},
		}, awsFlags()...), runFlags()...),
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return usageErr("check takes no arguments, got %q (flags go before or after, e.g. -t %s)", c.Args().First(), c.Args().First())
			}
			cfg, err := configFromFlags(c)
			if err != nil {
				return err
			}
			return runReport(c, cfg, "")
		},
	}
}

// defaultGroup is used when the mapping's UUID is not known.
const defaultGroup = "esmdoctor-probe"

// configFromFlags copies the flags into a checks.Config; every problem is an
// input error (exit 2) naming the flag.
func configFromFlags(c *cli.Context) (checks.Config, error) {
	cfg := checks.Config{Topic: strings.TrimSpace(c.String("topic")), ConsumerGroup: c.String("consumer-group-id"),
		Timeout: c.Duration("timeout"), JoinGroup: c.Bool("join-group"), Verbose: c.Bool("verbose")}
	if err := commonChecks(c); err != nil {
		return cfg, err
	}
	in, err := parseAWSInputs(c)
	if err != nil {
		return cfg, err
	}
	if in.mappingGiven() {
		return configFromMapping(c, cfg, in)
	}
	if err := sourceFromFlags(c, &cfg, in); err != nil {
		return cfg, err
	}
	if cfg.Topic == "" {
		return cfg, usageErr("--topic is required (the mapping's topic)")
	}
	if err := checkTopicName("--topic", cfg.Topic); err != nil {
		return cfg, err
	}
	if cfg.ConsumerGroup == "" {
		cfg.ConsumerGroup = defaultGroup
	}
	if err := secretsFromFlags(c, &cfg, in); err != nil {
		return cfg, err
	}
	if err := checkSecretUse(cfg); err != nil {
		return cfg, err
	}
	return cfg, awsConfig(c, &cfg, in)
}

// sourceFromFlags sets the brokers or the MSK cluster: exactly one of
// --bootstrap-servers, --self-managed-event-source and --event-source-arn.
func sourceFromFlags(c *cli.Context, cfg *checks.Config, in awsInputs) error {
	given := 0
	for _, f := range []string{"bootstrap-servers", "self-managed-event-source", "event-source-arn"} {
		if c.IsSet(f) {
			given++
		}
	}
	switch {
	case given == 0:
		return usageErr("--bootstrap-servers is required (the mapping's KAFKA_BOOTSTRAP_SERVERS, e.g. -b b-1.example.com:9096), or --self-managed-event-source, --event-source-arn, --esm or --function")
	case given > 1:
		return usageErr("give one of --bootstrap-servers, --self-managed-event-source and --event-source-arn")
	case c.IsSet("bootstrap-servers"):
		bs, err := checks.ParseBootstrap("--bootstrap-servers", []string{c.String("bootstrap-servers")})
		cfg.Bootstrap = bs
		return err
	case c.IsSet("self-managed-event-source"):
		servers, err := parseSelfManaged(c.String("self-managed-event-source"))
		if err != nil {
			return err
		}
		bs, err := checks.ParseBootstrap("--self-managed-event-source", servers)
		cfg.Bootstrap = bs
		return err
	}
	return nil // --event-source-arn: the cluster check finds the brokers
}

// secretsFromFlags reads the local secret files and the secret ARNs of the
// access configurations, and settles --auth.
func secretsFromFlags(c *cli.Context, cfg *checks.Config, in awsInputs) error {
	var err error
	if cfg.Secret, err = readDoc(c.Context, "--secret-file", c.String("secret-file")); err != nil {
		return err
	}
	if cfg.CA, err = readDoc(c.Context, "--ca-file", c.String("ca-file")); err != nil {
		return err
	}
	cfg.CAIsSecret = cfg.CA != nil && strings.HasPrefix(strings.TrimSpace(string(cfg.CA.Data)), "{")
	if in.authSecret != nil {
		if cfg.Secret != nil {
			return usageErr("--secret-file and a %s access configuration both give the mapping's secret: keep one", in.authSecret.Type)
		}
		cfg.Secret = &checks.SecretDoc{Source: in.authSecret.URI, ARN: in.authSecret.URI}
	}
	if in.rootCA != nil {
		if cfg.CA != nil {
			return usageErr("--ca-file and a SERVER_ROOT_CA_CERTIFICATE access configuration both give the root CA: keep one")
		}
		cfg.CA, cfg.CAIsSecret = &checks.SecretDoc{Source: in.rootCA.URI, ARN: in.rootCA.URI}, true
	}
	cfg.Auth, cfg.AuthReason, err = chooseAuthFor(c.String("auth"), cfg, in)
	return err
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

// chooseAuthFor settles the auth mode: the secret access configuration's
// type (--auth may repeat it, not contradict it), else --auth or what the
// local secret files imply, else (MSK) the cluster check's choice, else
// what the other access configurations imply.
func chooseAuthFor(flag string, cfg *checks.Config, in awsInputs) (checks.Auth, string, error) {
	fromType, typeReason := authFromAccessConfig(in)
	noSecret := flag == "" && cfg.Secret == nil
	switch {
	case fromType != "" && flag != "" && checks.Auth(flag) != fromType:
		return "", "", usageErr("--auth %s contradicts the %s access configuration (which means --auth %s)", flag, in.authSecret.Type, fromType)
	case fromType != "":
		return fromType, typeReason, nil
	case noSecret && in.eventSourceARN != "":
		return "", "chosen by the cluster check from the cluster's client authentication", nil
	case noSecret && in.rootCA != nil:
		return checks.AuthTLS, "inferred: a SERVER_ROOT_CA_CERTIFICATE and no client secret means TLS without client authentication", nil
	case noSecret && in.hasAccessConfigs():
		return checks.AuthNone, "inferred: the access configurations name no secret, so the mapping connects without TLS or SASL", nil
	}
	return chooseAuth(flag, cfg.Secret, cfg.CA)
}

// chooseAuth validates --auth, or infers it from the secrets and says why.
func chooseAuth(flag string, secret, ca *checks.SecretDoc) (checks.Auth, string, error) {
	if flag != "" {
		for _, a := range checks.Auths {
			if string(a) == flag {
				if (a.UsesSASL() || a == checks.AuthMTLS) && secret == nil {
					return "", "", usageErr("--auth %s needs --secret-file with the mapping's %s secret", a, a.AccessConfigType())
				}
				return a, "given by --auth", nil
			}
		}
		return "", "", usageErr("--auth %q: want one of none, tls, mtls, sasl-plain, sasl-scram-256, sasl-scram-512, iam", flag)
	}
	if secret == nil {
		if ca != nil {
			return checks.AuthTLS, "inferred: a CA file and no client secret means TLS without client authentication", nil
		}
		return checks.AuthNone, "inferred: no secret and no CA file; pass --auth tls if the brokers use TLS with public certificates", nil
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(secret.Data, &keys); err != nil {
		// The same words the secret check would use with --auth.
		return "", "", &checks.InputError{Input: "--secret-file", Value: secret.Source,
			Msg: "not the JSON object Lambda reads: " + secrets.JSONProblem(secret.Data) + " (ESM-SECRET-001)"}
	}
	switch {
	case keys["certificate"] != nil || keys["privateKey"] != nil:
		return checks.AuthMTLS, "inferred: the secret holds certificate/privateKey (CLIENT_CERTIFICATE_TLS_AUTH)", nil
	case keys["username"] != nil || keys["password"] != nil:
		return checks.AuthSCRAM512, "inferred: the secret holds username/password; SCRAM-SHA-512 is MSK's only SASL mechanism (pass --auth sasl-plain for BASIC_AUTH or sasl-scram-256 for SASL_SCRAM_256_AUTH)", nil
	}
	return "", "", &checks.InputError{Input: "--secret-file", Value: secret.Source,
		Msg: "has neither username/password nor certificate/privateKey, so --auth cannot be inferred (" + keysHint(keys) + ")"}
}

// keysHint describes a secret's keys without naming them: a key name can
// itself be a secret (a value pasted where a key belongs), so only the
// expected names a key differs from in letter case are shown.
func keysHint(m map[string]json.RawMessage) string {
	var near []string
	for _, want := range []string{"username", "password", "certificate", "privateKey", "privateKeyPassword"} {
		for k := range m {
			if k != want && strings.EqualFold(k, want) {
				near = append(near, want)
				break
			}
		}
	}
	hint := fmt.Sprintf("it has %d key(s), not shown", len(m))
	if len(near) > 0 {
		hint += "; key names are case-sensitive: want " + strings.Join(near, ", ")
	}
	return hint
}
