// Package vpcprobe runs esmdoctor where the mapping's pollers run: as a
// temporary Lambda function in the mapping's subnets and security groups,
// with the mapping's execution role (esmdoctor check --in-vpc).
//
// Two halves share the Payload type: the caller builds a Payload from the
// resolved check configuration and invokes the probe function with it; the
// probe function (the same binary, started by the Lambda runtime) turns it
// back into a configuration, runs the checks and answers with the report
// in the JSON schema. No secret ever travels in the payload: secrets are
// named by their Secrets Manager ARN and fetched inside the function, as
// the mapping fetches them.
package vpcprobe

import (
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/resolve"
)

// PayloadVersion is bumped on any incompatible change of Payload; the
// function refuses a payload of another version (a probe binary older or
// newer than the caller).
const PayloadVersion = 1

// maxPayload bounds what the function accepts (Lambda's own synchronous
// request limit is 6 MB; a check configuration is a few kilobytes).
const maxPayload = 256 << 10

// Payload is the resolved check configuration, as JSON.
type Payload struct {
	Version       int      `json:"version"`
	Bootstrap     []string `json:"bootstrap,omitempty"` // host:port; empty for MSK (the cluster check finds them)
	Topic         string   `json:"topic"`
	Auth          string   `json:"auth,omitempty"`
	AuthReason    string   `json:"auth_reason,omitempty"`
	SecretARN     string   `json:"secret_arn,omitempty"`
	CAARN         string   `json:"ca_arn,omitempty"`
	CAPEM         string   `json:"ca_pem,omitempty"` // a local --ca-file: a public certificate, never a key
	CAIsSecret    bool     `json:"ca_is_secret,omitempty"`
	ConsumerGroup string   `json:"consumer_group"`
	TimeoutMS     int64    `json:"timeout_ms"`
	JoinGroup     bool     `json:"join_group,omitempty"`
	Verbose       bool     `json:"verbose,omitempty"`
	AWS           *AWS     `json:"aws,omitempty"`
	// Kafka is the mapping's Kafka event source configuration (Queue
	// mode, schema registry); nil when it sets nothing. An older probe
	// binary ignores it.
	Kafka *awsprobe.KafkaConfig `json:"kafka,omitempty"`
	// Mapping is the rest of the mapping's configuration the checks
	// weigh (the OAuth token request's settings, where reading starts,
	// the filters the poll check applies, the pollers, the batching, the
	// destination); nil when it sets none. An older probe binary ignores it.
	Mapping *MappingSettings `json:"mapping,omitempty"`
}

// MappingSettings are the checks.Config fields of the mapping's own
// settings. None is a secret: the OAuth settings are the scope, audience
// and SASL extensions, never the client secret.
type MappingSettings struct {
	// Read are the settings of the mapping the caller read (--esm,
	// --function); the fields below are the flags given with it.
	Read                      *awsprobe.Settings     `json:"read,omitempty"`
	OAuth                     *resolve.OAuthSettings `json:"oauth,omitempty"`
	StartingPosition          string                 `json:"starting_position,omitempty"`
	StartingPositionTimestamp string                 `json:"starting_position_timestamp,omitempty"`
	FilterCriteria            []string               `json:"filter_criteria,omitempty"`
	MaximumPollers            int32                  `json:"maximum_pollers,omitempty"`
	MinimumPollers            int32                  `json:"minimum_pollers,omitempty"`
	PollerGroup               string                 `json:"poller_group,omitempty"`
	OnFailure                 string                 `json:"on_failure,omitempty"`
	BatchSize                 int32                  `json:"batch_size,omitempty"`
	BatchingWindow            *int32                 `json:"batching_window,omitempty"`
}

// mappingSettings copies cfg's mapping settings (nil when there are none).
func mappingSettings(cfg checks.Config) *MappingSettings {
	m := MappingSettings{Read: cfg.MappingSettings, OAuth: cfg.OAuth, StartingPosition: cfg.StartingPosition, StartingPositionTimestamp: cfg.StartingPositionTimestamp,
		FilterCriteria: cfg.FilterCriteria, MaximumPollers: cfg.MaximumPollers, MinimumPollers: cfg.MinimumPollers,
		PollerGroup: cfg.PollerGroup, OnFailure: cfg.OnFailure, BatchSize: cfg.BatchSize, BatchingWindow: cfg.BatchingWindow}
	if reflect.ValueOf(m).IsZero() {
		return nil
	}
	return &m
}

// apply sets the settings on cfg.
func (m *MappingSettings) apply(cfg *checks.Config) {
	if m == nil {
		return
	}
	cfg.MappingSettings, cfg.OAuth = m.Read, m.OAuth
	cfg.StartingPosition, cfg.StartingPositionTimestamp = m.StartingPosition, m.StartingPositionTimestamp
	cfg.FilterCriteria, cfg.MaximumPollers, cfg.MinimumPollers = m.FilterCriteria, m.MaximumPollers, m.MinimumPollers
	cfg.PollerGroup, cfg.OnFailure, cfg.BatchSize, cfg.BatchingWindow = m.PollerGroup, m.OnFailure, m.BatchSize, m.BatchingWindow
}

