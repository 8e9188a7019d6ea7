package probe

import (
	"bytes"
	"encoding/binary"
	"io"
	"net"
	"sync"

	"github.com/IBM/sarama"
)

// A verified TLS connection costs the broker a full handshake (its
// certificate signature, the key exchange), which on a JVM broker is most
// of what one connection costs. The tls check's connection is therefore
// kept, once its handshake and first Kafka request succeeded, and handed to
// the connection the sasl check (or, without SASL, the topic check) opens:
// one handshake per broker instead of two, as a Kafka client makes.
//
// The first request on the kept connection was ApiVersions, and a SASL
// listener accepts only one ApiVersions before SaslHandshake (Kafka's
// SaslServerAuthenticator closes the connection on a second). sarama's
// Open sends ApiVersions first and uses the answer to clamp every later
// request's version, so the kept connection answers that one request with
// the broker's own recorded response instead of sending it again.

// apiVersionsVersion is the ApiVersions version the tls check sends: the
// one sarama's Open sends for esmdoctor's protocol level (3 below Kafka
// 3.9, see sarama's Broker.Open), so that its answer can stand for sarama's.
const apiVersionsVersion = 3

// Kept is a verified TLS connection whose first Kafka request (ApiVersions)
// was answered, waiting for OpenBroker. Close it if it is not used.
type Kept struct {
	raw      net.Conn     // the socket
	quiet    *silenceConn // its silence timeout
	conn     net.Conn     // the TLS connection over quiet
	response []byte       // the broker's ApiVersions response frame
}

// Close closes the connection.
func (k *Kept) Close() error { return k.raw.Close() }

// usableBy says whether sarama, configured by cfg, would open the kept
// connection with exactly the ApiVersions request already answered (or
// with none).
func (k *Kept) usableBy(cfg *sarama.Config) bool {
	if !cfg.ApiVersionsRequest {
		return true
	}
	return saramaAPIVersionsVersion(cfg) == apiVersionsVersion
}

// saramaAPIVersionsVersion is the ApiVersions version sarama's Open sends.
func saramaAPIVersionsVersion(cfg *sarama.Config) int16 {
	if cfg.Version.IsAtLeast(sarama.V3_9_0_0) {
		return 4
	}
	return 3
}

// replayConn answers the first request written to it, when that is the
// ApiVersions request already answered on this connection, with the
// recorded response (under the request's correlation id) instead of
// sending it; everything else passes through.
type replayConn struct {
	net.Conn
	mu       sync.Mutex
	response []byte // recorded frame; nil once the first write went by
	pending  []byte // replayed bytes not read yet
}

func (c *replayConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	rec := c.response
	c.response = nil
	if rec != nil && isAPIVersionsRequest(p) {
		c.pending = append([]byte(nil), rec...)
		copy(c.pending[4:8], p[8:12]) // the request's correlation id
		c.mu.Unlock()
		return len(p), nil
	}
	c.mu.Unlock()
	return c.Conn.Write(p)
}

func (c *replayConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	if len(c.pending) > 0 {
		n := copy(p, c.pending)
		c.pending = c.pending[n:]
		c.mu.Unlock()
		return n, nil
	}
	c.mu.Unlock()
	return c.Conn.Read(p)
}

// isAPIVersionsRequest says whether p is one whole ApiVersions request
// frame of apiVersionsVersion.
func isAPIVersionsRequest(p []byte) bool {
	return len(p) >= 12 && int(binary.BigEndian.Uint32(p)) == len(p)-4 &&
		binary.BigEndian.Uint16(p[4:]) == keyAPIVersions && binary.BigEndian.Uint16(p[6:]) == apiVersionsVersion
}

const keyAPIVersions = 18

// apiVersionsRequest is ApiVersions v3 (a flexible request: header v2,
// compact strings, empty tagged fields) naming esmdoctor as the client
// software, with correlation id 1.
func apiVersionsRequest() []byte {
	const clientID, software, version = "esmdoctor", "esmdoctor", "1"
	var b bytes.Buffer
	b.Write([]byte{0, 0, 0, 0})                                   // size, set below
	_ = binary.Write(&b, binary.BigEndian, int16(keyAPIVersions)) // api key
	_ = binary.Write(&b, binary.BigEndian, int16(apiVersionsVersion))
	_ = binary.Write(&b, binary.BigEndian, int32(1)) // correlation id
	_ = binary.Write(&b, binary.BigEndian, int16(len(clientID)))
	b.WriteString(clientID)
	b.WriteByte(0) // header tagged fields
	for _, s := range []string{software, version} {
		b.WriteByte(byte(len(s) + 1)) // compact string: uvarint length+1
		b.WriteString(s)
	}
	b.WriteByte(0) // body tagged fields
	req := b.Bytes()
	binary.BigEndian.PutUint32(req, uint32(len(req)-4))
	return req
}

// apiVersionsRoundTrip sends ApiVersions and returns the whole response
// frame (size and correlation id included), at most 1 MiB.
func apiVersionsRoundTrip(conn net.Conn) ([]byte, error) {
	if _, err := conn.Write(apiVersionsRequest()); err != nil {
		return nil, err
	}
	var size [4]byte
	if _, err := io.ReadFull(conn, size[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(size[:])
	if n < 4 || n > 1<<20 {
		return nil, &NotKafkaError{Size: n}
	}
	frame := make([]byte, 4+int(n))
	copy(frame, size[:])
	if _, err := io.ReadFull(conn, frame[4:]); err != nil {
		return nil, err
	}
	return frame, nil
}
