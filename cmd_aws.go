package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/checks"
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
		&cli.StringFlag{Name: "role-arn", Usage: "assume this role (the function's execution role) for every AWS call and the MSK IAM login"},
		&cli.StringFlag{Name: "esm", Usage: "an event source mapping's UUID (or ARN): read everything from it"},
		&cli.StringFlag{Name: "function", Usage: "a function name or ARN: use its only Kafka event source mapping"},
	}
}

// accessConfigFlag collects repeated --source-access-configuration values.
// Each value is one Type=...,URI=... structure; several may be given in one
// value separated by spaces, as the AWS CLI's shorthand allows.
type accessConfigFlag struct{ raw []string }

func (f *accessConfigFlag) Set(v string) error {
	f.raw = append(f.raw, strings.Fields(v)...)
	return nil
}

func (f *accessConfigFlag) String() string { return strings.Join(f.raw, " ") }

// awsInputs are the AWS inputs as parsed, before any AWS call.
type awsInputs struct {
	opts           awsprobe.Options
	eventSourceARN string
	access         []awsprobe.AccessConfig
	authSecret     *awsprobe.AccessConfig // the one secret that authenticates
	rootCA         *awsprobe.AccessConfig
	esm, function  string
	any            bool // some AWS input was given: the AWS checks apply
}

func (in awsInputs) mappingGiven() bool     { return in.esm != "" || in.function != "" }
func (in awsInputs) hasAccessConfigs() bool { return len(in.access) > 0 }

var (
	uuidPattern   = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
)

// parseAWSInputs validates the AWS flags without calling AWS.
func parseAWSInputs(c *cli.Context) (awsInputs, error) {
	in := awsInputs{opts: awsprobe.Options{Region: c.String("region"), Profile: c.String("profile"), RoleARN: c.String("role-arn")},
		esm: c.String("esm"), function: c.String("function")}
	if r := in.opts.Region; r != "" && !regionPattern.MatchString(r) {
		return in, &checks.InputError{Input: "--region", Value: r, Msg: "not a Region name (for example us-east-1)"}
	}
	if r := in.opts.RoleARN; r != "" {
		if a, ok := awsprobe.ParseARN(r); !ok || a.Service != "iam" || !strings.HasPrefix(a.Resource, "role/") {
			return in, &checks.InputError{Input: "--role-arn", Value: r, Msg: "not an IAM role ARN (arn:aws:iam::<account>:role/<name>)"}
		}
	}
	if v := c.String("event-source-arn"); v != "" {
		if a, ok := awsprobe.ParseARN(v); !ok || a.Service != "kafka" || !strings.HasPrefix(a.Resource, "cluster/") || a.Region == "" {
			return in, &checks.InputError{Input: "--event-source-arn", Value: v, Msg: "not an MSK cluster ARN (arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid>)"}
		}
		in.eventSourceARN = v
	}
	if err := parseAccess(c, &in); err != nil {
		return in, err
	}
	if err := parseMappingFlags(c, &in); err != nil {
		return in, err
	}
	in.any = in.eventSourceARN != "" || in.opts.Region != "" || in.opts.Profile != "" || in.opts.RoleARN != "" ||
		in.mappingGiven() || in.authSecret != nil || in.rootCA != nil || c.String("auth") == string(checks.AuthIAM) || len(in.access) > 0
	return in, checkRegionEnv(in)
}

// parseMappingFlags validates --esm and --function and what they exclude.
func parseMappingFlags(c *cli.Context, in *awsInputs) error {
	if in.esm != "" && in.function != "" {
		return usageErr("give --esm or --function, not both")
	}
	if in.esm != "" {
		if a, ok := awsprobe.ParseARN(in.esm); ok && a.Service == "lambda" && strings.HasPrefix(a.Resource, "event-source-mapping:") {
			in.esm = strings.TrimPrefix(a.Resource, "event-source-mapping:")
			if in.opts.Region == "" {
				in.opts.Region = a.Region
			}
		}
		if !uuidPattern.MatchString(in.esm) {
			return &checks.InputError{Input: "--esm", Value: c.String("esm"), Msg: "not an event source mapping UUID (or ARN)"}
		}
	}
	if !in.mappingGiven() {
		return nil
	}
	for _, f := range []string{"bootstrap-servers", "self-managed-event-source", "event-source-arn", "source-access-configuration",
		"source-access-configurations", "topic", "consumer-group-id", "secret-file", "ca-file", "auth"} {
		if c.IsSet(f) {
			return usageErr("--%s: not with --esm or --function, which read it from the mapping", f)
		}
	}
	return nil
}

// parseAccess reads --source-access-configuration(s).
func parseAccess(c *cli.Context, in *awsInputs) error {
	if f, ok := c.Generic("source-access-configuration").(*accessConfigFlag); ok {
		for _, raw := range f.raw {
			ac, err := parseShorthand(raw)
			if err != nil {
				return &checks.InputError{Input: "--source-access-configuration", Value: raw, Msg: err.Error()}
			}
			in.access = append(in.access, ac)
		}
	}
	if v := c.String("source-access-configurations"); v != "" {
		var list []struct{ Type, URI string }
		if err := json.Unmarshal([]byte(v), &list); err != nil {
			return &checks.InputError{Input: "--source-access-configurations", Msg: `not a JSON list of {"Type":...,"URI":...}: ` + err.Error()}
		}
		for _, l := range list {
			in.access = append(in.access, awsprobe.AccessConfig{Type: l.Type, URI: l.URI})
		}
	}
	return classifyAccess(in)
}

