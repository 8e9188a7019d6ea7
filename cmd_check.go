package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/esmdoctor/esmdoctor/checks"
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
     --consumer-group 0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b --output json`

func checkCommand() *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     "run the mapping's setup sequence against a cluster",
		UsageText: "esmdoctor check -b HOST:PORT[,HOST:PORT] -t TOPIC [--auth MODE] [--secret-file F] [--ca-file F] [flags]",
		Description: "Runs the checks sts, secret, cluster, dns, tcp, tls, sasl, topic, brokers, group, poll,\n" +
			"lambda-endpoint in that order. --auth defaults to what the secrets imply.\n" + checkExamples,
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "bootstrap-servers", Aliases: []string{"b"}, EnvVars: []string{"ESMDOCTOR_BOOTSTRAP_SERVERS"},
				Usage: "the mapping's KAFKA_BOOTSTRAP_SERVERS: host:port[,host:port]"},
			&cli.StringFlag{Name: "topic", Aliases: []string{"t"}, EnvVars: []string{"ESMDOCTOR_TOPIC"}, Usage: "the mapping's topic (required)"},
			&cli.StringFlag{Name: "auth", EnvVars: []string{"ESMDOCTOR_AUTH"},
				Usage: "none, tls, mtls, sasl-plain, sasl-scram-256 or sasl-scram-512 (default: inferred from the secrets)"},
			&cli.StringFlag{Name: "secret-file", EnvVars: []string{"ESMDOCTOR_SECRET_FILE"},
				Usage: "the secret as Secrets Manager holds it: {\"username\",\"password\"} or {\"certificate\",\"privateKey\"[,\"privateKeyPassword\"]}"},
			&cli.StringFlag{Name: "ca-file", EnvVars: []string{"ESMDOCTOR_CA_FILE"},
				Usage: "the server root CA (SERVER_ROOT_CA_CERTIFICATE): a PEM file or the secret's {\"certificate\"} JSON"},
			&cli.StringFlag{Name: "consumer-group", EnvVars: []string{"ESMDOCTOR_CONSUMER_GROUP"},
				Usage: "the group id the mapping uses: its UUID, or its ConsumerGroupId (default esmdoctor-probe)"},
		}, runFlags()...),
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
	cfg := checks.Config{Topic: strings.TrimSpace(c.String("topic")), ConsumerGroup: c.String("consumer-group"),
		Timeout: c.Duration("timeout"), JoinGroup: c.Bool("join-group"), Verbose: c.Bool("verbose")}
	if err := commonChecks(c); err != nil {
		return cfg, err
	}
	if !c.IsSet("bootstrap-servers") {
		return cfg, usageErr("--bootstrap-servers is required (the mapping's KAFKA_BOOTSTRAP_SERVERS, e.g. -b b-1.example.com:9096)")
	}
	bs, err := checks.ParseBootstrap("--bootstrap-servers", []string{c.String("bootstrap-servers")})
	if err != nil {
		return cfg, err
	}
	cfg.Bootstrap = bs
	if cfg.Topic == "" {
		return cfg, usageErr("--topic is required (the mapping's topic)")
	}
	if cfg.ConsumerGroup == "" {
		cfg.ConsumerGroup = defaultGroup
	}
	if cfg.Secret, err = readDoc("--secret-file", c.String("secret-file")); err != nil {
		return cfg, err
	}
	if cfg.CA, err = readDoc("--ca-file", c.String("ca-file")); err != nil {
		return cfg, err
	}
	cfg.CAIsSecret = cfg.CA != nil && strings.HasPrefix(strings.TrimSpace(string(cfg.CA.Data)), "{")
	cfg.Auth, cfg.AuthReason, err = chooseAuth(c.String("auth"), cfg.Secret, cfg.CA)
	return cfg, err
}

// readDoc reads a local file; a missing or unreadable file is an input error.
func readDoc(flag, path string) (*checks.SecretDoc, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		var reason string
		switch {
		case os.IsNotExist(err):
			reason = "no such file"
		case os.IsPermission(err):
			reason = "permission denied"
		default:
			reason = "cannot be read (is it a directory?)"
		}
		return nil, &checks.InputError{Input: flag, Value: path, Msg: reason}
	}
	return &checks.SecretDoc{Source: path, Data: data}, nil
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
		return "", "", usageErr("--auth %q: want one of none, tls, mtls, sasl-plain, sasl-scram-256, sasl-scram-512", flag)
	}
	if secret == nil {
		if ca != nil {
			return checks.AuthTLS, "inferred: a CA file and no client secret means TLS without client authentication", nil
		}
		return checks.AuthNone, "inferred: no secret and no CA file; pass --auth tls if the brokers use TLS with public certificates", nil
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(secret.Data, &keys); err != nil {
		return "", "", &checks.InputError{Input: "--secret-file", Value: secret.Source,
			Msg: "not a JSON object, so --auth cannot be inferred from it (pass --auth to have it diagnosed)"}
	}
	switch {
	case keys["certificate"] != nil || keys["privateKey"] != nil:
		return checks.AuthMTLS, "inferred: the secret holds certificate/privateKey (CLIENT_CERTIFICATE_TLS_AUTH)", nil
	case keys["username"] != nil || keys["password"] != nil:
		return checks.AuthSCRAM512, "inferred: the secret holds username/password; SCRAM-SHA-512 is MSK's only SASL mechanism (pass --auth sasl-plain for BASIC_AUTH or sasl-scram-256 for SASL_SCRAM_256_AUTH)", nil
	}
	return "", "", &checks.InputError{Input: "--secret-file", Value: secret.Source,
		Msg: fmt.Sprintf("has neither username/password nor certificate/privateKey, so --auth cannot be inferred (keys: %s)", keyList(keys))}
}

func keyList(m map[string]json.RawMessage) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	if len(ks) == 0 {
		return "none"
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}
