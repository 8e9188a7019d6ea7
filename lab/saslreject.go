package lab

import (
	"crypto/rand"
	"errors"
	"strings"
	"sync"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/xdg-go/scram"
)

// kafkaSCRAMFailure is the message Kafka's SCRAM server puts in a
// SaslAuthenticate response with error 58 for a wrong password or an
// unknown user (verified on the test bed, testbed/README.md).
const kafkaSCRAMFailure = "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512"

// answerSCRAMAsKafka makes c answer user's SCRAM-SHA-512 logins as Kafka
// does: kfake closes the connection on a wrong password, where Kafka sends
// the server-first message and then answers the client's proof with
// SaslAuthenticate error 58 (SASL_AUTHENTICATION_FAILED) and its message.
// The lab holds password for user, as the broker would; the conversation
// is xdg-go/scram's server, keyed by its nonce (the control function does
// not see the connection). A correct proof closes the connection: kfake's
// own session state was never advanced, and no scenario logs in correctly
// through this path.
func answerSCRAMAsKafka(c *kfake.Cluster, user, password string) error {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return err
	}
	client, err := scram.SHA512.NewClientUnprepped(user, password, "")
	if err != nil {
		return err
	}
	creds := client.GetStoredCredentials(scram.KeyFactors{Salt: string(salt), Iters: 4096})
	srv, err := scram.SHA512.NewServer(func(name string) (scram.StoredCredentials, error) {
		if name != user {
			return scram.StoredCredentials{}, errors.New("unknown user")
		}
		return creds, nil
	})
	if err != nil {
		return err
	}
	var mu sync.Mutex
	convs := map[string]*scram.ServerConversation{}
	c.ControlKey(int16(kmsg.SASLAuthenticate), func(req kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		r := req.(*kmsg.SASLAuthenticateRequest)
		resp := r.ResponseKind().(*kmsg.SASLAuthenticateResponse)
		msg := string(r.SASLAuthBytes)
		mu.Lock()
		defer mu.Unlock()
		switch {
		case strings.HasPrefix(msg, "n,") && scramAttr(strings.SplitN(msg, ",", 3)[2], "n") == user:
			conv := srv.NewConversation()
			first, err := conv.Step(msg)
			if err != nil {
				return nil, err, true
			}
			convs[scramAttr(first, "r")] = conv
			resp.SASLAuthBytes = []byte(first)
			return resp, nil, true
		case strings.HasPrefix(msg, "c="):
			nonce := scramAttr(msg, "r")
			conv, ok := convs[nonce]
			if !ok {
				return nil, nil, false
			}
			delete(convs, nonce)
			if _, err := conv.Step(msg); err == nil {
				return nil, errors.New("lab: a correct SCRAM proof on the intercepted path"), true
			}
			text := kafkaSCRAMFailure
			resp.ErrorCode, resp.ErrorMessage = kerr.SaslAuthenticationFailed.Code, &text
			return resp, nil, true
		}
		return nil, nil, false
	})
	return nil
}

// scramAttr returns the value of attribute key in a SCRAM message
// ("r=…,s=…,i=…"), or "".
func scramAttr(msg, key string) string {
	for _, f := range strings.Split(msg, ",") {
		if v, ok := strings.CutPrefix(f, key+"="); ok {
			return v
		}
	}
	return ""
}
