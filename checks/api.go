package checks

import (
	"context"
	"fmt"
	"regexp"
	"strconv"

	"github.com/esmdoctor/esmdoctor/catalog"
)

// The constraints of Lambda's CreateEventSourceMapping on a Kafka
// mapping's settings, as the Lambda API model states them (shapes
// EndpointLists, Endpoint, Topics, Topic, URI, SourceAccessConfigurations).
// A setting that breaks one never reaches the cluster: Lambda refuses to
// create the mapping.
const (
	apiMaxBootstrap    = 10  // EndpointLists: 1 to 10 items
	apiMaxEndpointLen  = 300 // Endpoint: 1 to 300 characters
	apiMaxTopicLen     = 249 // Topic: 1 to 249 characters
	apiMaxURILen       = 200 // URI (ConsumerGroupId, SourceAccessConfiguration.URI): 1 to 200 characters
	apiMaxAccessConfig = 22  // SourceAccessConfigurations: 0 to 22 items
)

var (
	// Endpoint: DNS labels (letters, digits, inner hyphens) and a port.
	apiEndpoint = regexp.MustCompile(`^(([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\-]*[a-zA-Z0-9])\.)*([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9\-]*[A-Za-z0-9]):[0-9]{1,5}$`)
	// Topic: the model's pattern is [^.]([a-zA-Z0-9\-_.]+): a first
	// character other than '.', then letters, digits, '-', '_' and '.'.
	// Read strictly it also asks for two characters; that part is not
	// enforced here (a false failure would cost more than a miss), so a
	// one-character topic passes.
	apiTopic = regexp.MustCompile(`^[^.][a-zA-Z0-9\-_.]*$`)
	// URI: ConsumerGroupId and access configuration URIs.
	apiURI = regexp.MustCompile(`^[a-zA-Z0-9\-/*:_+=.@]*$`)
)

var apiCheck = Check{
	ID:    "api",
	Title: "Lambda's API would accept the mapping's settings",
	Run:   runAPI,
}

// APIViolation is one setting CreateEventSourceMapping would refuse.
type APIViolation struct {
	Field, Value, Rule, Fix string
}

// APIViolations lists what CreateEventSourceMapping would refuse in cfg.
func APIViolations(cfg Config) []APIViolation {
	var out []APIViolation
	add := func(field, value, rule, fix string) {
		out = append(out, APIViolation{Field: field, Value: value, Rule: rule, Fix: fix})
	}
	if n := len(cfg.Bootstrap); n > apiMaxBootstrap {
		add("KAFKA_BOOTSTRAP_SERVERS", strconv.Itoa(n)+" servers", fmt.Sprintf("a mapping lists 1 to %d bootstrap servers", apiMaxBootstrap),
			fmt.Sprintf("list at most %d brokers (the mapping finds the others from the cluster's metadata)", apiMaxBootstrap))
	}
	for _, b := range cfg.Bootstrap {
		s := b.String()
		switch {
		case len(s) > apiMaxEndpointLen:
			add("KAFKA_BOOTSTRAP_SERVERS", s[:40]+"...", fmt.Sprintf("each server is at most %d characters", apiMaxEndpointLen), "use a shorter DNS name for the broker")
		case !apiEndpoint.MatchString(s):
			add("KAFKA_BOOTSTRAP_SERVERS", s, "each server must match "+apiEndpoint.String()+" (a DNS name or IPv4 address and a port: no IPv6 literal, no '_', no label starting or ending with '-')",
				"give the broker by a DNS name (or IPv4 address) that matches the pattern")
		}
	}
	if t := cfg.Topic; t != "" {
		switch {
		case len(t) > apiMaxTopicLen:
			add("Topics", t, fmt.Sprintf("a topic name is 1 to %d characters", apiMaxTopicLen), "use a shorter topic name")
		case !apiTopic.MatchString(t):
			add("Topics", t, "a topic must match [^.]([a-zA-Z0-9\\-_.]+): it may not start with '.'", "rename the topic (Lambda cannot read it as named)")
		}
	}
	if g := cfg.ConsumerGroup; g != "" {
		switch {
		case len(g) > apiMaxURILen:
			add("ConsumerGroupId", g, fmt.Sprintf("a ConsumerGroupId is 1 to %d characters", apiMaxURILen), "choose a shorter consumer group id")
		case !apiURI.MatchString(g):
			add("ConsumerGroupId", g, "a ConsumerGroupId must match "+apiURI.String()+" (letters, digits and - / * : _ + = . @; no spaces)", "choose a consumer group id of those characters")
		}
	}
	out = append(out, queueViolations(cfg)...)
	if cfg.AWS != nil {
		if n := len(cfg.AWS.AccessConfigs); n > apiMaxAccessConfig {
			add("SourceAccessConfigurations", strconv.Itoa(n)+" entries", fmt.Sprintf("a mapping has at most %d", apiMaxAccessConfig), "drop the access configurations the mapping does not need")
		}
		for _, ac := range cfg.AWS.AccessConfigs {
			switch {
			case len(ac.URI) > apiMaxURILen:
				add("SourceAccessConfigurations URI", ac.URI, fmt.Sprintf("a URI is 1 to %d characters", apiMaxURILen), "use the secret's ARN, subnet or security group id as AWS prints it")
			case !apiURI.MatchString(ac.URI):
				add("SourceAccessConfigurations URI", ac.URI, "a URI must match "+apiURI.String(), "use the secret's ARN, subnet or security group id as AWS prints it")
			}
		}
	}
	return out
}

