package resolve

import (
	"context"
	"regexp"
	"strings"

	"github.com/esmdoctor/esmdoctor/awsprobe"
)

// DefaultGroup is the consumer group checked when the mapping's own (its
// UUID, or its ConsumerGroupId) is not known.
const DefaultGroup = "esmdoctor-probe"

// Inputs are the user's inputs as given: the CLI copies its flags here
// verbatim ("" for a flag not given) and reads the local files.
type Inputs struct {
	Bootstrap         []string // --bootstrap-servers as given (nil: not given)
	SelfManaged       string   // --self-managed-event-source (JSON)
	EventSourceARN    string   // --event-source-arn
	AccessConfig      []string // --source-access-configuration values, one Type=...,URI=... each
	AccessConfigsJSON string   // --source-access-configurations (JSON list)
	Topic             string
	ConsumerGroup     string
	Auth              string // --auth
	// Secret and CA are --secret-file and --ca-file as read (LocalFile set).
	Secret, CA *SecretDoc
	Region     string
	Profile    string
	RoleARN    string
	ESM        string // --esm: a mapping UUID or ARN
	Function   string // --function: a function name or ARN
	// KafkaConfig is --self-managed-kafka-event-source-config or
	// --amazon-managed-kafka-event-source-config as parsed
	// (ParseKafkaConfig); KafkaConfigFlag names which. nil: not given.
	KafkaConfig     *KafkaConfig
	KafkaConfigFlag string
	// Env holds AWS_REGION and AWS_DEFAULT_REGION as the environment
	// gives them (the SDK reads them itself; they are validated as
	// --region is).
	Env map[string]string
}

// Target is the mapping's target as resolved from the inputs: what the
// checks replay. With --esm or --function most of it is only known once
// the mapping check has read the mapping (FromMapping).
type Target struct {
	Bootstrap     []HostPort
	Topic         string
	Auth          Auth
	AuthReason    string // why this mode (given, or inferred and from what)
	Secret        *SecretDoc
	CA            *SecretDoc // a plain PEM file, or a SERVER_ROOT_CA_CERTIFICATE secret
	CAIsSecret    bool       // CA holds the JSON secret shape rather than plain PEM
	ConsumerGroup string
	// Kafka is the mapping's Kafka event source configuration (consumption
	// mode, schema registry); its ConsumerGroupID is ConsumerGroup's source
	// when it was given.
	Kafka KafkaConfig
	// OAuth holds the OAUTHBEARER_* settings (nil when none is given).
	OAuth *OAuthSettings
	// AWS is nil for a purely self-managed target given without any AWS
	// input (the AWS checks are then not applicable).
	AWS *AWS
}

// AWS is the AWS side of the target.
type AWS struct {
	// Options are --region, --profile and --role-arn.
	Options awsprobe.Options
	// RegionFrom says where Options.Region came from, for messages that
	// tell the user which input to correct.
	RegionFrom string
	// EventSourceARN is the MSK cluster ARN; "" for self-managed Kafka.
	EventSourceARN string
	// AccessConfigs are the mapping's SourceAccessConfigurations as given.
	AccessConfigs []awsprobe.AccessConfig
	// ESM (a UUID) or Function names the mapping the mapping check reads.
	ESM, Function string
	// Session is the loaded AWS configuration (Resolve loads it; no
	// network is used).
	Session *awsprobe.Session
}

// MappingGiven says whether the mapping is read from Lambda (--esm or
// --function).
func (a *AWS) MappingGiven() bool { return a != nil && (a.ESM != "" || a.Function != "") }

var (
	uuidPattern   = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
)

// isTopicName says whether t is what Kafka accepts as a topic name: 1 to
// 249 of letters, digits, '.', '_' and '-'. (A function, not a regular
// expression: compiling {1,249} cost every run a millisecond at start-up.)
func isTopicName(t string) bool { return len(t) >= 1 && len(t) <= 249 && onlyNameChars(t) }

// onlyNameChars says whether s holds only ASCII letters, digits, '.', '_'
// and '-'.
func onlyNameChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-'
		if !ok {
			return false
		}
	}
	return true
}

// Resolve validates the inputs and settles the target without calling AWS
// (the AWS configuration is read from the environment and files): every
// problem is an *InputError naming the input (exit code 2).
func Resolve(ctx context.Context, in Inputs) (Target, error) {
	t, err := resolveInputs(in)
	if err != nil || t.AWS == nil {
		return t, err
	}
	t.AWS.Session, err = LoadSession(ctx, t.AWS)
	return t, err
}

func resolveInputs(in Inputs) (Target, error) {
	aw, err := parseAWS(in)
	if err != nil {
		return Target{}, err
	}
	if aw.MappingGiven() {
		if err := mappingOnly(in); err != nil {
			return Target{}, err
		}
		return Target{AWS: &aw.AWS}, checkRegionEnv(in, &aw.AWS)
	}
	t := Target{Topic: strings.TrimSpace(in.Topic), ConsumerGroup: in.ConsumerGroup}
	if err := source(in, &t); err != nil {
		return t, err
	}
	if t.Topic == "" {
		return t, Usage("--topic is required (the mapping's topic)")
	}
	if err := CheckTopicName("--topic", t.Topic); err != nil {
		return t, err
	}
	if err := kafkaConfig(in, &t); err != nil {
		return t, err
	}
	if t.ConsumerGroup == "" {
		t.ConsumerGroup = DefaultGroup
	}
	acc, err := parseAccess(in)
	if err != nil {
		return t, err
	}
	if err := settleSecrets(in, acc, aw, &t); err != nil {
		return t, err
	}
	if err := checkSecretUse(t); err != nil {
		return t, err
	}
	if aw.any || acc.any() || in.Auth == string(AuthIAM) || in.Auth == string(AuthIAMOAuth) || registryNeedsAWS(t.Kafka) {
		aw.AccessConfigs = acc.list
		t.AWS = &aw.AWS
	}
	return t, checkRegionEnv(in, t.AWS)
}

