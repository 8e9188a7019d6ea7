package probe

import (
	"bytes"
	"net"
	"testing"
	"time"
)

// FuzzRawServerHello feeds arbitrary server bytes to the TLS 1.2 hello
// reader: a hostile broker must never crash it or make it read unbounded.
func FuzzRawServerHello(f *testing.F) {
	f.Add([]byte{21, 3, 3, 0, 2, 2, 40})
	f.Add([]byte{22, 3, 3, 0, 4, 14, 0, 0, 0})
	f.Add([]byte{22, 3, 3, 0, 42, 2, 0, 0, 38, 3, 3})
	f.Add(append([]byte{22, 3, 3, 0, 10, 11, 0, 0, 6, 0, 0, 3, 0, 0, 1}, bytes.Repeat([]byte{0x30}, 4)...))
	f.Fuzz(func(t *testing.T, answer []byte) {
		client, server := net.Pipe()
		defer client.Close()
		go func() {
			defer server.Close()
			_ = server.SetDeadline(time.Now().Add(time.Second))
			buf := make([]byte, 4096)
			_, _ = server.Read(buf)
			_, _ = server.Write(answer)
		}()
		_ = client.SetDeadline(time.Now().Add(time.Second))
		var out RawHello
		_ = rawExchange(client, "kafka.example.test", []uint16{0x009e, 0xc02f}, &out)
	})
}
