package checks

import "time"

// Time budgets. The run as a whole is bounded by --timeout; each network
// step (one DNS lookup, one dial, one handshake, one request) gets a step
// budget derived from it, so a blackholed broker costs one step budget, not
// the whole run, and later steps still have time to report. Brokers are
// probed in parallel within a step, so the count of brokers does not
// multiply the cost.
const (
	// DefaultTimeout is the run's budget when --timeout is not given.
	DefaultTimeout = 30 * time.Second
	// MinTimeout is the smallest --timeout accepted.
	MinTimeout = 2 * time.Second
	// stepShare: a step may use this fraction of the whole budget, so that
	// a blackhole at one step leaves room for the steps before it.
	stepShare = 4
	minStep   = 500 * time.Millisecond
	maxStep   = 10 * time.Second
	// pollWait is the longest a fetch waits for records: the poll check
	// proves access, it does not wait for traffic.
	pollWait = 250 * time.Millisecond
	// joinWait: Kafka holds the first JoinGroup of an empty group for
	// group.initial.rebalance.delay.ms (3s by default) before answering,
	// so --join-group waits at least this long (still within --timeout).
	joinWait = 5 * time.Second
	// kafkaInitialRebalanceDelay is Kafka's default for that setting.
	kafkaInitialRebalanceDelay = 3 * time.Second
)

// StepBudget is the budget of one network step for a run bounded by total.
func StepBudget(total time.Duration) time.Duration {
	b := total / stepShare
	if b < minStep {
		b = minStep
	}
	if b > maxStep {
		b = maxStep
	}
	return b
}

// joinBudget is how long a JoinGroup may take.
func joinBudget(step time.Duration) time.Duration { return max(step, joinWait) }
