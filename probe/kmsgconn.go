package probe

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/IBM/sarama"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// KmsgConn sends Kafka requests sarama cannot encode or decode (the share
// group APIs 76-79, ApiVersions' finalized features, DescribeConfigs on a
// group) on a connection sarama opened: sarama does the TLS and every SASL
// mechanism, then the authenticated stream is handed to franz-go's kmsg,
// which encodes and decodes every request of the Kafka protocol. The
// connection is used for nothing else, so sarama never reads from it
// again; responses stay bounded by the same size limits.
type KmsgConn struct {
	broker *sarama.Broker
	stream net.Conn
	format *kmsg.RequestFormatter
	corr   int32
}

// ErrNoStream is returned when the broker was not opened by OpenBroker.
var ErrNoStream = errors.New("the connection was not opened by probe.OpenBroker")

// OpenKmsg opens an authenticated connection to addr with cfg (as
// OpenBroker does) for kmsg requests.
func OpenKmsg(ctx context.Context, addr string, cfg *sarama.Config, budget time.Duration) (*KmsgConn, error) {
	o := OpenBroker(ctx, addr, cfg, budget)
	if o.Err != nil {
		return nil, o.Err
	}
	d, ok := sockets.Load(o.Broker)
	if !ok {
		closeBroker(o.Broker)
		return nil, ErrNoStream
	}
	dialer := d.(*connDialer)
	dialer.mu.Lock()
	stream := dialer.stream
	dialer.mu.Unlock()
	if stream == nil {
		closeBroker(o.Broker)
		return nil, ErrNoStream
	}
	// sarama numbers its own requests from 0; these never meet them.
	return &KmsgConn{broker: o.Broker, stream: stream, format: kmsg.NewRequestFormatter(kmsg.FormatterClientID(cfg.ClientID)), corr: 1 << 24}, nil
}

// Close closes the connection.
func (c *KmsgConn) Close() { closeBroker(c.broker) }

// closeBroker closes b without waiting on a silent peer.
func closeBroker(b *sarama.Broker) {
	abort(b)
	Forget(b)
}

// Request sends req (its version set by the caller) and decodes the
// answer, bounded by budget; when the budget or ctx ends first the socket
// is closed, which unblocks the read.
func (c *KmsgConn) Request(ctx context.Context, req kmsg.Request, budget time.Duration) (kmsg.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	c.corr++
	corr := c.corr
	var resp kmsg.Response
	err := await(ctx, func() error {
		var err error
		resp, err = c.roundTrip(req, corr)
		return err
	}, func() { abort(c.broker) })
	return resp, err
}

// roundTrip writes one request and reads its response.
func (c *KmsgConn) roundTrip(req kmsg.Request, corr int32) (kmsg.Response, error) {
	if _, err := c.stream.Write(c.format.AppendRequest(nil, req, corr)); err != nil {
		return nil, err
	}
	var hdr [8]byte
	if _, err := io.ReadFull(c.stream, hdr[:]); err != nil {
		return nil, err
	}
	size := int64(binary.BigEndian.Uint32(hdr[:4]))
	if got := int32(binary.BigEndian.Uint32(hdr[4:])); got != corr {
		return nil, fmt.Errorf("%s: the broker answered correlation id %d to request %d", kmsg.NameForKey(req.Key()), got, corr)
	}
	body := make([]byte, max(size-4, 0)) // size is bounded by limitConn
	if _, err := io.ReadFull(c.stream, body); err != nil {
		return nil, err
	}
	resp := req.ResponseKind()
	resp.SetVersion(req.GetVersion())
	if req.Key() == int16(kmsg.ApiVersions) && len(body) >= 2 && int16(binary.BigEndian.Uint16(body)) == unsupportedVersion {
		// A broker older than the request answers ApiVersions v0.
		resp.SetVersion(0)
	}
	// A flexible response header ends with tagged fields, except
	// ApiVersions', whose header is always version 0.
	if resp.IsFlexible() && req.Key() != int16(kmsg.ApiVersions) {
		var err error
		if body, err = skipTags(body); err != nil {
			return nil, err
		}
	}
	if err := resp.ReadFrom(body); err != nil {
		return nil, fmt.Errorf("decoding %s v%d: %w", kmsg.NameForKey(req.Key()), req.GetVersion(), err)
	}
	return resp, nil
}

// unsupportedVersion is Kafka's UNSUPPORTED_VERSION error code.
const unsupportedVersion = 35

// errBadTags is a response header whose tagged fields overrun it.
var errBadTags = errors.New("malformed tagged fields in a response header")

// skipTags drops a response header's tagged fields.
func skipTags(b []byte) ([]byte, error) {
	n, l := binary.Uvarint(b)
	if l <= 0 {
		return nil, errBadTags
	}
	b = b[l:]
	for range n {
		if _, l = binary.Uvarint(b); l <= 0 {
			return nil, errBadTags
		}
		b = b[l:]
		size, l := binary.Uvarint(b)
		if l <= 0 || uint64(len(b)-l) < size {
			return nil, errBadTags
		}
		b = b[l+int(size):]
	}
	return b, nil
}
