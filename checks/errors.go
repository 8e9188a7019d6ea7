package checks

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"time"

	"github.com/IBM/sarama"
	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/probe"
)

type netipAddr = netip.Addr

// isTimeout reports a deadline: a net.Error timeout or a context deadline.
func isTimeout(err error) bool {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, ErrDeadline)
}

// isClosed reports a peer that closed or reset the connection.
func isClosed(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		isReset(err) || isAborted(err)
}

// closedDetail names how the peer ended the connection.
func closedDetail(err error) string {
	switch {
	case isReset(err):
		return "connection reset by the broker"
	case isAborted(err):
		return "the connection broke while esmdoctor was writing (the broker closed or aborted it)"
	}
	return "the broker closed the connection (EOF)"
}

// shortErr is a one-line rendering of an error for detail lines; the
// errors shown here come from the network stack and never carry secrets.
func shortErr(err error, fallback string) string {
	if err == nil {
		return fallback
	}
	return err.Error()
}

func catalogTitle(code string) string {
	e, _ := catalog.Lookup(code)
	return e.Title
}

// kafkaError finds the Kafka error code in err. sarama wraps a broker's
// error message around the code in a type that answers errors.Is for the
// code but not errors.As, so the known codes are tried with errors.Is.
func kafkaError(err error) (sarama.KError, bool) {
	var k sarama.KError
	if errors.As(err, &k) {
		return k, true
	}
	for code := sarama.KError(-1); code <= maxKafkaErrorCode; code++ {
		if code != sarama.ErrNoError && errors.Is(err, code) {
			return code, true
		}
	}
	return 0, false
}

// maxKafkaErrorCode bounds the search; Kafka 4.x defines codes up to ~130.
const maxKafkaErrorCode = 200

// isKafka reports whether err carries the Kafka error code k.
func isKafka(err error, k sarama.KError) bool {
	got, ok := kafkaError(err)
	return ok && got == k
}

// waited is how long esmdoctor waited for an answer that did not come:
// probe.SilenceTimeout for a peer that sent nothing at all, else the
// step budget.
func waited(err, post error, step time.Duration) string {
	if probe.IsSilent(err) || probe.IsSilent(post) {
		return probe.SilenceTimeout.String()
	}
	return step.String()
}
