package checks

import (
	"crypto/tls"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/IBM/sarama"
	"github.com/esmdoctor/esmdoctor/probe"
)

// State carries what earlier checks learned to the checks after them. Only
// the runner's goroutine touches it between checks; checks that fan out
// store per-broker results by index.
type State struct {
	Cfg   Config
	Step  time.Duration // budget of one network step
	Creds ClientCredentials
	// TLS is the client TLS configuration every Kafka connection uses
	// (nil for --auth none).
	TLS *tls.Config
	// Resolved holds, per bootstrap server, the addresses DNS returned.
	Resolved [][]netip.Addr
	// Reachable lists the bootstrap servers (host:port) that accepted TCP.
	Reachable []string
	// Meta is the topic metadata the topic check read.
	Meta *TopicMeta
	// Principal is how the broker will name us in ACLs, when known.
	Principal string
	// Token is the OAuth access token the token check obtained, for the
	// SASL/OAUTHBEARER login (nil for other modes).
	Token *Token
	// AWS is what the AWS checks learned (identity, cluster, endpoints).
	AWS awsState
	// Facts are the typed facts checks publish for later checks (the
	// mapping, the fetched secrets, the MSK cluster and its listener).
	Facts Facts

	// health is what the health readers learned and the verdicts of the
	// checks before the health check.
	health healthState

	// deadlineReached is set when the run's deadline cut a check short.
	deadlineReached bool

	mu    sync.Mutex
	conns map[string]*sarama.Broker // open, authenticated connections by host:port
	// verified holds the connections the tls check verified and left open
	// for the first login to each host:port (one handshake, not two).
	verified map[string]*probe.Kept
	// lent holds the scan's shared connections this run borrowed, by
	// host:port (Config.Sessions); seen and logins are this run's own
	// successful handshakes and login times, recorded with a connection
	// it hands to the scan.
	lent map[string]*session
	// sharedAnswers counts the answers ask took from the scan.
	sharedAnswers atomic.Int32
	seen          map[string]probe.TLSObservation
	logins        map[string]time.Duration
}

// TopicMeta is the part of a metadata response later checks need.
type TopicMeta struct {
	Topic      string
	Via        string // bootstrap server that answered
	Brokers    map[int32]string
	Partitions []PartitionMeta
	// TopicOps is the KIP-430 authorized-operations bitfield for the
	// topic, or sarama's "not provided" value (math.MinInt32).
	TopicOps   int32
	ClusterOps int32
}

// PartitionMeta is one partition and its leader.
type PartitionMeta struct {
	ID     int32
	Leader int32 // -1 when none
	Err    sarama.KError
}

// conn returns an open connection to addr, if an earlier check kept one.
func (s *State) conn(addr string) *sarama.Broker {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns[addr]
}

// keep stores an open connection for later checks.
func (s *State) keep(addr string, b *sarama.Broker) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conns == nil {
		s.conns = map[string]*sarama.Broker{}
	}
	if old, ok := s.conns[addr]; ok && old != b {
		s.forgetLent(addr, old)
		closeBroker(old)
	}
	s.conns[addr] = b
}

// drop forgets (and closes) a connection that failed.
func (s *State) drop(addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b, ok := s.conns[addr]; ok {
		s.forgetLent(addr, b)
		closeBroker(b)
		delete(s.conns, addr)
	}
}

// keepVerified stores a verified TLS connection for the first login to addr.
func (s *State) keepVerified(addr string, k *probe.Kept) {
	if k == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.verified == nil {
		s.verified = map[string]*probe.Kept{}
	}
	if old, ok := s.verified[addr]; ok {
		_ = old.Close()
	}
	s.verified[addr] = k
}

// takeVerified hands over the verified TLS connection to addr, if one is
// waiting (nil otherwise); it is the caller's afterwards.
func (s *State) takeVerified(addr string) *probe.Kept {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := s.verified[addr]
	delete(s.verified, addr)
	return k
}

// forgetLent forgets the borrowed connection b (closed: never lent
// again). The caller holds s.mu.
func (s *State) forgetLent(addr string, b *sarama.Broker) {
	if ss := s.lent[addr]; ss != nil && ss.broker == b {
		delete(s.lent, addr)
	}
}

// Close hands the run's good connections to the scan's Sessions, when it
// shares them, and closes every other connection the run opened.
func (s *State) Close() {
	s.release()
	s.mu.Lock()
	defer s.mu.Unlock()
	for addr, b := range s.conns {
		closeBroker(b)
		delete(s.conns, addr)
	}
	for addr, k := range s.verified {
		_ = k.Close()
		delete(s.verified, addr)
	}
}
