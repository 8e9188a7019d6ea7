package lab

import (
	"encoding/binary"
	"io"
	"net"
)

// maxRequestSize is Kafka's socket.request.max.bytes default (100 MiB).
const maxRequestSize = 100 << 20

// guardedListen listens like net.Listen and applies Kafka's request size
// limit to every connection, which kfake does not: Kafka reads the first
// four bytes of a frame as its size and closes the connection when the size
// is negative or above socket.request.max.bytes. A TLS ClientHello sent to a
// PLAINTEXT listener starts 0x16 0x03 0x01, a "request" of about 370 MB, so
// Kafka drops the connection at once; kfake allocates the buffer and waits
// for bytes that never come, and the client's handshake times out instead.
// With the guard the lab's plaintext broker behaves as Kafka does.
func guardedListen(network, addr string) (net.Listener, error) {
	ln, err := net.Listen(network, addr)
	if err != nil {
		return nil, err
	}
	return sizeGuard{ln}, nil
}

type sizeGuard struct{ net.Listener }

func (g sizeGuard) Accept() (net.Conn, error) {
	c, err := g.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &guardedConn{Conn: c}, nil
}

// guardedConn follows the frames a client sends: it reads each size
// prefix itself, closes the connection on an oversized one, and otherwise
// hands the prefix and then at most the frame's body to the reader.
type guardedConn struct {
	net.Conn
	hdr       [4]byte
	hdrLeft   int   // bytes of hdr not yet handed out
	remaining int64 // body bytes of the current frame not yet read
}

func (c *guardedConn) Read(p []byte) (int, error) {
	if c.hdrLeft == 0 && c.remaining == 0 {
		if _, err := io.ReadFull(c.Conn, c.hdr[:]); err != nil {
			return 0, err
		}
		size := int32(binary.BigEndian.Uint32(c.hdr[:]))
		if size < 0 || size > maxRequestSize {
			_ = c.Conn.Close()
			return 0, io.EOF
		}
		c.hdrLeft, c.remaining = len(c.hdr), int64(size)
	}
	if c.hdrLeft > 0 {
		n := copy(p, c.hdr[len(c.hdr)-c.hdrLeft:])
		c.hdrLeft -= n
		return n, nil
	}
	if int64(len(p)) > c.remaining {
		p = p[:c.remaining]
	}
	n, err := c.Conn.Read(p)
	c.remaining -= int64(n)
	return n, err
}