// parseShorthand reads Type=...,URI=... (keys in any order and case).
func parseShorthand(raw string) (awsprobe.AccessConfig, error) {
	var ac awsprobe.AccessConfig
	for _, part := range strings.Split(raw, ",") {
		k, v, ok := strings.Cut(part, "=")
		switch {
		case !ok:
			return ac, fmt.Errorf("want Type=TYPE,URI=URI")
		case strings.EqualFold(k, "Type"):
			ac.Type = v
		case strings.EqualFold(k, "URI"):
			ac.URI = v
		default:
			return ac, fmt.Errorf("unknown key %q (want Type and URI)", k)
		}
	}
	return ac, nil
}

// classifyAccess checks each access configuration's type and URI, and finds
// the secrets: at most one that authenticates, at most one root CA.
func classifyAccess(in *awsInputs) error {
	const flag = "--source-access-configuration"
	for i := range in.access {
		ac := &in.access[i]
		switch {
		case isSecretType(ac.Type) || ac.Type == "SERVER_ROOT_CA_CERTIFICATE":
			if a, ok := awsprobe.ParseARN(ac.URI); !ok || a.Service != "secretsmanager" {
				return &checks.InputError{Input: flag, Value: ac.Type + "," + ac.URI, Msg: "the URI must be a Secrets Manager secret ARN"}
			}
			if ac.Type == "SERVER_ROOT_CA_CERTIFICATE" {
				if in.rootCA != nil {
					return &checks.InputError{Input: flag, Msg: "two SERVER_ROOT_CA_CERTIFICATE configurations: a mapping has one"}
				}
				in.rootCA = ac
				continue
			}
			if in.authSecret != nil {
				return &checks.InputError{Input: flag, Msg: fmt.Sprintf("%s and %s: a mapping authenticates with one secret", in.authSecret.Type, ac.Type)}
			}
			in.authSecret = ac
		case ac.Type == "VPC_SUBNET" && strings.HasPrefix(ac.URI, "subnet:subnet-"):
		case ac.Type == "VPC_SECURITY_GROUP" && strings.HasPrefix(ac.URI, "security_group:sg-"):
		case ac.Type == "VPC_SUBNET" || ac.Type == "VPC_SECURITY_GROUP":
			return &checks.InputError{Input: flag, Value: ac.Type + "," + ac.URI, Msg: "want URI=subnet:subnet-... or URI=security_group:sg-..."}
		default:
			return &checks.InputError{Input: flag, Value: ac.Type, Msg: "unknown Type (want BASIC_AUTH, SASL_SCRAM_256_AUTH, SASL_SCRAM_512_AUTH, CLIENT_CERTIFICATE_TLS_AUTH, SERVER_ROOT_CA_CERTIFICATE, VPC_SUBNET or VPC_SECURITY_GROUP)"}
		}
	}
	return nil
}

// authFromAccessConfig is the auth mode the mapping's secret type selects.
func authFromAccessConfig(in awsInputs) (checks.Auth, string) {
	if in.authSecret == nil {
		return "", ""
	}
	a, _ := checks.AuthForAccessConfigType(in.authSecret.Type)
	return a, "from the " + in.authSecret.Type + " access configuration"
}

// parseSelfManaged reads --self-managed-event-source.
func parseSelfManaged(v string) ([]string, error) {
	var doc struct {
		Endpoints map[string][]string
	}
	if err := json.Unmarshal([]byte(v), &doc); err != nil {
		return nil, &checks.InputError{Input: "--self-managed-event-source", Msg: `not JSON like {"Endpoints":{"KAFKA_BOOTSTRAP_SERVERS":["host:port"]}}: ` + err.Error()}
	}
	servers := doc.Endpoints["KAFKA_BOOTSTRAP_SERVERS"]
	if len(servers) == 0 {
		return nil, &checks.InputError{Input: "--self-managed-event-source", Msg: "no Endpoints.KAFKA_BOOTSTRAP_SERVERS"}
	}
	return servers, nil
}

// isSecretType says whether an access configuration type names the
// mapping's authenticating secret.
func isSecretType(t string) bool {
	_, ok := checks.AuthForAccessConfigType(t)
	return ok
}

// checkRegionEnv validates AWS_REGION and AWS_DEFAULT_REGION as --region
// is, when the AWS side is used and --region does not override them.
func checkRegionEnv(in awsInputs) error {
	if !in.any || in.opts.Region != "" {
		return nil
	}
	for _, env := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		if r := os.Getenv(env); r != "" && !regionPattern.MatchString(r) {
			return &checks.InputError{Input: env, Value: r, Msg: "not a Region name (for example us-east-1)"}
		}
	}
	return nil
}
