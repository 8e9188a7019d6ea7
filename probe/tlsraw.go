package probe

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// RawHello is what a TLS 1.2 server answered a ClientHello offering the
// suites Lambda's Java client offers, Go's missing ones included (DHE,
// DSS, CBC-SHA384): the suite it chose and the certificates it sent (in
// TLS 1.2 they travel in clear). esmdoctor asks this only when Go's own
// handshake failed, to see whether Java's client would have got further.
type RawHello struct {
	Addr     string
	Version  uint16 // the ServerHello's version
	Suite    uint16
	Chain    []*x509.Certificate
	Alert    uint8 // the server's alert, when HasAlert
	HasAlert bool
	Err      error
}

// maxRawHandshake bounds what is read from the server (certificates
// included).
const maxRawHandshake = 256 << 10

// TLS12Hello sends the ClientHello and reads up to the server's
// certificates. It never completes a handshake.
func TLS12Hello(ctx context.Context, addr, serverName string, suites []uint16, budget time.Duration) RawHello {
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	out := RawHello{Addr: addr}
	conn, err := dialer(ctx).DialContext(ctx, "tcp", addr)
	if err != nil {
		out.Err = err
		return out
	}
	defer conn.Close()
	out.Err = await(ctx, func() error { return rawExchange(conn, serverName, suites, &out) }, func() { conn.Close() })
	return out
}

func rawExchange(conn net.Conn, serverName string, suites []uint16, out *RawHello) error {
	hello, err := clientHello(serverName, suites)
	if err != nil {
		return err
	}
	if _, err := conn.Write(hello); err != nil {
		return err
	}
	r := &recordReader{r: conn}
	for {
		typ, body, err := r.message()
		if err != nil {
			var a alertError
			if errors.As(err, &a) {
				out.Alert, out.HasAlert = uint8(a), true
				return nil
			}
			return err
		}
		switch typ {
		case 2: // ServerHello
			if len(body) < 35 || len(body) < 35+int(body[34])+2 {
				return errors.New("malformed ServerHello")
			}
			off := 35 + int(body[34])
			out.Version, out.Suite = binary.BigEndian.Uint16(body), binary.BigEndian.Uint16(body[off:])
		case 11: // Certificate
			out.Chain, err = parseCertificateMsg(body)
			return err
		case 14: // ServerHelloDone without certificates
			return nil
		}
	}
}

// alertError is a TLS alert the server sent.
type alertError uint8

func (a alertError) Error() string { return fmt.Sprintf("TLS alert %d", uint8(a)) }

// recordReader reassembles handshake messages from TLS records.
type recordReader struct {
	r    io.Reader
	buf  []byte
	read int
}

func (rr *recordReader) message() (byte, []byte, error) {
	for {
		if len(rr.buf) >= 4 {
			n := int(rr.buf[1])<<16 | int(rr.buf[2])<<8 | int(rr.buf[3])
			if len(rr.buf) >= 4+n {
				typ, body := rr.buf[0], rr.buf[4:4+n]
				rr.buf = rr.buf[4+n:]
				return typ, body, nil
			}
		}
		if err := rr.record(); err != nil {
			return 0, nil, err
		}
	}
}

func (rr *recordReader) record() error {
	var hdr [5]byte
	if _, err := io.ReadFull(rr.r, hdr[:]); err != nil {
		return err
	}
	n := int(binary.BigEndian.Uint16(hdr[3:]))
	rr.read += 5 + n
	if rr.read > maxRawHandshake {
		return errors.New("the server's handshake is larger than esmdoctor reads")
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(rr.r, body); err != nil {
		return err
	}
	switch hdr[0] {
	case 21:
		if n >= 2 {
			return alertError(body[1])
		}
		return errors.New("malformed alert")
	case 22:
		rr.buf = append(rr.buf, body...)
		return nil
	}
	return fmt.Errorf("unexpected TLS record type %d", hdr[0])
}

func parseCertificateMsg(body []byte) ([]*x509.Certificate, error) {
	if len(body) < 3 {
		return nil, errors.New("malformed Certificate message")
	}
	list := body[3:]
	var chain []*x509.Certificate
	for len(list) >= 3 {
		n := int(list[0])<<16 | int(list[1])<<8 | int(list[2])
		if len(list) < 3+n {
			return nil, errors.New("malformed Certificate message")
		}
		c, err := x509.ParseCertificate(list[3 : 3+n])
		if err != nil {
			return nil, fmt.Errorf("certificate %d: %w", len(chain)+1, err)
		}
		chain = append(chain, c)
		list = list[3+n:]
	}
	return chain, nil
}

// clientHello is a TLS 1.2 ClientHello with the groups and signature
// algorithms Java 17 offers.
func clientHello(serverName string, suites []uint16) ([]byte, error) {
	var random [32]byte
	if _, err := rand.Read(random[:]); err != nil {
		return nil, err
	}
	b := []byte{3, 3}
	b = append(b, random[:]...)
	b = append(b, 0) // no session id
	b = binary.BigEndian.AppendUint16(b, uint16(2*len(suites)+2))
	for _, s := range suites {
		b = binary.BigEndian.AppendUint16(b, s)
	}
	b = append(b, 0x00, 0xff, 1, 0) // renegotiation SCSV; null compression
	ext := helloExtensions(serverName)
	b = binary.BigEndian.AppendUint16(b, uint16(len(ext)))
	b = append(b, ext...)
	msg := append([]byte{1, byte(len(b) >> 16), byte(len(b) >> 8), byte(len(b))}, b...)
	rec := []byte{22, 3, 1}
	rec = binary.BigEndian.AppendUint16(rec, uint16(len(msg)))
	return append(rec, msg...), nil
}

// Java 17's named groups and signature schemes, TLS 1.2 relevant ones.
var (
	javaGroups  = []uint16{29, 23, 24, 25, 30, 256, 257, 258}
	javaSigAlgs = []uint16{0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b,
		0x0401, 0x0501, 0x0601, 0x0402, 0x0502, 0x0602, 0x0303, 0x0301, 0x0302, 0x0203, 0x0201, 0x0202}
)

func helloExtensions(serverName string) []byte {
	var ext []byte
	add := func(typ uint16, data []byte) {
		ext = binary.BigEndian.AppendUint16(ext, typ)
		ext = binary.BigEndian.AppendUint16(ext, uint16(len(data)))
		ext = append(ext, data...)
	}
	if serverName != "" && net.ParseIP(serverName) == nil {
		name := []byte(serverName)
		sni := binary.BigEndian.AppendUint16(nil, uint16(len(name)+3))
		sni = append(sni, 0)
		sni = binary.BigEndian.AppendUint16(sni, uint16(len(name)))
		add(0, append(sni, name...))
	}
	add(10, uint16List(javaGroups))
	add(11, []byte{1, 0})
	add(13, uint16List(javaSigAlgs))
	add(23, nil)
	return ext
}

func uint16List(v []uint16) []byte {
	b := binary.BigEndian.AppendUint16(nil, uint16(2*len(v)))
	for _, x := range v {
		b = binary.BigEndian.AppendUint16(b, x)
	}
	return b
}
