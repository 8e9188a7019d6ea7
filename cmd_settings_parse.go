package main

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/resolve"
	"github.com/urfave/cli/v2"
)

// pollerConfig is ProvisionedPollerConfig.
type pollerConfig struct {
	MinimumPollers  *int32 `json:"MinimumPollers"`
	MaximumPollers  *int32 `json:"MaximumPollers"`
	PollerGroupName string `json:"PollerGroupName"`
}

// pollers is a checked ProvisionedPollerConfig.
type pollers struct {
	min, max int32
	group    string
}

// maxPollerGroupName bounds PollerGroupName (the reference gives no
// length; Lambda's names of this kind stay well within it).
const maxPollerGroupName = 128

// parsePollers reads --provisioned-poller-config in the AWS CLI's
// shorthand (MinimumPollers=1,MaximumPollers=10,PollerGroupName=G) or
// JSON form, with Lambda's limits (minimum 1-200, maximum 1-2000,
// minimum <= maximum).
func parsePollers(s string) (pollers, error) {
	var pc pollerConfig
	if strings.HasPrefix(strings.TrimSpace(s), "{") {
		d := json.NewDecoder(bytes.NewReader([]byte(s)))
		d.DisallowUnknownFields()
		if err := d.Decode(&pc); err != nil {
			return pollers{}, inputErr("not ProvisionedPollerConfig JSON")
		}
	} else if err := pollerShorthand(s, &pc); err != nil {
		return pollers{}, err
	}
	if len(pc.PollerGroupName) > maxPollerGroupName || strings.ContainsFunc(pc.PollerGroupName, unicode.IsControl) {
		return pollers{}, inputErr("PollerGroupName is too long or holds control characters")
	}
	min, max := int32(1), int32(200)
	if pc.MinimumPollers != nil {
		min = *pc.MinimumPollers
	}
	if pc.MaximumPollers != nil {
		max = *pc.MaximumPollers
	}
	switch {
	case min < 1 || min > 200:
		return pollers{}, inputErr("MinimumPollers must be 1-200")
	case max < 1 || max > 2000:
		return pollers{}, inputErr("MaximumPollers must be 1-2000")
	case min > max:
		return pollers{}, inputErr("MinimumPollers is above MaximumPollers")
	}
	return pollers{min: min, max: max, group: pc.PollerGroupName}, nil
}

// pollerShorthand reads Key=N pairs separated by commas.
func pollerShorthand(s string, pc *pollerConfig) error {
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if k == "PollerGroupName" && ok {
			pc.PollerGroupName = v
			continue
		}
		n, err := strconv.ParseInt(v, 10, 32)
		if !ok || err != nil {
			return inputErr("want MinimumPollers=N,MaximumPollers=M[,PollerGroupName=G]")
		}
		n32 := int32(n)
		switch k {
		case "MinimumPollers":
			pc.MinimumPollers = &n32
		case "MaximumPollers":
			pc.MaximumPollers = &n32
		default:
			return inputErr("unknown member " + strconv.Quote(k) + ": want MinimumPollers, MaximumPollers, PollerGroupName")
		}
	}
	return nil
}

// destinationConfig is DestinationConfig (OnFailure only: Kafka mappings
// have no OnSuccess destination).
type destinationConfig struct {
	OnFailure *struct {
		Destination string `json:"Destination"`
	} `json:"OnFailure"`
}

// parseDestination reads --destination-config's JSON and returns the
// on-failure destination: kafka://TOPIC or an SQS, SNS or S3 ARN.
func parseDestination(s string) (string, error) {
	var dc destinationConfig
	d := json.NewDecoder(bytes.NewReader([]byte(s)))
	d.DisallowUnknownFields()
	if err := d.Decode(&dc); err != nil || dc.OnFailure == nil || dc.OnFailure.Destination == "" {
		return "", inputErr(`not DestinationConfig JSON: want {"OnFailure":{"Destination":"..."}}`)
	}
	dest := dc.OnFailure.Destination
	if t, ok := strings.CutPrefix(dest, "kafka://"); ok {
		if err := resolve.CheckTopicName("--destination-config", t); err != nil {
			return "", inputErr("kafka://" + t + ": not a valid Kafka topic name")
		}
		return dest, nil
	}
	for _, p := range []string{"arn:aws:sqs:", "arn:aws:sns:", "arn:aws:s3:::"} {
		if strings.HasPrefix(dest, p) {
			return dest, nil
		}
	}
	return "", inputErr("the destination must be kafka://TOPIC or an SQS, SNS or S3 ARN")
}

// timestampFromFlags applies --starting-position-timestamp (an ISO 8601
// time or Unix seconds, as the AWS CLI reads a timestamp).
func timestampFromFlags(c *cli.Context, cfg *checks.Config) error {
	if !c.IsSet("starting-position-timestamp") {
		return nil
	}
	v := strings.TrimSpace(c.String("starting-position-timestamp"))
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		n, nerr := strconv.ParseInt(v, 10, 64)
		if nerr != nil || n < 0 {
			return &checks.InputError{Input: "--starting-position-timestamp", Value: v, Msg: "want an ISO 8601 time (2026-11-30T12:00:00Z) or Unix seconds"}
		}
		t = time.Unix(n, 0)
	}
	cfg.StartingPositionTimestamp = t.UTC().Format(time.RFC3339)
	return nil
}
