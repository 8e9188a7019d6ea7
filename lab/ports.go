package lab

import (
	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/fixtures"
)

// refusedPort is a bootstrap list whose one port refuses connections.
func refusedPort() ([]checks.HostPort, error) {
	port, err := fixtures.ClosedPort()
	if err != nil {
		return nil, err
	}
	return []checks.HostPort{{Host: "127.0.0.1", Port: port}}, nil
}
