package lab

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

// guardPair connects a client to a guarded listener and returns both ends.
func guardPair(t *testing.T) (client, server net.Conn) {
	t.Helper()
	ln, err := guardedListen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server, err = ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close(); server.Close() })
	_ = server.SetDeadline(time.Now().Add(5 * time.Second))
	_ = client.SetDeadline(time.Now().Add(5 * time.Second))
	return client, server
}

func frame(body string) []byte {
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(body))), body...)
}

func TestGuardPassesFramesThrough(t *testing.T) {
	client, server := guardPair(t)
	sent := append(append(frame("first request"), frame("")...), frame("second")...)
	if _, err := client.Write(sent); err != nil {
		t.Fatal(err)
	}
	var got []byte
	buf := make([]byte, 64) // larger than any frame: reads must stop at frame ends
	for len(got) < len(sent) {
		n, err := server.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, buf[:n]...)
	}
	if !bytes.Equal(got, sent) {
		t.Fatalf("read %q, want %q", got, sent)
	}
}

// TestGuardDropsOversizedFrame: a TLS ClientHello read as a Kafka frame
// announces ~370 MB; the guard closes the connection as Kafka does.
func TestGuardDropsOversizedFrame(t *testing.T) {
	client, server := guardPair(t)
	if _, err := client.Write([]byte{0x16, 0x03, 0x01, 0x02, 0x00, 0x01}); err != nil {
		t.Fatal(err)
	}
	if n, err := server.Read(make([]byte, 8)); n != 0 || !errors.Is(err, io.EOF) {
		t.Fatalf("server read %d, %v; want 0, EOF", n, err)
	}
	if _, err := client.Read(make([]byte, 1)); err == nil {
		t.Fatal("the client's connection stayed open")
	}
}
