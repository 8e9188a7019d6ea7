package lab

import (
	"io"
	"net"
	"sync"

	"github.com/esmdoctor/esmdoctor/checks"
)

// refusedPort finds a loopback port with nothing listening: it binds one
// and closes it at once, so a connection attempt is refused.
func refusedPort() ([]checks.HostPort, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if err := ln.Close(); err != nil {
		return nil, err
	}
	return []checks.HostPort{{Host: "127.0.0.1", Port: port}}, nil
}

// blackhole accepts TCP connections and never writes a byte: what a load
// balancer with no healthy target, or a hung broker, looks like. It reads
// and discards what the client sends so the client's writes never block.
type blackhole struct {
	ln    net.Listener
	mu    sync.Mutex
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

func newBlackhole() (*blackhole, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	bh := &blackhole{ln: ln, conns: map[net.Conn]struct{}{}}
	bh.wg.Add(1)
	go bh.accept()
	return bh, nil
}

func (bh *blackhole) bootstrap() []checks.HostPort {
	return []checks.HostPort{{Host: "127.0.0.1", Port: bh.ln.Addr().(*net.TCPAddr).Port}}
}

func (bh *blackhole) accept() {
	defer bh.wg.Done()
	for {
		c, err := bh.ln.Accept()
		if err != nil {
			return // closed
		}
		bh.mu.Lock()
		bh.conns[c] = struct{}{}
		bh.mu.Unlock()
		bh.wg.Add(1)
		go func() {
			defer bh.wg.Done()
			_, _ = io.Copy(io.Discard, c)
			bh.mu.Lock()
			delete(bh.conns, c)
			bh.mu.Unlock()
		}()
	}
}

// Close stops listening, drops every connection and waits for the
// goroutines.
func (bh *blackhole) Close() {
	_ = bh.ln.Close()
	bh.mu.Lock()
	for c := range bh.conns {
		_ = c.Close()
	}
	bh.mu.Unlock()
	bh.wg.Wait()
}
