package main

import (
	"io"
	"os"
	"strings"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/iac"
	"github.com/esmdoctor/esmdoctor/resolve"
	"github.com/urfave/cli/v2"
)

// unknownGroup stands for a new mapping's consumer group: its UUID, which
// exists only after apply.
const unknownGroup = "MAPPING-UUID"

// iacFlags read the mapping from infrastructure code before it is applied.
func iacFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "terraform-plan", Usage: "read the mapping from `terraform show -json PLANFILE` output (values known only after apply are reported as unknown)"},
		&cli.StringFlag{Name: "terraform-address", Usage: "the mapping's resource address in the plan, when it has several"},
		&cli.StringFlag{Name: "cloudformation-template", Usage: "read the mapping from a CloudFormation or SAM template (JSON or YAML); values known only at deploy are reported as unknown"},
		&cli.StringSliceFlag{Name: "parameter", Usage: "Key=Value, repeatable: a template parameter's value (else its Default)"},
		&cli.StringFlag{Name: "cloudformation-resource", Usage: "the mapping's logical id (or Function.Event for a SAM event), when the template has several"},
	}
}

// planGiven says whether --terraform-plan or --cloudformation-template was
// given, and rejects the flags they replace.
func planGiven(c *cli.Context) (bool, error) {
	tf, cf := c.String("terraform-plan") != "", c.String("cloudformation-template") != ""
	switch {
	case tf && cf:
		return true, usageErr("give --terraform-plan or --cloudformation-template, not both")
	case c.IsSet("terraform-address") && !tf:
		return false, usageErr("--terraform-address needs --terraform-plan")
	case (c.IsSet("cloudformation-resource") || c.IsSet("parameter")) && !cf:
		return false, usageErr("--cloudformation-resource and --parameter need --cloudformation-template")
	case !tf && !cf:
		return false, nil
	}
	for _, f := range []string{"esm", "function", "bootstrap-servers", "self-managed-event-source", "event-source-arn", "source-access-configuration",
		"source-access-configurations", "topic", "consumer-group-id", "provisioned-poller-config", "destination-config",
		"self-managed-kafka-event-source-config", "amazon-managed-kafka-event-source-config"} {
		if c.IsSet(f) {
			return true, usageErr("--%s: not with --terraform-plan or --cloudformation-template, which read it from the code", f)
		}
	}
	return true, nil
}

// readIaC reads and parses the plan or template, bounded.
func readIaC(c *cli.Context, region string) (iac.Mapping, error) {
	flag, path := "--terraform-plan", c.String("terraform-plan")
	if path == "" {
		flag, path = "--cloudformation-template", c.String("cloudformation-template")
	}
	f, err := os.Open(path)
	if err != nil {
		return iac.Mapping{}, &checks.InputError{Input: flag, Value: path, Msg: "cannot be read"}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, iac.MaxPlanBytes+1))
	if err != nil {
		return iac.Mapping{}, &checks.InputError{Input: flag, Value: path, Msg: "cannot be read"}
	}
	var m iac.Mapping
	if flag == "--terraform-plan" {
		m, err = iac.FromTerraformPlan(data, c.String("terraform-address"))
	} else {
		var params map[string]string
		if params, err = parameters(c.StringSlice("parameter")); err == nil {
			m, err = iac.FromCloudFormation(data, c.String("cloudformation-resource"), params, region)
		}
	}
	if err != nil {
		return m, &checks.InputError{Input: flag, Value: path, Msg: err.Error()}
	}
	return m, nil
}

// parameters reads --parameter Key=Value values.
func parameters(raw []string) (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range raw {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, &checks.InputError{Input: "--parameter", Value: kv, Msg: "want Key=Value"}
		}
		out[k] = v
	}
	return out, nil
}

// configFromPlan builds the run's configuration from the mapping the
// plan or template declares. Nothing is guessed: a source known only after
// apply leaves the target without brokers or cluster, and the checks that
// need them are Blocked with the reason.
func configFromPlan(c *cli.Context) (checks.Config, error) {
	region := c.String("region")
	if region == "" && c.String("cloudformation-template") != "" {
		region = firstSet(os.Getenv("AWS_REGION"), os.Getenv("AWS_DEFAULT_REGION"))
	}
	m, err := readIaC(c, region)
	if err != nil {
		return checks.Config{}, err
	}
	if region == "" {
		region = m.Region
	}
	if len(m.Topics) == 0 {
		return checks.Config{}, &checks.InputError{Input: iacFlag(c), Value: m.Address, Msg: "the mapping names no topic (or its topics are unknown before deploy)"}
	}
	t, err := planTarget(c, m, region)
	if err != nil {
		return checks.Config{}, err
	}
	cfg := checks.NewConfig(t)
	cfg.Timeout, cfg.JoinGroup, cfg.Verbose = c.Duration("timeout"), c.Bool("join-group"), c.Bool("verbose")
	a := cfg.AWS
	a.Provisioned, a.OnFailureDestination, a.Planned = m.Provisioned, m.Destination, m.Planned
	if m.Role != "" {
		a.Function = &awsprobe.Function{Name: m.Function, Role: m.Role}
	}
	if cl := m.Cluster; cl != nil && m.EventSourceARN == "" {
		a.PlannedCluster = &checks.PlannedCluster{Address: cl.Address, Subnets: cl.Subnets, SecurityGroups: cl.SecurityGroups}
		a.PlannedCluster.Port, cfg.Auth, cfg.AuthReason = plannedListener(cfg, cl)
	}
	planNotes(c, &cfg, m)
	return cfg, nil
}

