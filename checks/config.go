// Package checks replays the setup sequence of a Lambda Kafka event source
// mapping, one check per step, in the order the mapping performs them:
// probe -> observation -> classify -> result. Only the probes in this
// package touch the network; classification is pure and works on typed
// errors and Kafka error codes.
package checks

import (
	"context"
	"time"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/netaudit"
	"github.com/esmdoctor/esmdoctor/probe"
	"github.com/esmdoctor/esmdoctor/resolve"
	"github.com/esmdoctor/esmdoctor/secrets"
)

// Resolver resolves hostnames; *net.Resolver implements it.
type Resolver = probe.Resolver

// Config is everything a run needs, copied out of the CLI flags into a plain
// struct so the checks never see the CLI library.
type Config struct {
	Bootstrap     []HostPort
	Topic         string
	Auth          Auth
	AuthReason    string // why this mode (given, or inferred from the secrets)
	Secret        *SecretDoc
	CA            *SecretDoc // a plain PEM file, or a SERVER_ROOT_CA_CERTIFICATE secret
	CAIsSecret    bool       // CA holds the JSON secret shape rather than plain PEM
	ConsumerGroup string
	// Kafka is the mapping's Kafka event source configuration
	// (ConsumptionMode, SchemaRegistryConfig) as given; with --esm the
	// mapping's.
	Kafka resolve.KafkaConfig
	// OAuth holds the OAUTHBEARER_* settings (scope, audience, SASL
	// extensions); nil when none is given.
	OAuth *resolve.OAuthSettings
	// StartingPosition is the mapping's (LATEST, TRIM_HORIZON,
	// AT_TIMESTAMP; "" unknown): the group check says what it means for
	// a group that never committed.
	StartingPosition string
	// StartingPositionTimestamp is the mapping's, as given ("" not
	// given); the api check refuses it in Queue mode, as Lambda's API does.
	StartingPositionTimestamp string
	// FilterCriteria holds the mapping's FilterCriteria.Filters[].Pattern
	// strings; the poll check evaluates them on the records it samples.
	FilterCriteria []string
	// MaximumPollers is ProvisionedPollerConfig.MaximumPollers; 0 means
	// on-demand mode.
	MaximumPollers int32
	// MinimumPollers is ProvisionedPollerConfig.MinimumPollers (with
	// MaximumPollers).
	MinimumPollers int32
	// PollerGroup is ProvisionedPollerConfig.PollerGroupName ("" when
	// none): the mapping check weighs the group's limits.
	PollerGroup string
	// OnFailure is DestinationConfig.OnFailure.Destination ("" when none).
	OnFailure string
	// MappingSettings are the mapping's settings when it was read before
	// the run, elsewhere (check --in-vpc reads the mapping where esmdoctor
	// runs and the probe function checks it): the checks weigh them as
	// they weigh a mapping the run read itself. nil otherwise.
	MappingSettings *awsprobe.Settings
	// BatchSize is the mapping's BatchSize (0: not given).
	BatchSize int32
	// BatchingWindow is MaximumBatchingWindowInSeconds (nil: not given;
	// 0 is a value).
	BatchingWindow *int32
	// Since is the window of the mapping's own logs and metrics the
	// health check reads (--since); 0 means DefaultSince.
	Since     time.Duration
	Timeout   time.Duration
	JoinGroup bool
	Verbose   bool
	// Now is the clock certificates are validated against (tests pin it).
	Now func() time.Time
	// Resolver lets tests replace DNS; nil uses the system resolver.
	Resolver Resolver
	// AWS is the AWS side of the mapping; nil for a purely self-managed
	// target given without any AWS input (sts, cluster and lambda-endpoint
	// are then not applicable).
	AWS *AWSConfig
	// Redact, when set, is called with every secret value the run learns
	// (secrets fetched from Secrets Manager, AWS credentials, MSK IAM
	// tokens), so the caller's redactor scrubs them from the report.
	Redact func(values ...string)
	// Blocked maps a check id to why it cannot run: a value the
	// infrastructure code leaves unknown until apply (--terraform-plan).
	// The check is skipped with that reason, never run on a guess.
	Blocked map[string]string
	// Audit marks a run of esmdoctor audit: only the checks that need no
	// connection to the brokers run, so a network or role esmdoctor could
	// not read fails instead of warning.
	Audit bool
	// SCRAM, when set, shares SCRAM clients (their derived keys) with the
	// other runs that use it: esmdoctor scan's mappings that log in alike.
	SCRAM *SCRAMClients
	// Sessions, when set, shares authenticated broker connections with the
	// other runs that use it: esmdoctor scan's mappings that reach the same
	// broker with the same trust and credentials (see Sessions).
	Sessions *Sessions
	// Notes are facts to print at the top of the report (with --esm: the
	// mapping's state, LastProcessingResult and what it means, the group id
	// it uses).
	Notes []string
}