// checkRegionEnv validates AWS_REGION and AWS_DEFAULT_REGION as --region
// is, when the AWS side is used and no --region (or ARN) overrides them.
func checkRegionEnv(in Inputs, a *AWS) error {
	if a == nil || a.Options.Region != "" {
		return nil
	}
	for _, env := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		if r := in.Env[env]; r != "" && !regionPattern.MatchString(r) {
			return &InputError{Input: env, Value: r, Msg: "not a Region name (for example us-east-1)"}
		}
	}
	return nil
}

// mappingOnly refuses the inputs a mapping read with --esm or --function
// gives itself.
func mappingOnly(in Inputs) error {
	for _, f := range []struct {
		name string
		set  bool
	}{{"bootstrap-servers", in.Bootstrap != nil}, {"self-managed-event-source", in.SelfManaged != ""},
		{"event-source-arn", in.EventSourceARN != ""}, {"source-access-configuration", len(in.AccessConfig) > 0},
		{"source-access-configurations", in.AccessConfigsJSON != ""}, {"topic", in.Topic != ""},
		{"consumer-group-id", in.ConsumerGroup != ""}, {"secret-file", in.Secret != nil}, {"ca-file", in.CA != nil}, {"auth", in.Auth != ""},
		{strings.TrimPrefix(in.KafkaConfigFlag, "--"), in.KafkaConfig != nil}} {
		if f.set {
			return Usage("--%s: not with --esm or --function, which read it from the mapping", f.name)
		}
	}
	return nil
}

// source sets the brokers (or leaves them to the cluster check): exactly
// one of --bootstrap-servers, --self-managed-event-source and
// --event-source-arn.
func source(in Inputs, t *Target) error {
	given := 0
	for _, set := range []bool{in.Bootstrap != nil, in.SelfManaged != "", in.EventSourceARN != ""} {
		if set {
			given++
		}
	}
	var err error
	switch {
	case given == 0:
		return Usage("--bootstrap-servers is required (the mapping's KAFKA_BOOTSTRAP_SERVERS, e.g. -b b-1.example.com:9096), or --self-managed-event-source, --event-source-arn, --esm or --function")
	case given > 1:
		return Usage("give one of --bootstrap-servers, --self-managed-event-source and --event-source-arn")
	case in.Bootstrap != nil:
		t.Bootstrap, err = ParseBootstrap("--bootstrap-servers", in.Bootstrap)
	case in.SelfManaged != "":
		var servers []string
		if servers, err = parseSelfManaged(in.SelfManaged); err == nil {
			t.Bootstrap, err = ParseBootstrap("--self-managed-event-source", servers)
		}
	}
	return err // --event-source-arn: the cluster check finds the brokers
}

// CheckTopicName rejects names Kafka would reject, so a typo is an input
// error rather than an "unknown topic" verdict.
func CheckTopicName(flag, t string) error {
	if !isTopicName(t) || t == "." || t == ".." {
		return &InputError{Input: flag, Value: t, Msg: "not a valid Kafka topic name (letters, digits, '.', '_' and '-', at most 249)"}
	}
	return nil
}

// checkSecretUse refuses a client secret the chosen auth mode would ignore:
// the report would otherwise look as if the secret had been tried.
func checkSecretUse(t Target) error {
	if t.Secret == nil || t.Auth == "" || t.Auth.UsesSASL() || t.Auth == AuthMTLS || t.Auth == AuthOAuth {
		return nil
	}
	return Usage("--auth %s uses no client secret, but one was given (%s): drop it, or choose the --auth it is for", t.Auth, t.Secret.Source)
}

// kafkaConfig settles the Kafka event source configuration flag: the one
// that matches the source (self-managed brokers or an MSK cluster, as
// create-event-source-mapping requires), and a ConsumerGroupId that agrees
// with --consumer-group-id.
func kafkaConfig(in Inputs, t *Target) error {
	k := in.KafkaConfig
	if k == nil {
		return nil
	}
	switch msk := in.EventSourceARN != ""; {
	case msk && in.KafkaConfigFlag == FlagSelfManagedConfig:
		return Usage("%s is for a self-managed cluster: an MSK cluster (--event-source-arn) takes %s (which has no ConsumptionMode: Queue mode is for self-managed Kafka only)", FlagSelfManagedConfig, FlagMSKConfig)
	case !msk && in.KafkaConfigFlag == FlagMSKConfig:
		return Usage("%s is for an MSK cluster (--event-source-arn): self-managed brokers take %s", FlagMSKConfig, FlagSelfManagedConfig)
	}
	if g := k.ConsumerGroupID; g != "" {
		if t.ConsumerGroup != "" && t.ConsumerGroup != g {
			return Usage("--consumer-group-id %q and %s's ConsumerGroupId %q differ: give the mapping's group once", t.ConsumerGroup, in.KafkaConfigFlag, g)
		}
		t.ConsumerGroup = g
	}
	t.Kafka = *k
	return nil
}