// planTarget builds the target from the code's values: the source, the
// access configurations (their secrets fetched as the mapping would), the
// topic, the group, the auth mode the secret type selects.
func planTarget(c *cli.Context, m iac.Mapping, region string) (resolve.Target, error) {
	aw := &resolve.AWS{Options: awsprobe.Options{Region: region, Profile: c.String("profile"), RoleARN: c.String("role-arn")},
		RegionFrom: iacFlag(c), EventSourceARN: m.EventSourceARN}
	if c.String("region") != "" {
		aw.RegionFrom = "--region"
	}
	t := resolve.Target{Topic: m.Topics[0], ConsumerGroup: m.ConsumerGroup, AWS: aw,
		Kafka: resolve.KafkaConfig{ConsumerGroupID: m.ConsumerGroup, ConsumptionMode: m.ConsumptionMode, SchemaRegistry: planRegistry(m.Registry)}}
	var err error
	switch {
	case len(m.Bootstrap) > 0:
		if t.Bootstrap, err = resolve.ParseBootstrap(iacFlag(c), m.Bootstrap); err != nil {
			return t, err
		}
	case m.EventSourceARN == "" && c.Command.Name != "audit":
		return t, usageErr("the event source of %s is known only after apply: run esmdoctor audit, or check after apply", m.Address)
	}
	for _, ac := range m.AccessConfigs {
		aw.AccessConfigs = append(aw.AccessConfigs, awsprobe.AccessConfig{Type: ac[0], URI: ac[1]})
		doc := &resolve.SecretDoc{Source: ac[1], ARN: ac[1]}
		if auth, ok := resolve.AuthForAccessConfigType(ac[0]); ok {
			t.Secret, t.Auth, t.AuthReason = doc, auth, "from the "+ac[0]+" access configuration"
		} else if auth, ok := resolve.AuthForIAMType(ac[0]); ok {
			t.Auth, t.AuthReason = auth, "from the "+ac[0]+" access configuration"
		} else if ac[0] == resolve.TypeOAuthAudience {
			t.OAuth = &resolve.OAuthSettings{Audience: ac[1]}
		} else if ac[0] == "SERVER_ROOT_CA_CERTIFICATE" {
			t.CA, t.CAIsSecret = doc, true
		}
	}
	if t.Auth == "" {
		t.Auth, t.AuthReason = resolve.AuthTLS, "no authenticating secret in the code: TLS without client authentication"
	}
	if a := c.String("auth"); a != "" {
		t.Auth, t.AuthReason = resolve.Auth(a), "given by --auth"
	}
	aw.Session, err = resolve.LoadSession(c.Context, aw)
	return t, err
}

// planRegistry is the code's SchemaRegistryConfig as the flag's parser
// gives it, so the registry check reads it the same way (nil: none).
func planRegistry(r *iac.Registry) *resolve.SchemaRegistryConfig {
	if r == nil {
		return nil
	}
	out := &resolve.SchemaRegistryConfig{URI: r.URI, EventRecordFormat: r.EventRecordFormat, Validate: r.Validate}
	for _, ac := range r.AccessConfigs {
		out.AccessConfigs = append(out.AccessConfigs, awsprobe.AccessConfig{Type: ac[0], URI: ac[1]})
	}
	return out
}

// planNotes states where the target came from and every unknown, and
// blocks the checks each unknown feeds.
func planNotes(c *cli.Context, cfg *checks.Config, m iac.Mapping) {
	cfg.Notes = append(cfg.Notes, "read from "+iacFlag(c)+": "+m.Address)
	if cfg.ConsumerGroup == "" {
		cfg.ConsumerGroup = unknownGroup
		cfg.Notes = append(cfg.Notes, "unknown until apply: the consumer group (the mapping's UUID): blocks group; permissions evaluates the group ARN with "+unknownGroup)
	}
	for _, u := range m.Unknown {
		cfg.Notes = append(cfg.Notes, u.String())
		for _, id := range u.Blocks {
			if cfg.Blocked == nil {
				cfg.Blocked = map[string]string{}
			}
			if _, ok := cfg.Blocked[id]; !ok {
				cfg.Blocked[id] = "unknown until apply: " + u.Field + " (" + u.Why + ")"
			}
		}
	}
}

func firstSet(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// plannedListener is the listener Lambda would choose on a planned MSK
// cluster (the same preference as the cluster check: mTLS, SCRAM, IAM,
// TLS) and its port.
func plannedListener(cfg checks.Config, c *iac.Cluster) (int, checks.Auth, string) {
	switch {
	case cfg.Auth == checks.AuthMTLS:
		return 9094, cfg.Auth, cfg.AuthReason
	case cfg.Auth == checks.AuthSCRAM512:
		return 9096, cfg.Auth, cfg.AuthReason
	case c.IAM:
		return 9098, checks.AuthIAM, "the planned cluster " + c.Address + " enables IAM and the mapping names no secret"
	}
	return 9094, checks.AuthTLS, "the planned cluster " + c.Address + " offers TLS and the mapping names no secret"
}

// iacFlag names the infrastructure-code input given.
func iacFlag(c *cli.Context) string {
	if c.String("terraform-plan") != "" {
		return "--terraform-plan"
	}
	return "--cloudformation-template"
}
