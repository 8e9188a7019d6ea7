package awsprobe

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// Pollers is a mapping's ProvisionedPollerConfig (provisioned mode).
type Pollers struct {
	Minimum, Maximum int32
	Group            string
}

// Settings are the mapping's processing settings beyond how it connects:
// logging, metrics, provisioned mode, destination, retries, filters,
// batching and the starting position. Zero values mean "not set".
type Settings struct {
	SystemLogLevel                 string   // LoggingConfig.SystemLogLevel; "" = logging off
	Metrics                        []string // MetricsConfig.Metrics; empty = metrics off
	Provisioned                    *Pollers // nil = on-demand mode
	OnFailure                      string   // DestinationConfig.OnFailure.Destination
	MaximumRetryAttempts           *int32
	MaximumRecordAgeInSeconds      *int32
	BisectBatchOnFunctionError     bool
	FunctionResponseTypes          []string
	FilterPatterns                 []string // FilterCriteria.Filters[].Pattern
	FilterCriteriaError            string   // "ErrorCode: Message" when Lambda cannot read the criteria
	BatchSize                      int32
	MaximumBatchingWindowInSeconds int32
	StartingPosition               string
	ConsumptionMode                string // SelfManagedKafkaEventSourceConfig.ConsumptionMode
	SchemaRegistryURI              string
}

// settingsFields are the raw API fields Settings is built from (the Get
// output and the List items share them under different types).
type settingsFields struct {
	logging   *types.EventSourceMappingLoggingConfig
	metrics   *types.EventSourceMappingMetricsConfig
	pollers   *types.ProvisionedPollerConfig
	dest      *types.DestinationConfig
	retries   *int32
	maxAge    *int32
	bisect    *bool
	responses []types.FunctionResponseType
	filter    *types.FilterCriteria
	filterErr *types.FilterCriteriaError
	batch     *int32
	window    *int32
	start     types.EventSourcePosition
	msk       *types.AmazonManagedKafkaEventSourceConfig
	selfCfg   *types.SelfManagedKafkaEventSourceConfig
}

// getSettings reads Settings from GetEventSourceMapping's output.
func getSettings(o *lambda.GetEventSourceMappingOutput) Settings {
	return toSettings(settingsFields{o.LoggingConfig, o.MetricsConfig, o.ProvisionedPollerConfig, o.DestinationConfig,
		o.MaximumRetryAttempts, o.MaximumRecordAgeInSeconds, o.BisectBatchOnFunctionError, o.FunctionResponseTypes,
		o.FilterCriteria, o.FilterCriteriaError, o.BatchSize, o.MaximumBatchingWindowInSeconds, o.StartingPosition,
		o.AmazonManagedKafkaEventSourceConfig, o.SelfManagedKafkaEventSourceConfig})
}

// listSettings reads Settings from a ListEventSourceMappings item.
func listSettings(o types.EventSourceMappingConfiguration) Settings {
	return toSettings(settingsFields{o.LoggingConfig, o.MetricsConfig, o.ProvisionedPollerConfig, o.DestinationConfig,
		o.MaximumRetryAttempts, o.MaximumRecordAgeInSeconds, o.BisectBatchOnFunctionError, o.FunctionResponseTypes,
		o.FilterCriteria, o.FilterCriteriaError, o.BatchSize, o.MaximumBatchingWindowInSeconds, o.StartingPosition,
		o.AmazonManagedKafkaEventSourceConfig, o.SelfManagedKafkaEventSourceConfig})
}

// toSettings flattens the API fields.
func toSettings(f settingsFields) Settings {
	s := Settings{MaximumRetryAttempts: f.retries, MaximumRecordAgeInSeconds: f.maxAge, BisectBatchOnFunctionError: aws.ToBool(f.bisect),
		BatchSize: aws.ToInt32(f.batch), MaximumBatchingWindowInSeconds: aws.ToInt32(f.window), StartingPosition: string(f.start)}
	if f.logging != nil {
		s.SystemLogLevel = string(f.logging.SystemLogLevel)
	}
	if f.metrics != nil {
		for _, m := range f.metrics.Metrics {
			s.Metrics = append(s.Metrics, string(m))
		}
	}
	if f.pollers != nil {
		s.Provisioned = &Pollers{Minimum: aws.ToInt32(f.pollers.MinimumPollers), Maximum: aws.ToInt32(f.pollers.MaximumPollers), Group: aws.ToString(f.pollers.PollerGroupName)}
	}
	if f.dest != nil && f.dest.OnFailure != nil {
		s.OnFailure = aws.ToString(f.dest.OnFailure.Destination)
	}
	for _, r := range f.responses {
		s.FunctionResponseTypes = append(s.FunctionResponseTypes, string(r))
	}
	if f.filter != nil {
		for _, p := range f.filter.Filters {
			s.FilterPatterns = append(s.FilterPatterns, aws.ToString(p.Pattern))
		}
	}
	if f.filterErr != nil {
		s.FilterCriteriaError = aws.ToString(f.filterErr.ErrorCode) + ": " + aws.ToString(f.filterErr.Message)
	}
	kafkaSettings(&s, f)
	return s
}

// kafkaSettings reads the Kafka-specific part: consumption mode and
// schema registry.
func kafkaSettings(s *Settings, f settingsFields) {
	if f.msk != nil && f.msk.SchemaRegistryConfig != nil {
		s.SchemaRegistryURI = aws.ToString(f.msk.SchemaRegistryConfig.SchemaRegistryURI)
	}
	if f.selfCfg != nil {
		s.ConsumptionMode = string(f.selfCfg.ConsumptionMode)
		if f.selfCfg.SchemaRegistryConfig != nil {
			s.SchemaRegistryURI = aws.ToString(f.selfCfg.SchemaRegistryConfig.SchemaRegistryURI)
		}
	}
}