// runAPI fails on the first setting the API would refuse; the others are
// listed as observations. Nothing after it runs then: Lambda would never
// create the mapping.
func runAPI(_ context.Context, s *State) Outcome {
	if s.Cfg.AWS.mappingGiven() && s.Facts.Mapping == nil {
		// The sts and lambda-endpoint checks, which need this one, still
		// tell something about this network without the mapping.
		return notApplicable("the mapping check could not read the mapping, so there are no settings to check")
	}
	// The settings as the run resolved them: the mapping's with --esm.
	v := APIViolations(Config{Bootstrap: s.target().Bootstrap, Topic: s.topic(), ConsumerGroup: s.group(), AWS: &AWSConfig{AccessConfigs: s.accessConfigs()},
		// Queue mode's refusals apply to the settings given here: a mapping
		// Lambda holds was accepted as it is, whatever its Get output shows.
		Kafka: s.kafkaConfig(), StartingPosition: s.Cfg.StartingPosition, StartingPositionTimestamp: s.Cfg.StartingPositionTimestamp,
		BatchingWindow: s.Cfg.BatchingWindow})
	if len(v) == 0 {
		return pass()
	}
	var detail []string
	for _, x := range v {
		detail = append(detail, fmt.Sprintf("%s: %s: %s", x.Field, x.Value, x.Rule))
	}
	f := v[0]
	return fail(catalog.API001, Args{"field": f.Field, "value": f.Value, "rule": f.Rule, "fix": f.Fix}, detail...)
}

// queueViolations are the settings a Queue mapping (ConsumptionMode
// Queue) may not have: CreateEventSourceMapping refuses StartingPosition,
// StartingPositionTimestamp and MaximumBatchingWindowInSeconds with it.
func queueViolations(cfg Config) []APIViolation {
	if !cfg.Kafka.Queue() {
		return nil
	}
	rule := func(field string) string {
		return "ConsumptionMode Queue does not support " + field + " (a share group starts where its share.auto.offset.reset says, latest by default, and delivers records as they are acquired)"
	}
	var out []APIViolation
	if v := cfg.StartingPosition; v != "" {
		out = append(out, APIViolation{Field: "StartingPosition", Value: v, Rule: rule("StartingPosition"),
			Fix: "leave StartingPosition out (to read retained records, set share.auto.offset.reset=earliest on the group with kafka-configs --alter --entity-type groups)"})
	}
	if v := cfg.StartingPositionTimestamp; v != "" {
		out = append(out, APIViolation{Field: "StartingPositionTimestamp", Value: v, Rule: rule("StartingPositionTimestamp"),
			Fix: "leave StartingPositionTimestamp out (share.auto.offset.reset=by_duration:<ISO 8601 duration> on the group is the share-group equivalent)"})
	}
	if v := cfg.BatchingWindow; v != nil {
		out = append(out, APIViolation{Field: "MaximumBatchingWindowInSeconds", Value: strconv.Itoa(int(*v)), Rule: rule("MaximumBatchingWindowInSeconds"),
			Fix: "leave MaximumBatchingWindowInSeconds out"})
	}
	return out
}
