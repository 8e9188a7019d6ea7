package checks

import (
	"errors"
	"testing"

	"github.com/IBM/sarama"
	"github.com/xdg-go/scram"
)

// TestSCRAMSendsThePasswordAsIs: passwords that SASLprep rejects (emoji,
// control characters) or rewrites (no-break space, ligature) log in against
// a SCRAM server whose stored credential was derived from the password's raw
// UTF-8 bytes, as Kafka derives it; the same conversation with a different
// password is rejected, so the test cannot pass by accepting anything.
func TestSCRAMSendsThePasswordAsIs(t *testing.T) {
	for name, pw := range map[string]string{
		"emoji": "esm-secret-\U0001F511", "trailing newline": "esm-secret-1\n",
		"no-break space": "esm\u00a0secret", "ligature": "esm-secret-\ufb01le", "ascii": "esm-secret-1",
	} {
		t.Run(name, func(t *testing.T) {
			if err := scramLogin("esm,user=x", pw, pw); err != nil {
				t.Fatalf("login with the stored password: %v", err)
			}
			if err := scramLogin("esm,user=x", pw, pw+"x"); err == nil {
				t.Fatal("a different password logged in")
			}
		})
	}
}

// scramLogin runs esmdoctor's SCRAM-SHA-512 client against an xdg-go server
// holding stored's raw-byte credential.
func scramLogin(user, stored, sent string) error {
	kf := scram.KeyFactors{Salt: "c2FsdA==", Iters: 4096}
	raw, _ := scram.SHA512.NewClientUnprepped(user, stored, "")
	creds := raw.GetStoredCredentials(kf)
	srv, _ := scram.SHA512.NewServer(func(string) (scram.StoredCredentials, error) { return creds, nil })
	sconv := srv.NewConversation()
	c := SCRAMClientGenerator(sarama.SASLTypeSCRAMSHA512)()
	if err := c.Begin(user, sent, ""); err != nil {
		return err
	}
	msg, err := c.Step("")
	for err == nil && !c.Done() {
		var challenge string
		if challenge, err = sconv.Step(msg); err != nil {
			return err
		}
		msg, err = c.Step(challenge)
	}
	if err != nil {
		return err
	}
	if !sconv.Valid() {
		return errors.New("server conversation not valid")
	}
	return nil
}
