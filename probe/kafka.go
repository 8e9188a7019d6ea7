package probe

import (
	"context"
	"time"

	"github.com/IBM/sarama"
)

// KafkaObservation is the outcome of opening (and authenticating) a Kafka
// connection to one broker.
type KafkaObservation struct {
	Addr    string
	Broker  *sarama.Broker // open on success; the caller closes it
	Err     error
	Elapsed time.Duration
}

// OpenBroker connects to one broker with cfg (TLS and SASL included) and
// waits for the connection, bounded by budget. Opening each broker
// directly, rather than through a sarama client, keeps the per-broker cause
// that a client would hide behind ErrOutOfBrokers.
func OpenBroker(ctx context.Context, addr string, cfg *sarama.Config, budget time.Duration) KafkaObservation {
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	start := time.Now()
	b := sarama.NewBroker(addr)
	err := await(ctx, func() error {
		if err := b.Open(cfg); err != nil {
			return err
		}
		_, err := b.Connected()
		return err
	}, func() { _ = b.Close() })
	if err != nil {
		_ = b.Close()
		return KafkaObservation{Addr: addr, Err: err, Elapsed: since(start)}
	}
	return KafkaObservation{Addr: addr, Broker: b, Elapsed: since(start)}
}

// Request runs one request on an open broker, bounded by budget. When the
// budget ends first the broker is closed, which unblocks the request.
func Request[T any](ctx context.Context, b *sarama.Broker, budget time.Duration, fn func(*sarama.Broker) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	var res T
	err := await(ctx, func() error {
		var err error
		res, err = fn(b)
		return err
	}, func() { _ = b.Close() })
	return res, err
}
