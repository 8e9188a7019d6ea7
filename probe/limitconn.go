package probe

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"sync"
)

// Response size limits. A broker's response is read whole into memory, so
// a hostile or broken peer (2 GiB announced, 100,000 brokers in a
// metadata answer) must be refused by its announced size, before it is
// read: per request kind, with room to spare for real clusters.
const (
	// MaxMetadataResponse: the metadata of one topic (brokers and
	// partitions) is well under this for the largest real clusters.
	MaxMetadataResponse = 1 << 20
	// MaxFetchResponse: the poll check's fetch, which may return a batch
	// larger than it asked for (KIP-74).
	MaxFetchResponse = 64 << 20
	// MaxOtherResponse: every other response esmdoctor reads.
	MaxOtherResponse = 8 << 20
)

const (
	keyFetch     = 1
	keyMetadata  = 3
	keyJoinGroup = 11
)

func responseLimit(key int16) int64 {
	switch key {
	case keyMetadata:
		return MaxMetadataResponse
	case keyFetch:
		return MaxFetchResponse
	}
	return MaxOtherResponse
}

// ResponseTooLargeError is a response refused for its announced size.
type ResponseTooLargeError struct {
	API         string
	Size, Limit int64
}

func (e *ResponseTooLargeError) Error() string {
	return fmt.Sprintf("the broker announced a %s response of %s, more than the %s esmdoctor reads: not a Kafka broker, or a broken one", e.API, size(e.Size), size(e.Limit))
}

func size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d bytes", n)
}

func apiName(key int16) string {
	switch key {
	case keyMetadata:
		return "metadata"
	case keyFetch:
		return "fetch"
	}
	return fmt.Sprintf("API %d", key)
}

// limitConn sits between sarama and the socket (TLS included): it notes
// the API key of each request it writes by correlation id, reads each
// response's size and correlation id first, and refuses a response over
// its kind's limit with a ResponseTooLargeError before sarama allocates
// for it.
type limitConn struct {
	net.Conn
	mu        sync.Mutex
	keys      map[int32]int16 // correlation id -> API key
	hdr       []byte          // a read-ahead response header not yet given to sarama
	remaining int64           // bytes left in the current response after hdr
	err       error
	silence   *silenceConn // the socket's silence timeout, lifted for JoinGroup
}

func newLimitConn(c net.Conn) *limitConn { return &limitConn{Conn: c, keys: map[int32]int16{}} }

func (c *limitConn) Write(p []byte) (int, error) {
	// sarama writes each request whole: size, key, version, correlation id.
	if len(p) >= 12 && int(binary.BigEndian.Uint32(p)) == len(p)-4 {
		key := int16(binary.BigEndian.Uint16(p[4:]))
		c.mu.Lock()
		c.keys[int32(binary.BigEndian.Uint32(p[8:]))] = key
		c.mu.Unlock()
		if c.silence != nil {
			// The broker holds a JoinGroup for the group's initial
			// rebalance delay: silence is expected there.
			c.silence.exempt.Store(key == keyJoinGroup)
		}
	}
	return c.Conn.Write(p)
}

func (c *limitConn) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if len(c.hdr) == 0 && c.remaining == 0 {
		var hdr [8]byte
		if n, err := io.ReadFull(c.Conn, hdr[:]); err != nil {
			if n > 0 {
				// A short header: hand over what came, then the error.
				copy(p, hdr[:n])
				return min(n, len(p)), err
			}
			return 0, err
		}
		size := int64(binary.BigEndian.Uint32(hdr[:]))
		corr := int32(binary.BigEndian.Uint32(hdr[4:]))
		c.mu.Lock()
		key, known := c.keys[corr]
		delete(c.keys, corr)
		c.mu.Unlock()
		limit := int64(MaxOtherResponse)
		if known {
			limit = responseLimit(key)
		}
		if size > limit {
			c.err = &ResponseTooLargeError{API: apiName(key), Size: size, Limit: limit}
			_ = c.Conn.Close()
			return 0, c.err
		}
		c.hdr = append([]byte(nil), hdr[:]...)
		c.remaining = max(size-4, 0)
	}
	if len(c.hdr) > 0 {
		n := copy(p, c.hdr)
		c.hdr = c.hdr[n:]
		return n, nil
	}
	if int64(len(p)) > c.remaining {
		p = p[:c.remaining]
	}
	n, err := c.Conn.Read(p)
	c.remaining -= int64(n)
	return n, err
}