// AWS is the AWS half of the configuration. There is no role to assume:
// the function runs as the role the probe was created with.
type AWS struct {
	Region         string                  `json:"region"`
	EventSourceARN string                  `json:"event_source_arn,omitempty"`
	AccessConfigs  []awsprobe.AccessConfig `json:"access_configs,omitempty"`
	// Role is the execution role the probe runs as: the sts check compares
	// the identity with it.
	Role string `json:"role,omitempty"`
	// Provisioned says the mapping uses provisioned-mode pollers, whose
	// AWS endpoints are not reached through the VPC.
	Provisioned bool `json:"provisioned,omitempty"`
}

// ErrLocalSecret refuses a secret given as a local file with --in-vpc.
var ErrLocalSecret = errors.New("a local secret file cannot be used inside the VPC: the probe function would receive the secret in its invoke payload, which Lambda logs and retains outside your control; put the secret in Secrets Manager and name it with --source-access-configuration (the function fetches it there, as the mapping does)")

// FromConfig builds the payload for cfg. A secret given as a local file is
// refused (ErrLocalSecret); role is the probe function's execution role.
func FromConfig(cfg checks.Config, role string, provisioned bool) (Payload, error) {
	p := Payload{Version: PayloadVersion, Topic: cfg.Topic, Auth: string(cfg.Auth), AuthReason: cfg.AuthReason,
		ConsumerGroup: cfg.ConsumerGroup, TimeoutMS: cfg.Timeout.Milliseconds(), JoinGroup: cfg.JoinGroup,
		Verbose: cfg.Verbose}
	for _, b := range cfg.Bootstrap {
		p.Bootstrap = append(p.Bootstrap, b.String())
	}
	if k := cfg.Kafka; k.ConsumptionMode != "" || k.SchemaRegistry != nil {
		p.Kafka = &k
	}
	p.Mapping = mappingSettings(cfg)
	if s := cfg.Secret; s != nil {
		if s.ARN == "" {
			return p, ErrLocalSecret
		}
		p.SecretARN = s.ARN
	}
	if ca := cfg.CA; ca != nil {
		switch {
		case ca.ARN != "":
			p.CAARN = ca.ARN
		case cfg.CAIsSecret:
			return p, fmt.Errorf("--ca-file in the secret's JSON shape: %w", ErrLocalSecret)
		default:
			p.CAPEM = string(ca.Data)
		}
		p.CAIsSecret = cfg.CAIsSecret
	}
	if a := cfg.AWS; a != nil {
		p.AWS = &AWS{Region: a.Region(), EventSourceARN: a.EventSourceARN, AccessConfigs: a.AccessConfigs,
			Role: role, Provisioned: provisioned}
	}
	return p, nil
}

// Config turns the payload back into a check configuration, inside the
// probe function.
func (p Payload) Config() (checks.Config, error) {
	if p.Version != PayloadVersion {
		return checks.Config{}, fmt.Errorf("payload version %d: this probe binary speaks version %d (use the same esmdoctor build on both sides)", p.Version, PayloadVersion)
	}
	cfg := checks.Config{Topic: p.Topic, Auth: checks.Auth(p.Auth), AuthReason: p.AuthReason, ConsumerGroup: p.ConsumerGroup,
		Timeout: time.Duration(p.TimeoutMS) * time.Millisecond, JoinGroup: p.JoinGroup, Verbose: p.Verbose,
		CAIsSecret: p.CAIsSecret}
	if p.Kafka != nil {
		cfg.Kafka = *p.Kafka
	}
	p.Mapping.apply(&cfg)
	if len(p.Bootstrap) > 0 {
		bs, err := checks.ParseBootstrap("payload bootstrap", p.Bootstrap)
		if err != nil {
			return cfg, err
		}
		cfg.Bootstrap = bs
	}
	if p.SecretARN != "" {
		cfg.Secret = &checks.SecretDoc{Source: p.SecretARN, ARN: p.SecretARN}
	}
	switch {
	case p.CAARN != "":
		cfg.CA = &checks.SecretDoc{Source: p.CAARN, ARN: p.CAARN}
	case p.CAPEM != "":
		cfg.CA = &checks.SecretDoc{Source: "--ca-file (sent by the caller)", Data: []byte(p.CAPEM)}
	}
	if a := p.AWS; a != nil {
		ac := &checks.AWSConfig{Options: awsprobe.Options{Region: a.Region}, EventSourceARN: a.EventSourceARN,
			AccessConfigs: a.AccessConfigs, InVPC: true, Provisioned: a.Provisioned}
		if a.Role != "" {
			ac.Function = &awsprobe.Function{Role: a.Role}
		}
		cfg.AWS = ac
	}
	return cfg, nil
}
