package probe

import (
	"context"
	"crypto/tls"
	"encoding/binary"
	"io"
	"net"
	"time"
)

// SASLMechanisms asks a broker which SASL mechanisms its listener enables
// (a SaslHandshake v1 naming mech, whose response lists them). It does not
// authenticate.
func SASLMechanisms(ctx context.Context, addr string, cfg *tls.Config, mech string, budget time.Duration) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	d := dialer(ctx)
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if cfg != nil {
		c := cfg.Clone()
		if host, _, err := net.SplitHostPort(addr); err == nil && c.ServerName == "" {
			c.ServerName = host
		}
		tc := tls.Client(conn, c)
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, err
		}
		conn = tc
	}
	var mechs []string
	err = await(ctx, func() error {
		var err error
		mechs, err = saslHandshake(conn, mech)
		return err
	}, func() { conn.Close() })
	return mechs, err
}

func saslHandshake(conn net.Conn, mech string) ([]string, error) {
	const clientID = "esmdoctor"
	body := binary.BigEndian.AppendUint16(nil, 17) // SaslHandshake
	body = binary.BigEndian.AppendUint16(body, 1)
	body = binary.BigEndian.AppendUint32(body, 1)
	body = appendString(body, clientID)
	body = appendString(body, mech)
	frame := binary.BigEndian.AppendUint32(nil, uint32(len(body)))
	if _, err := conn.Write(append(frame, body...)); err != nil {
		return nil, err
	}
	var size [4]byte
	if _, err := io.ReadFull(conn, size[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(size[:])
	if n < 10 || n > 1<<16 {
		return nil, &NotKafkaError{Size: n}
	}
	resp := make([]byte, n)
	if _, err := io.ReadFull(conn, resp); err != nil {
		return nil, err
	}
	// correlation id (4), error code (2), array count (4), strings.
	count := int(int32(binary.BigEndian.Uint32(resp[6:10])))
	p := resp[10:]
	var out []string
	for i := 0; i < count && len(p) >= 2; i++ {
		l := int(binary.BigEndian.Uint16(p))
		if len(p) < 2+l {
			break
		}
		out = append(out, string(p[2:2+l]))
		p = p[2+l:]
	}
	return out, nil
}

func appendString(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint16(b, uint16(len(s)))
	return append(b, s...)
}
