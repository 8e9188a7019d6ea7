package awsprobe

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// AccessConfig is one SourceAccessConfiguration of a mapping.
type AccessConfig struct {
	Type string // BASIC_AUTH, SASL_SCRAM_512_AUTH, VPC_SUBNET, ...
	URI  string // a secret ARN, subnet:subnet-..., security_group:sg-...
}

// Mapping is the part of an event source mapping esmdoctor replays.
type Mapping struct {
	UUID           string
	ARN            string
	FunctionARN    string
	EventSourceARN string   // MSK cluster ARN; "" for self-managed
	Bootstrap      []string // self-managed KAFKA_BOOTSTRAP_SERVERS
	Topics         []string
	AccessConfigs  []AccessConfig
	// ConsumerGroupID is the custom group id; "" means the mapping's UUID.
	ConsumerGroupID string
	// Kafka is its AmazonManagedKafkaEventSourceConfig or
	// SelfManagedKafkaEventSourceConfig (ConsumerGroupID included).
	Kafka                 KafkaConfig
	State                 string
	StateTransitionReason string
	LastProcessingResult  string
	// Settings are the processing settings (logs, metrics, provisioned
	// mode, destination, retries, filters, batching, starting position).
	Settings Settings
	// Provisioned says the mapping uses provisioned-mode event pollers
	// (ProvisionedPollerConfig is set).
	Provisioned bool
}

// IsKafka says whether the mapping reads from Kafka (MSK or self-managed).
func (m Mapping) IsKafka() bool {
	return len(m.Bootstrap) > 0 || arnService(m.EventSourceARN) == "kafka"
}

// Mapping reads one event source mapping (lambda:GetEventSourceMapping)
// with esmdoctor's own credentials, never --role-arn's: reading the
// mapping is esmdoctor's act, and an execution role rarely may.
func (s *Session) readMapping(ctx context.Context, uuid string, budget time.Duration) (Mapping, error) {
	ctx, cfg, done, cancel := call(ctx, s.base, budget)
	defer cancel()
	out, err := lambda.NewFromConfig(cfg).GetEventSourceMapping(ctx, &lambda.GetEventSourceMappingInput{UUID: aws.String(uuid)})
	if err != nil {
		return Mapping{}, done(err)
	}
	m := toMapping(mappingFields{out.UUID, out.EventSourceMappingArn, out.FunctionArn, out.EventSourceArn, out.SelfManagedEventSource,
		out.Topics, out.SourceAccessConfigurations, out.AmazonManagedKafkaEventSourceConfig, out.SelfManagedKafkaEventSourceConfig,
		out.State, out.StateTransitionReason, out.LastProcessingResult, out.ProvisionedPollerConfig})
	m.Settings = getSettings(out)
	return m, nil
}

// Mappings lists a function's event source mappings
// (lambda:ListEventSourceMappings), every page, with esmdoctor's own
// credentials.
func (s *Session) Mappings(ctx context.Context, function string, budget time.Duration) ([]Mapping, error) {
	ctx, cfg, done, cancel := call(ctx, s.base, budget)
	defer cancel()
	var out []Mapping
	in := &lambda.ListEventSourceMappingsInput{}
	if function != "" { // "": every mapping of the account and Region (esmdoctor scan)
		in.FunctionName = aws.String(function)
	}
	p := lambda.NewListEventSourceMappingsPaginator(lambda.NewFromConfig(cfg), in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, done(err)
		}
		for _, m := range page.EventSourceMappings {
			mp := toMapping(mappingFields{m.UUID, m.EventSourceMappingArn, m.FunctionArn, m.EventSourceArn, m.SelfManagedEventSource,
				m.Topics, m.SourceAccessConfigurations, m.AmazonManagedKafkaEventSourceConfig, m.SelfManagedKafkaEventSourceConfig,
				m.State, m.StateTransitionReason, m.LastProcessingResult, m.ProvisionedPollerConfig})
			mp.Settings = listSettings(m)
			out = append(out, mp)
		}
	}
	return out, nil
}

