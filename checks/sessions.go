package checks

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/IBM/sarama"
	"github.com/esmdoctor/esmdoctor/probe"
	"github.com/esmdoctor/esmdoctor/share"
)

// Sessions shares authenticated broker connections between the runs of a
// scan. Opening one costs the broker a TLS handshake and a login (with SCRAM
// the broker's side of the exchange): on a JVM broker about 10 ms of its CPU,
// most of what checking one mapping costs it. Mappings of one account often
// read the same cluster with the same secret; for them the handshake and the
// login give the same answer every time (the same broker, the same trust,
// client certificate and credentials, from the same machine), so a scan
// opens a connection once and lends it to the next run that would open the
// same one: that run reports the handshake and the login as the connection
// saw them (and says the connection was this scan's), and sends its own
// topic, group and poll requests on it. A connection is lent to one run at a
// time, so a scan holds at most --parallel connections to a broker; only a
// connection whose login succeeded is lent (a failure is always seen first
// hand), and one that failed a request is closed, not lent again. Modes that
// log in with a token (MSK IAM, OAuth) are not shared: each run obtains its
// own token. The zero value is ready to use; Close it when the scan ends.
type Sessions struct {
	mu      sync.Mutex
	idle    map[sessionKey][]*session
	answers share.Answers // see ask
	closed  bool
}

// sessionKey names a connection by everything its handshake and login
// depend on: the broker's host:port, the auth mode, the step budget (the
// connection's timeouts), and a digest of the trusted roots, the client
// certificate and the SASL credentials.
type sessionKey struct {
	addr   string
	digest [sha256.Size]byte
}

// session is one open, authenticated connection and what opening it saw.
type session struct {
	broker *sarama.Broker
	// tls is the handshake as the tls check observed it (nil when a later
	// check opened the connection: only the checks after tls may use it).
	tls   *probe.TLSObservation
	login time.Duration // how long the login took
}

// take lends an idle connection for key (nil: none idle).
func (p *Sessions) take(key sessionKey, needTLS bool) *session {
	p.mu.Lock()
	defer p.mu.Unlock()
	list := p.idle[key]
	for i := len(list) - 1; i >= 0; i-- {
		if needTLS && list[i].tls == nil {
			continue
		}
		ss := list[i]
		p.idle[key] = append(list[:i], list[i+1:]...)
		return ss
	}
	return nil
}

// put returns a connection for the next run (closed when the scan ended).
func (p *Sessions) put(key sessionKey, ss *session) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		closeBroker(ss.broker)
		return
	}
	if p.idle == nil {
		p.idle = map[sessionKey][]*session{}
	}
	p.idle[key] = append(p.idle[key], ss)
}

// Close closes every idle connection; connections returned later are
// closed at once.
func (p *Sessions) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	for k, list := range p.idle {
		for _, ss := range list {
			closeBroker(ss.broker)
		}
		delete(p.idle, k)
	}
}

func closeBroker(b *sarama.Broker) {
	_ = b.Close()
	probe.Forget(b)
}

// sessionKey is the key of the run's connection to addr; ok is false when
// the run shares no connection (no Sessions, or a token login).
func (s *State) sessionKey(addr string) (sessionKey, bool) {
	if s.Cfg.Sessions == nil || s.auth().UsesToken() || s.auth() == AuthIAM {
		return sessionKey{}, false
	}
	h := sha256.New()
	field := func(b []byte) {
		_ = binary.Write(h, binary.BigEndian, uint32(len(b)))
		h.Write(b)
	}
	field([]byte(s.auth()))
	field(binary.BigEndian.AppendUint64(nil, uint64(s.Step)))
	if s.TLS != nil {
		for _, c := range brokerRoots(s) {
			field(c.Raw)
		}
		field([]byte{0})
		if s.Creds.Client != nil {
			for _, c := range s.Creds.Client.Chain {
				field(c.Raw)
			}
		}
	}
	field([]byte{1})
	if s.Creds.SASL != nil && s.auth().UsesSASL() {
		field([]byte(s.Creds.SASL.Username))
		field([]byte(s.Creds.SASL.Password.Reveal()))
	}
	k := sessionKey{addr: addr}
	h.Sum(k.digest[:0])
	return k, true
}

// borrow takes a shared connection to addr for this run, if the scan has
// one idle; needTLS asks for one whose handshake the tls check observed.
// The run holds it until Close.
func (s *State) borrow(addr string, needTLS bool) *session {
	if ss := s.borrowed(addr); ss != nil {
		return ss
	}
	key, ok := s.sessionKey(addr)
	if !ok {
		return nil
	}
	ss := s.Cfg.Sessions.take(key, needTLS)
	if ss == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lent == nil {
		s.lent = map[string]*session{}
	}
	s.lent[addr] = ss
	return ss
}

// borrowed is the shared connection this run holds for addr (nil: none).
func (s *State) borrowed(addr string) *session {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lent[addr]
}

