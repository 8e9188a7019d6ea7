package main

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/filters"
	"github.com/urfave/cli/v2"
)

// maxFilterCriteriaBytes bounds --filter-criteria (5 patterns of 4096
// bytes, JSON-escaped, fit well within it).
const maxFilterCriteriaBytes = 64 << 10

// settingsFlags are the mapping's processing settings shaped like
// create-event-source-mapping's options, so the checks that use them run
// before a mapping exists (with --esm they replace the mapping's values).
func settingsFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "filter-criteria", Usage: `{"Filters":[{"Pattern":"{\"value\":{...}}"}]}: the poll check evaluates the patterns on recent records`},
		&cli.StringFlag{Name: "starting-position", Usage: "LATEST, TRIM_HORIZON or AT_TIMESTAMP: the group check says what it means for a group that never committed"},
		&cli.StringFlag{Name: "provisioned-poller-config", Usage: `MinimumPollers=N,MaximumPollers=M (or the JSON form): the topic check weighs MaximumPollers against the partitions`},
		&cli.StringFlag{Name: "destination-config", Usage: `{"OnFailure":{"Destination":"kafka://TOPIC" or an SQS, SNS or S3 ARN}}: the topic check checks a Kafka destination read-only, the mapping check an AWS one`},
		&cli.IntFlag{Name: "batch-size", Usage: "BatchSize, 1-10000 for Kafka: stated with what it does"},
		&cli.IntFlag{Name: "maximum-batching-window-in-seconds", Usage: "MaximumBatchingWindowInSeconds, 0-300: the group check allows for it before calling a group stuck"},
		&cli.StringFlag{Name: "starting-position-timestamp", Usage: "with AT_TIMESTAMP: an ISO 8601 time or Unix seconds, as the AWS CLI takes it (recorded; Queue mode refuses it)"},
		&cli.StringFlag{Name: "since", Value: "1h", Usage: "with --esm/--function: how far back the health check reads the mapping's system logs and metrics (a Go duration, 1m to 336h)"},
	}
}

// batchingFromFlags applies --batch-size and
// --maximum-batching-window-in-seconds with Lambda's bounds for Kafka.
func batchingFromFlags(c *cli.Context, cfg *checks.Config) error {
	if c.IsSet("batch-size") {
		n := c.Int("batch-size")
		if n < minBatchSize || n > maxBatchSize {
			return &checks.InputError{Input: "--batch-size", Value: c.String("batch-size"), Msg: "a Kafka mapping's BatchSize is 1-10000"}
		}
		cfg.BatchSize = int32(n)
	}
	if c.IsSet("maximum-batching-window-in-seconds") {
		n := c.Int("maximum-batching-window-in-seconds")
		if n < 0 || n > maxBatchingWindow {
			return &checks.InputError{Input: "--maximum-batching-window-in-seconds", Value: c.String("maximum-batching-window-in-seconds"), Msg: "MaximumBatchingWindowInSeconds is 0-300"}
		}
		// Queue mode refuses it: the api check says so (ESM-API-001), as
		// for every setting CreateEventSourceMapping would refuse.
		w := int32(n)
		cfg.BatchingWindow = &w
	}
	return nil
}

// Lambda's bounds for a Kafka mapping's batching (CreateEventSourceMapping).
const (
	minBatchSize      = 1
	maxBatchSize      = 10000
	maxBatchingWindow = 300
)

// settingsFromFlags applies the settings flags.
func settingsFromFlags(c *cli.Context, cfg *checks.Config) error {
	if err := batchingFromFlags(c, cfg); err != nil {
		return err
	}
	since, err := parseSince(c.String("since"))
	if err != nil {
		return err
	}
	cfg.Since = since
	if c.IsSet("starting-position") {
		p := strings.ToUpper(strings.TrimSpace(c.String("starting-position")))
		switch p {
		case "LATEST", "TRIM_HORIZON", "AT_TIMESTAMP":
			cfg.StartingPosition = p
		default:
			return &checks.InputError{Input: "--starting-position", Value: c.String("starting-position"), Msg: "want LATEST, TRIM_HORIZON or AT_TIMESTAMP"}
		}
	}
	if err := timestampFromFlags(c, cfg); err != nil {
		return err
	}
	if c.IsSet("filter-criteria") {
		patterns, err := parseFilterCriteria(c.String("filter-criteria"))
		if err != nil {
			return &checks.InputError{Input: "--filter-criteria", Value: "(the given JSON)", Msg: err.Error()}
		}
		cfg.FilterCriteria = patterns
	}
	if c.IsSet("provisioned-poller-config") {
		p, err := parsePollers(c.String("provisioned-poller-config"))
		if err != nil {
			return &checks.InputError{Input: "--provisioned-poller-config", Value: c.String("provisioned-poller-config"), Msg: err.Error()}
		}
		cfg.MinimumPollers, cfg.MaximumPollers, cfg.PollerGroup = p.min, p.max, p.group
	}
	if c.IsSet("destination-config") {
		dest, err := parseDestination(c.String("destination-config"))
		if err != nil {
			return &checks.InputError{Input: "--destination-config", Value: "(the given JSON)", Msg: err.Error()}
		}
		cfg.OnFailure = dest
	}
	return nil
}

// filterCriteriaJSON is create-event-source-mapping's FilterCriteria.
type filterCriteriaJSON struct {
	Filters []struct {
		Pattern *string `json:"Pattern"`
	} `json:"Filters"`
}

// parseFilterCriteria reads the FilterCriteria JSON and compiles every
// pattern, so a pattern Lambda would refuse is an input error.
func parseFilterCriteria(s string) ([]string, error) {
	if len(s) > maxFilterCriteriaBytes {
		return nil, errTooLong
	}
	var fc filterCriteriaJSON
	d := json.NewDecoder(bytes.NewReader([]byte(s)))
	d.DisallowUnknownFields()
	if err := d.Decode(&fc); err != nil {
		return nil, errNotCriteria
	}
	if len(fc.Filters) == 0 {
		return nil, errNoFilters
	}
	var patterns []string
	for _, f := range fc.Filters {
		if f.Pattern == nil {
			return nil, errNotCriteria
		}
		patterns = append(patterns, *f.Pattern)
	}
	if _, err := filters.CompileCriteria(patterns); err != nil {
		return nil, err
	}
	return patterns, nil
}

// The --filter-criteria refusals.
const (
	errTooLong     = inputErr("longer than 64 KiB")
	errNotCriteria = inputErr(`not FilterCriteria JSON: want {"Filters":[{"Pattern":"..."}]}`)
	errNoFilters   = inputErr("no Filters")
)

// inputErr is a fixed refusal message.
type inputErr string

func (e inputErr) Error() string { return string(e) }
