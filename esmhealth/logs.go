// Package esmhealth reads what a Kafka event source mapping reports about
// itself: its system log events (LoggingConfig) and its CloudWatch metrics
// (MetricsConfig). It is pure: the AWS reads live in awsprobe; this
// package parses, counts, maps Kafka exception classes to esmdoctor's
// codes and compares them with the live checks.
//
// The system log shape follows docs/../esm-problems.md section 8 (fields
// eventType, logLevel, errorCode, errorMessage, networkConfig); it has not
// been checked against a real mapping's log.
package esmhealth

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
)

// maxSampleLen bounds the sample message kept per group of events.
const maxSampleLen = 300

// NetworkConfig is a POLLER_STATUS_EVENT's view of the pollers' network.
type NetworkConfig struct {
	IPAddresses     []string `json:"ipAddresses"`
	SubnetCIDRBlock string   `json:"subnetCidrBlock"`
	SecurityGroups  []string `json:"securityGroups"`
}

// SystemEvent is one parsed system log event.
type SystemEvent struct {
	Time             time.Time
	EventType        string         `json:"eventType"`
	LogLevel         string         `json:"logLevel"`
	ErrorCode        string         `json:"errorCode"`
	ErrorMessage     string         `json:"errorMessage"`
	SecurityProtocol string         `json:"securityProtocol"`
	SASLMechanism    string         `json:"saslMechanism"`
	ConsumerGroupID  string         `json:"consumerGroupId"`
	NetworkConfig    *NetworkConfig `json:"networkConfig"`
}

// ParseSystemEvent parses one log message; ok is false for lines that are
// not system log events (the function's own output shares the log group).
func ParseSystemEvent(message string, at time.Time) (SystemEvent, bool) {
	var e SystemEvent
	if err := json.Unmarshal([]byte(message), &e); err != nil || !strings.HasSuffix(e.EventType, "_EVENT") {
		return SystemEvent{}, false
	}
	e.Time = at
	return e, true
}

// Summary is one group of events: one event type and error code.
type Summary struct {
	EventType   string
	ErrorCode   string // as logged (a Java class name), "" when none
	Count       int
	First, Last time.Time
	Sample      string // the latest event's errorMessage, bounded
}

// Summarize groups events by event type and error code, most recent
// group first.
func Summarize(events []SystemEvent) []Summary {
	idx := map[[2]string]int{}
	var out []Summary
	for _, e := range events {
		k := [2]string{e.EventType, e.ErrorCode}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, Summary{EventType: e.EventType, ErrorCode: e.ErrorCode, First: e.Time, Last: e.Time})
		}
		s := &out[i]
		s.Count++
		if e.Time.Before(s.First) {
			s.First = e.Time
		}
		if !e.Time.Before(s.Last) {
			s.Last, s.Sample = e.Time, Sanitize(e.ErrorMessage)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Last.After(out[j].Last) })
	return out
}

// LatestNetwork returns the most recent poller network configuration, if any.
func LatestNetwork(events []SystemEvent) *NetworkConfig {
	var best *SystemEvent
	for i := range events {
		e := &events[i]
		if e.NetworkConfig != nil && (best == nil || e.Time.After(best.Time)) {
			best = e
		}
	}
	if best == nil {
		return nil
	}
	return best.NetworkConfig
}

// secretAssignment finds a value given to a secret-looking key
// ("password=...", "token: ..."), which a Kafka client's message may echo
// from a JAAS configuration.
var secretAssignment = regexp.MustCompile(`(?i)\b(password|passwd|secret|token|credentials?|privatekey)(["']?\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;"']+)`)

// Sanitize makes a logged message fit to print: control characters become
// spaces, a value given to a secret-looking key is replaced by
// <redacted>, and the result is bounded. The run's scrub pass then removes
// every secret value the run knows.
func Sanitize(msg string) string {
	msg = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, msg)
	msg = secretAssignment.ReplaceAllString(msg, "$1$2<redacted>")
	return bound(strings.TrimSpace(msg))
}

// bound cuts s to maxSampleLen bytes on a rune boundary.
func bound(s string) string {
	if len(s) <= maxSampleLen {
		return s
	}
	cut := maxSampleLen
	for cut > 0 && (s[cut]&0xC0) == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}
