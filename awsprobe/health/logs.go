package health

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/esmdoctor/esmdoctor/awsprobe"
)

// LogEvent is one log event: its time and message.
type LogEvent struct {
	At      time.Time
	Message string
}

// filterLogEventsInput is logs:FilterLogEvents's request, as the SDK
// serialises it (its members in camelCase).
type filterLogEventsInput struct {
	LogGroupName   string   `json:"logGroupName"`
	LogStreamNames []string `json:"logStreamNames"`
	StartTime      int64    `json:"startTime"`
	EndTime        int64    `json:"endTime"`
	Limit          int32    `json:"limit"`
	NextToken      string   `json:"nextToken,omitempty"`
}

// filterLogEventsOutput holds the members of the answer esmdoctor reads.
type filterLogEventsOutput struct {
	Events []struct {
		Timestamp int64  `json:"timestamp"`
		Message   string `json:"message"`
	} `json:"events"`
	NextToken string `json:"nextToken"`
}

// describeLogStreamsInput is logs:DescribeLogStreams's request.
type describeLogStreamsInput struct {
	LogGroupName        string `json:"logGroupName"`
	LogStreamNamePrefix string `json:"logStreamNamePrefix"`
	Limit               int32  `json:"limit"`
}

// describeLogStreamsOutput holds the members of the answer esmdoctor reads.
type describeLogStreamsOutput struct {
	LogStreams []struct {
		LogStreamName      string `json:"logStreamName"`
		LastEventTimestamp int64  `json:"lastEventTimestamp"`
	} `json:"logStreams"`
}

// SystemLogs reads (with cfg: esmdoctor's own identity, Session.OwnConfig) a mapping's system log events from the function's log
// group between start and end: its streams are named <date>/<UUID>
// (logs:DescribeLogStreams by that prefix, per day), and their events are read
// with logs:FilterLogEvents in bounded pages. truncated says the bounds
// stopped the read before the end. The whole read ends within budget
// (awsprobe.ErrStepTimeout).
func SystemLogs(ctx context.Context, cfg aws.Config, group, uuid string, start, end time.Time, budget time.Duration) (events []LogEvent, truncated bool, err error) {
	ctx, cancel := context.WithTimeoutCause(ctx, budget, awsprobe.ErrStepTimeout)
	defer cancel()
	streams, err := mappingStreams(ctx, cfg, group, uuid, start, end, budget)
	if err != nil || len(streams) == 0 {
		return nil, false, err
	}
	in := filterLogEventsInput{LogGroupName: group, LogStreamNames: streams,
		StartTime: start.UnixMilli(), EndTime: end.UnixMilli(), Limit: logPageEvents}
	for page := 0; page < maxLogPages; page++ {
		var out filterLogEventsOutput
		if err := awsprobe.LogsCall(ctx, cfg, "FilterLogEvents", in, &out, budget); err != nil {
			return events, truncated, err
		}
		for _, e := range out.Events {
			events = append(events, LogEvent{At: time.UnixMilli(e.Timestamp).UTC(), Message: e.Message})
		}
		if out.NextToken == "" || out.NextToken == in.NextToken {
			return events, false, nil
		}
		if len(events) >= maxLogEvents {
			return events, true, nil
		}
		in.NextToken = out.NextToken
	}
	return events, true, nil
}

// mappingStreams finds the mapping's streams with events after start:
// one per day, named <yyyy/mm/dd>/<UUID> (UTC). It asks DescribeLogStreams
// for each day from the day before start to end by that exact prefix, so
// the function's own streams (one per instance, thousands on a busy
// function) are never listed, and a day without a stream costs nothing
// more than its answer.
func mappingStreams(ctx context.Context, cfg aws.Config, group, uuid string, start, end time.Time, budget time.Duration) ([]string, error) {
	var names []string
	for _, day := range streamDays(start, end) {
		var out describeLogStreamsOutput
		in := describeLogStreamsInput{LogGroupName: group, LogStreamNamePrefix: day + "/" + uuid, Limit: maxLogStreams}
		if err := awsprobe.LogsCall(ctx, cfg, "DescribeLogStreams", in, &out, budget); err != nil {
			return nil, err
		}
		for _, st := range out.LogStreams {
			if last := st.LastEventTimestamp; last != 0 && last < start.UnixMilli() {
				continue
			}
			names = append(names, st.LogStreamName)
		}
	}
	return names, nil
}

// streamDays are the UTC dates (yyyy/mm/dd) whose streams may hold events
// between start and end: the day before start (a stream is named for the
// day it was opened) through end's, at most maxStreamDays, newest first.
func streamDays(start, end time.Time) []string {
	var out []string
	first := start.UTC().AddDate(0, 0, -1)
	for d := end.UTC(); len(out) < maxStreamDays; d = d.AddDate(0, 0, -1) {
		out = append(out, d.Format("2006/01/02"))
		if d.Format("2006/01/02") == first.Format("2006/01/02") || d.Before(first) {
			break
		}
	}
	return out
}
