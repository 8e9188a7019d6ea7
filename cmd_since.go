package main

import (
	"strings"
	"time"

	"github.com/esmdoctor/esmdoctor/checks"
)

// parseSince reads --since: a Go duration from checks.MinSince to
// checks.MaxSince (CloudWatch keeps one-minute metrics for 15 days).
func parseSince(v string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil {
		return 0, &checks.InputError{Input: "--since", Value: v, Msg: "not a duration: want e.g. 1h, 30m or 72h"}
	}
	if d < checks.MinSince || d > checks.MaxSince {
		return 0, &checks.InputError{Input: "--since", Value: v, Msg: "want a duration from 1m to 336h (14 days)"}
	}
	return d, nil
}