// mappingFields are the fields GetEventSourceMapping's output and
// ListEventSourceMappings' items share.
type mappingFields struct {
	uuid, arn, function, source *string
	self                        *types.SelfManagedEventSource
	topics                      []string
	access                      []types.SourceAccessConfiguration
	msk                         *types.AmazonManagedKafkaEventSourceConfig
	selfCfg                     *types.SelfManagedKafkaEventSourceConfig
	state, reason, last         *string
	provisioned                 *types.ProvisionedPollerConfig
}

func toMapping(f mappingFields) Mapping {
	m := Mapping{UUID: aws.ToString(f.uuid), ARN: aws.ToString(f.arn), FunctionARN: aws.ToString(f.function),
		EventSourceARN: aws.ToString(f.source), Topics: f.topics, State: aws.ToString(f.state),
		StateTransitionReason: aws.ToString(f.reason), LastProcessingResult: aws.ToString(f.last), Provisioned: f.provisioned != nil}
	if f.self != nil {
		m.Bootstrap = f.self.Endpoints[string(types.EndPointTypeKafkaBootstrapServers)]
	}
	for _, a := range f.access {
		m.AccessConfigs = append(m.AccessConfigs, AccessConfig{Type: string(a.Type), URI: aws.ToString(a.URI)})
	}
	m.Kafka = kafkaConfig(f.msk, f.selfCfg)
	m.ConsumerGroupID = m.Kafka.ConsumerGroupID
	return m
}

// Function is the part of a function's configuration the report uses.
type Function struct {
	ARN            string
	Name           string
	Role           string // the execution role the mapping uses
	VPC            string
	Subnets        []string
	SecurityGroups []string
	State          string
	StateReason    string
	// LogGroup is LoggingConfig.LogGroup ("" for the default
	// /aws/lambda/<name>).
	LogGroup string
}

// Function reads a function's configuration
// (lambda:GetFunctionConfiguration) with esmdoctor's own credentials.
func (s *Session) readFunction(ctx context.Context, name string, budget time.Duration) (Function, error) {
	ctx, cfg, done, cancel := call(ctx, s.base, budget)
	defer cancel()
	out, err := lambda.NewFromConfig(cfg).GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(name)})
	if err != nil {
		return Function{}, done(err)
	}
	f := Function{ARN: aws.ToString(out.FunctionArn), Name: aws.ToString(out.FunctionName), Role: aws.ToString(out.Role),
		State: string(out.State), StateReason: aws.ToString(out.StateReason)}
	if v := out.VpcConfig; v != nil {
		f.VPC, f.Subnets, f.SecurityGroups = aws.ToString(v.VpcId), v.SubnetIds, v.SecurityGroupIds
	}
	if l := out.LoggingConfig; l != nil {
		f.LogGroup = aws.ToString(l.LogGroup)
	}
	return f, nil
}

// Invocation is the outcome of an Invoke with InvocationType=DryRun, which
// checks the function exists and the caller may invoke it, without running it.
type Invocation struct {
	Function   string
	Endpoint   string
	StatusCode int32
	Err        error
	Elapsed    time.Duration
}

// InvokeDryRun validates an invocation of function without running it.
func (s *Session) invokeDryRun(ctx context.Context, function string, budget time.Duration) Invocation {
	start := time.Now()
	ctx, cfg, done, cancel := call(ctx, s.cfg, budget)
	defer cancel()
	inv := Invocation{Function: function, Endpoint: s.Endpoint(ctx, Lambda, "")}
	out, err := lambda.NewFromConfig(cfg).Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(function), InvocationType: types.InvocationTypeDryRun})
	inv.Elapsed = since(start)
	if err != nil {
		inv.Err = done(err)
		var re *smithyhttp.ResponseError
		if errors.As(err, &re) {
			inv.StatusCode = int32(re.HTTPStatusCode())
		}
		return inv
	}
	inv.StatusCode = out.StatusCode
	if inv.StatusCode == 0 {
		inv.StatusCode = http.StatusNoContent
	}
	return inv
}