// borrowForTCP lends the tcp check a shared connection to the bootstrap
// server hp when its one resolved address is the connection's peer: that
// open connection answers "does the broker accept TCP from here" without
// a new one, which keeps a scan within --parallel connections per broker.
func (s *State) borrowForTCP(hp string, ips []netip.Addr) bool {
	if len(ips) != 1 || s.Cfg.Sessions == nil {
		return false
	}
	ss := s.borrow(hp, s.TLS != nil)
	if ss == nil {
		return false
	}
	host, _, _ := net.SplitHostPort(ss.broker.Addr())
	if ip, err := netip.ParseAddr(host); err == nil && ip.Unmap() != ips[0].Unmap() {
		s.giveBack(hp)
		return false
	}
	return true
}

// giveBack returns a borrowed connection the run will not use.
func (s *State) giveBack(addr string) {
	s.mu.Lock()
	ss := s.lent[addr]
	delete(s.lent, addr)
	s.mu.Unlock()
	if key, ok := s.sessionKey(addr); ok && ss != nil {
		s.Cfg.Sessions.put(key, ss)
	}
}

// release hands the run's authenticated connections to the scan's
// Sessions instead of closing them (State.Close closes what is left).
func (s *State) release() {
	if s.Cfg.Sessions == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for addr, b := range s.conns {
		key, ok := s.sessionKey(addr)
		if !ok || s.deadlineReached {
			continue
		}
		ss := &session{broker: b}
		if old := s.lent[addr]; old != nil && old.broker == b {
			ss = old
		} else if o, seen := s.seen[addr]; seen {
			ss.tls, ss.login = &o, s.logins[addr]
		}
		s.Cfg.Sessions.put(key, ss)
		delete(s.conns, addr)
		delete(s.lent, addr)
	}
	for addr, ss := range s.lent { // lent but never used: still good
		if key, ok := s.sessionKey(addr); ok {
			s.Cfg.Sessions.put(key, ss)
		}
		delete(s.lent, addr)
	}
}

// sharedAnswerNote is what a check says of the answers ask shared with it.
const sharedAnswerNote = "asked once in this scan for every check that asks the same broker the same question with the same identity"

// sharedNote is what a check says of a connection the scan shared with it.
const sharedNote = "this scan's connection, opened for an earlier mapping with the same broker, trust and credentials"

// handshakes is the tls check's handshakes: a connection the run borrowed
// from the scan answers with the handshake it observed when it was opened
// (shared names those addresses); every other address gets its own
// handshake, whose connection is kept for the first login.
func (s *State) handshakes(ctx context.Context) ([]probe.TLSObservation, map[string]bool) {
	obs := make([]probe.TLSObservation, len(s.Reachable))
	shared := map[string]bool{}
	var todo []string
	var at []int
	for i, addr := range s.Reachable {
		if ss := s.borrow(addr, true); ss != nil {
			obs[i], shared[addr] = *ss.tls, true
			continue
		}
		todo, at = append(todo, addr), append(at, i)
	}
	for j, o := range probe.HandshakeAll(ctx, todo, s.TLS, s.Step) {
		// The first login (sasl, or topic without SASL) continues on it.
		s.keepVerified(o.Addr, o.Kept)
		if o.Kept != nil {
			s.noteHandshake(o)
		}
		obs[at[j]] = o
	}
	return obs, shared
}

// noteHandshake records a successful handshake of this run, for a
// connection it may hand to the scan.
func (s *State) noteHandshake(o probe.TLSObservation) {
	o.Kept = nil
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen == nil {
		s.seen = map[string]probe.TLSObservation{}
	}
	s.seen[o.Addr] = o
}

// noteLogin records how long this run's login to addr took.
func (s *State) noteLogin(addr string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.logins == nil {
		s.logins = map[string]time.Duration{}
	}
	s.logins[addr] = d
}

// ask is request for a read-only question whose answer depends only on
// the broker, the identity that asks and the question (topic metadata, a
// group's coordinator and description, committed offsets, log offsets, the
// records at given offsets). Within a scan (Config.Sessions) it is asked
// once for all the mappings that would ask it alike, through package share
// (as the scan's AWS reads are): concurrent askers wait for the first. Only
// an answer keep accepts (nil: any) from a request that succeeded is
// shared; a failure, or an answer cut short, never is.
func ask[T any](ctx context.Context, s *State, addr, question string, keep func(T) bool,
	fn func(*sarama.Broker) (T, error)) (T, error) {
	key, ok := s.sessionKey(addr)
	if !ok {
		return request(ctx, s, addr, fn)
	}
	type reply struct {
		v   T
		err error
	}
	r, shared := share.Ask(ctx, &s.Cfg.Sessions.answers, fmt.Sprintf("%s %x %s", key.addr, key.digest, question),
		func() reply { v, err := request(ctx, s, addr, fn); return reply{v, err} },
		func(r reply) bool { return r.err == nil && (keep == nil || keep(r.v)) })
	if shared {
		s.sharedAnswers.Add(1)
	}
	return r.v, r.err
}