// AWSConfig is how to reach AWS and what the mapping names there.
type AWSConfig struct {
	// Options are --region, --profile and --role-arn.
	Options awsprobe.Options
	// RegionFrom says where the function's Region came from (--region, an
	// ARN, the environment), so a Region mismatch names the input to correct.
	RegionFrom string
	// Session is the loaded configuration; nil makes the checks load it
	// from Options.
	Session *awsprobe.Session
	// EventSourceARN is the MSK cluster ARN; "" for self-managed Kafka.
	EventSourceARN string
	// AccessConfigs are the mapping's SourceAccessConfigurations as given;
	// the secret ones are also in Config.Secret / Config.CA, the VPC ones
	// are reported.
	AccessConfigs []awsprobe.AccessConfig
	// ESM (a UUID) or ESMFunction (--function) names the mapping the
	// mapping check reads; the rest of the target then comes from it.
	ESM, ESMFunction string
	// Function is the mapping's function configuration when the caller
	// already knows it; the mapping check reads it otherwise.
	Function *awsprobe.Function
	// InVPC says the run happens inside the probe function of --in-vpc,
	// in the mapping's subnets: AWS endpoints are reached as on-demand
	// pollers reach them.
	InVPC bool
	// Provisioned says the mapping uses provisioned-mode pollers; with
	// InVPC, an AWS endpoint unreachable from the subnets is then a note,
	// not a failure (those pollers do not reach AWS through the VPC).
	Provisioned bool
	// PlannedCluster is the MSK cluster the infrastructure code creates
	// together with the mapping (EventSourceARN is then unknown): the
	// cluster check takes its network from the code.
	PlannedCluster *PlannedCluster
	// OnFailureDestination is the on-failure destination ARN the
	// infrastructure code names.
	OnFailureDestination string
	// Planned are the subnets and security groups of the mapping's network
	// that the infrastructure code creates: the network check evaluates
	// them from the code and reads the rest of their VPC from EC2.
	Planned *netaudit.Planned
	// SystemLogLevel is the mapping's LoggingConfig.SystemLogLevel as the
	// infrastructure code gives it ("" = read from the mapping, or off).
	SystemLogLevel string
	// IAMToken replaces the MSK IAM token signer (tests craft expired or
	// wrong-Region tokens with it); nil signs with the session's credentials.
	IAMToken TokenFunc
}

// PlannedCluster is an MSK cluster declared but not yet created.
type PlannedCluster struct {
	Address                 string // its address in the plan or template
	Subnets, SecurityGroups []string
	Port                    int // the listener's port for the mapping's auth mode
}

// TokenFunc returns an MSK IAM authentication token.
type TokenFunc func(ctx context.Context) (string, error)

// Region is the function's Region, as far as known.
func (a *AWSConfig) Region() string {
	if a.Session != nil && a.Session.Region != "" {
		return a.Session.Region
	}
	return a.Options.Region
}

// mappingGiven says whether the mapping is read from Lambda.
func (a *AWSConfig) mappingGiven() bool { return a != nil && (a.ESM != "" || a.ESMFunction != "") }

// NewConfig is the run's configuration for a resolved target; the caller
// adds the run's own settings (timeout, verbosity, redaction).
func NewConfig(t resolve.Target) Config {
	c := Config{Bootstrap: t.Bootstrap, Topic: t.Topic, Auth: t.Auth, AuthReason: t.AuthReason, Secret: t.Secret, CA: t.CA,
		CAIsSecret: t.CAIsSecret, ConsumerGroup: t.ConsumerGroup, Kafka: t.Kafka, OAuth: t.OAuth}
	if a := t.AWS; a != nil {
		c.AWS = &AWSConfig{Options: a.Options, RegionFrom: a.RegionFrom, Session: a.Session, EventSourceARN: a.EventSourceARN,
			AccessConfigs: a.AccessConfigs, ESM: a.ESM, ESMFunction: a.Function}
	}
	return c
}

// ClientCredentials are what the secret check parsed, for later checks.
type ClientCredentials struct {
	SASL   *secrets.SASLCredentials
	Client *secrets.ClientCertificate
	Roots  *secrets.RootCA
	OAuth  *secrets.OAuthCredentials
}
