// Package scram is a small SCRAM-SHA-256/512 client (RFC 5802) that satisfies
// sarama.SCRAMClient using only the standard library, so test-bed code needs no
// extra module. Usage:
//
//	cfg.Net.SASL.Mechanism = sarama.SASLTypeSCRAMSHA512
//	cfg.Net.SASL.SCRAMClientGeneratorFunc = scram.SHA512
//
// It performs no SASLprep on passwords (the test bed uses ASCII passwords).
package scram

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"

	"github.com/IBM/sarama"
)

// SHA256 returns a new SCRAM-SHA-256 client.
func SHA256() sarama.SCRAMClient { return &Client{h: sha256.New} }

// SHA512 returns a new SCRAM-SHA-512 client.
func SHA512() sarama.SCRAMClient { return &Client{h: sha512.New} }

// Client is one SCRAM conversation.
type Client struct {
	h                 func() hash.Hash
	user, pass, authz string
	nonce             string
	clientFirstBare   string
	serverSignature   []byte
	step              int
	done              bool
}

// Begin starts a conversation.
func (c *Client) Begin(user, pass, authz string) error {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	c.user, c.pass, c.authz = user, pass, authz
	c.nonce = base64.RawStdEncoding.EncodeToString(b)
	c.step, c.done = 0, false
	return nil
}

// Done reports whether the conversation is over.
func (c *Client) Done() bool { return c.done }

func escape(s string) string {
	return strings.NewReplacer("=", "=3D", ",", "=2C").Replace(s)
}

// Step consumes a server message and returns the next client message.
func (c *Client) Step(challenge string) (string, error) {
	c.step++
	switch c.step {
	case 1:
		gs2 := "n,,"
		if c.authz != "" {
			gs2 = "n,a=" + escape(c.authz) + ","
		}
		c.clientFirstBare = "n=" + escape(c.user) + ",r=" + c.nonce
		return gs2 + c.clientFirstBare, nil
	case 2:
		attrs := parse(challenge)
		if e, ok := attrs["e"]; ok {
			return "", fmt.Errorf("scram: server error %q", e)
		}
		nonce, salt64, iter := attrs["r"], attrs["s"], attrs["i"]
		if !strings.HasPrefix(nonce, c.nonce) || len(nonce) == len(c.nonce) {
			return "", errors.New("scram: server nonce does not extend the client nonce")
		}
		salt, err := base64.StdEncoding.DecodeString(salt64)
		if err != nil {
			return "", fmt.Errorf("scram: bad salt: %w", err)
		}
		n, err := strconv.Atoi(iter)
		if err != nil || n < 1 {
			return "", fmt.Errorf("scram: bad iteration count %q", iter)
		}
		salted, err := pbkdf2.Key(c.h, c.pass, salt, n, c.h().Size())
		if err != nil {
			return "", err
		}
		gs2 := "n,,"
		if c.authz != "" {
			gs2 = "n,a=" + escape(c.authz) + ","
		}
		final := "c=" + base64.StdEncoding.EncodeToString([]byte(gs2)) + ",r=" + nonce
		authMsg := c.clientFirstBare + "," + challenge + "," + final
		clientKey := c.mac(salted, "Client Key")
		sum := c.h()
		sum.Write(clientKey)
		storedKey := sum.Sum(nil)
		sig := c.mac(storedKey, authMsg)
		proof := make([]byte, len(clientKey))
		for i := range clientKey {
			proof[i] = clientKey[i] ^ sig[i]
		}
		c.serverSignature = c.mac(c.mac(salted, "Server Key"), authMsg)
		return final + ",p=" + base64.StdEncoding.EncodeToString(proof), nil
	case 3:
		attrs := parse(challenge)
		if e, ok := attrs["e"]; ok {
			return "", fmt.Errorf("scram: server error %q", e)
		}
		v, err := base64.StdEncoding.DecodeString(attrs["v"])
		if err != nil || subtle.ConstantTimeCompare(v, c.serverSignature) != 1 {
			return "", errors.New("scram: server signature does not verify")
		}
		c.done = true
		return "", nil
	}
	return "", errors.New("scram: conversation already finished")
}

func (c *Client) mac(key []byte, msg string) []byte {
	m := hmac.New(c.h, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

func parse(msg string) map[string]string {
	out := map[string]string{}
	for _, kv := range strings.Split(msg, ",") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			out[k] = v
		}
	}
	return out
}
