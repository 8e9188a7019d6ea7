package checks

import (
	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/resolve"
)

// Facts are what checks learned and publish for the checks after them.
// A check never rewrites the run's Config: it publishes a fact, and the
// accessors below read the latest one, so a data dependency is as visible
// as a Needs entry. Each is nil until its check published it.
type Facts struct {
	// Mapping is the event source mapping the mapping check read, with
	// the target resolved from it.
	Mapping *MappingFacts
	// Secrets are the documents the secret check fetched from Secrets
	// Manager (nil entries: not fetched, the Config's document stands).
	Secrets *SecretFacts
	// Cluster is the MSK cluster the cluster check read and the listener
	// it chose.
	Cluster *ClusterFacts
	// Records are the records the poll check read, kept (bounded) when a
	// later check looks into them (the schema registry).
	Records *RecordFacts
}

// RecordFacts are published by the poll check.
type RecordFacts struct {
	Sample []SampledRecord
}

// SampledRecord is one record the poll check read (read-only).
type SampledRecord struct {
	Topic      string
	Partition  int32
	Offset     int64
	Key, Value []byte
}

// MappingFacts are published by the mapping check.
type MappingFacts struct {
	Mapping awsprobe.Mapping
	// Function is the mapping's function configuration; nil when it could
	// not be read (FunctionErr says why).
	Function    *awsprobe.Function
	FunctionErr string
	// Target is what the mapping names, resolved as flags would be.
	Target resolve.Target
}

// SecretFacts are published by the secret check.
type SecretFacts struct {
	Secret, CA *SecretDoc
}

// ClusterFacts are published by the cluster check: the cluster as MSK
// describes it (state, client authentication, subnets and security groups
// the mapping's network interfaces use) and the listener Lambda would use.
type ClusterFacts struct {
	Cluster        awsprobe.Cluster
	Subnets        []string
	SecurityGroups []string
	Bootstrap      []HostPort
	Auth           Auth
	AuthReason     string
}

// target is the run's target: the Config's, or the mapping's once read.
func (s *State) target() resolve.Target {
	if m := s.Facts.Mapping; m != nil {
		return m.Target
	}
	c := s.Cfg
	return resolve.Target{Bootstrap: c.Bootstrap, Topic: c.Topic, Auth: c.Auth, AuthReason: c.AuthReason, Secret: c.Secret,
		CA: c.CA, CAIsSecret: c.CAIsSecret, ConsumerGroup: c.ConsumerGroup, Kafka: c.Kafka, OAuth: c.OAuth}
}

// bootstrap is the bootstrap servers: the cluster check's, else the target's.
func (s *State) bootstrap() []HostPort {
	if c := s.Facts.Cluster; c != nil {
		return c.Bootstrap
	}
	return s.target().Bootstrap
}

// auth is the auth mode: the cluster check's choice, else the target's.
func (s *State) auth() Auth {
	if c := s.Facts.Cluster; c != nil {
		return c.Auth
	}
	return s.target().Auth
}

// authReason says why auth() is what it is.
func (s *State) authReason() string {
	if c := s.Facts.Cluster; c != nil {
		return c.AuthReason
	}
	return s.target().AuthReason
}

func (s *State) topic() string { return s.target().Topic }
func (s *State) group() string { return s.target().ConsumerGroup }

// kafkaConfig is the mapping's Kafka event source configuration
// (ConsumptionMode, SchemaRegistryConfig).
func (s *State) kafkaConfig() resolve.KafkaConfig { return s.target().Kafka }

// secretDoc is the client secret: fetched, or as given.
func (s *State) secretDoc() *SecretDoc {
	if f := s.Facts.Secrets; f != nil && f.Secret != nil {
		return f.Secret
	}
	return s.target().Secret
}

// caDoc is the root CA: fetched, or as given.
func (s *State) caDoc() *SecretDoc {
	if f := s.Facts.Secrets; f != nil && f.CA != nil {
		return f.CA
	}
	return s.target().CA
}

func (s *State) caIsSecret() bool { return s.target().CAIsSecret }

// eventSourceARN is the MSK cluster ARN, or "" for self-managed Kafka.
func (s *State) eventSourceARN() string {
	if m := s.Facts.Mapping; m != nil {
		return m.Target.AWS.EventSourceARN
	}
	if s.Cfg.AWS == nil {
		return ""
	}
	return s.Cfg.AWS.EventSourceARN
}

// accessConfigs are the mapping's SourceAccessConfigurations.
func (s *State) accessConfigs() []awsprobe.AccessConfig {
	if m := s.Facts.Mapping; m != nil {
		return m.Target.AWS.AccessConfigs
	}
	if s.Cfg.AWS == nil {
		return nil
	}
	return s.Cfg.AWS.AccessConfigs
}

// function is the mapping's function configuration, when known.
func (s *State) function() *awsprobe.Function {
	if m := s.Facts.Mapping; m != nil {
		return m.Function
	}
	if s.Cfg.AWS == nil {
		return nil
	}
	return s.Cfg.AWS.Function
}

// Resolved is the target as the run resolved it, for the report: what the
// mapping check read and the cluster check chose.
type Resolved struct {
	resolve.Target
	EventSourceARN       string
	MappingUUID          string
	LastProcessingResult string
	// Notes are facts about the mapping worth printing with the target.
	Notes []string
	// DeadlineReached is set when --timeout cut a check short.
	DeadlineReached bool
}

// resolved snapshots the run's target.
func (s *State) resolved() Resolved {
	r := Resolved{Target: s.target(), EventSourceARN: s.eventSourceARN()}
	r.Bootstrap, r.Auth, r.AuthReason = s.bootstrap(), s.auth(), s.authReason()
	if m := s.Facts.Mapping; m != nil {
		r.MappingUUID, r.LastProcessingResult = m.Mapping.UUID, m.Mapping.LastProcessingResult
		r.Notes = append(mappingNotes(m, s.Cfg), s.health.notes...)
	} else if a := s.Cfg.AWS; a != nil {
		r.MappingUUID = a.ESM
	}
	return r
}

// ResolvedConfig is what is known of the target before the run.
func ResolvedConfig(cfg Config) Resolved {
	s := &State{Cfg: cfg}
	return s.resolved()
}
