package checks

import (
	"context"

	"github.com/IBM/sarama"
	"github.com/esmdoctor/esmdoctor/probe"
)

// connect returns an open, authenticated connection to addr, reusing one an
// earlier check kept (or the TLS connection the tls check verified).
func (s *State) connect(ctx context.Context, addr string) (*sarama.Broker, error) {
	if b := s.conn(addr); b != nil {
		return b, nil
	}
	kept := s.takeVerified(addr)
	if ss := s.borrowed(addr); ss != nil || kept == nil {
		if ss == nil {
			ss = s.borrow(addr, false)
		}
		if ss != nil {
			if kept != nil {
				_ = kept.Close()
			}
			s.keep(addr, ss.broker)
			return ss.broker, nil
		}
	}
	o := probe.OpenBrokerOn(ctx, addr, kept, s.saramaConfig(), s.Step)
	if o.Err != nil {
		return nil, o.Err
	}
	s.keep(addr, o.Broker)
	return o.Broker, nil
}

// request runs one Kafka request on addr's connection; a transport error
// drops the connection so a later check does not reuse a broken one.
func request[T any](ctx context.Context, s *State, addr string, fn func(*sarama.Broker) (T, error)) (T, error) {
	var zero T
	b, err := s.connect(ctx, addr)
	if err != nil {
		return zero, err
	}
	res, err := probe.Request(ctx, b, s.Step, fn)
	if err != nil {
		s.drop(addr)
	}
	return res, err
}
