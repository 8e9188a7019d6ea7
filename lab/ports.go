package lab

import (
	"net"

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
