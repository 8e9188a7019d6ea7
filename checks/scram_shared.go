package checks

import (
	"hash"
	"sync"

	"github.com/IBM/sarama"
	"github.com/xdg-go/scram"
)

// SCRAMClients shares SCRAM clients between the runs of a scan. A SCRAM
// login derives the salted password with thousands of PBKDF2 rounds (4096
// for Kafka's default), the same for every login with the same mechanism,
// user, password, salt and iteration count; a shared client (xdg-go/scram
// caches derived keys per salt and count, and is safe for concurrent use)
// derives them once for all the mappings that log in alike. Every login
// still runs its own exchange with its own nonce, and the broker still
// checks each proof. The zero value is ready to use.
type SCRAMClients struct {
	mu      sync.Mutex
	clients map[scramKey]*scram.Client
}

type scramKey struct{ mech, user, password string }

// client returns the shared client for the login, creating it once.
func (c *SCRAMClients) client(mech sarama.SASLMechanism, hash func() hash.Hash, user, password string) (*scram.Client, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := scramKey{string(mech), user, password}
	if cl, ok := c.clients[k]; ok {
		return cl, nil
	}
	cl, err := scram.HashGeneratorFcn(hash).NewClientUnprepped(user, password, "")
	if err != nil {
		return nil, err
	}
	if c.clients == nil {
		c.clients = map[scramKey]*scram.Client{}
	}
	c.clients[k] = cl
	return cl, nil
}
