package checks

import (
	"crypto/sha256"
	"crypto/sha512"
	"hash"

	"github.com/IBM/sarama"
	"github.com/esmdoctor/esmdoctor/probe"
	"github.com/xdg-go/scram"
)

// kafkaVersion is the protocol level esmdoctor speaks: every request it
// sends exists since Kafka 2.4 (authorized operations, KIP-430); MSK's
// oldest supported version is newer.
var kafkaVersion = sarama.V2_6_0_0

func init() {
	// sarama's own ceiling on any response (100 MiB by default); the
	// per-request limits of probe come first.
	sarama.MaxResponseSize = probe.MaxFetchResponse + 1<<20
}

// saramaConfig is the client configuration every broker connection uses.
// Read-only by construction: auto topic creation off, no producer, no
// group membership, no offset commits.
func (s *State) saramaConfig() *sarama.Config {
	c := sarama.NewConfig()
	c.ClientID = "esmdoctor"
	c.Version = kafkaVersion
	c.Metadata.AllowAutoTopicCreation = false
	c.Metadata.Full = false
	c.Consumer.Offsets.AutoCommit.Enable = false
	c.Net.DialTimeout, c.Net.ReadTimeout, c.Net.WriteTimeout = s.Step, s.Step, s.Step
	if s.TLS != nil {
		c.Net.TLS.Enable = true
		c.Net.TLS.Config = s.TLS
	}
	if s.auth() == AuthIAM && s.AWS.tokens != nil {
		c.Net.SASL.Enable = true
		c.Net.SASL.Handshake = true
		c.Net.SASL.Version = sarama.SASLHandshakeV1
		c.Net.SASL.Mechanism = sarama.SASLTypeOAuth
		c.Net.SASL.TokenProvider = s.AWS.tokens
	}
	if s.auth().UsesToken() && s.Token != nil {
		c.Net.SASL.Enable = true
		c.Net.SASL.Handshake = true
		c.Net.SASL.Version = sarama.SASLHandshakeV1
		c.Net.SASL.Mechanism = sarama.SASLTypeOAuth
		c.Net.SASL.TokenProvider = tokenProvider{tok: s.Token}
	}
	if s.auth().UsesSASL() && s.Creds.SASL != nil {
		c.Net.SASL.Enable = true
		c.Net.SASL.Handshake = true
		c.Net.SASL.Version = sarama.SASLHandshakeV1
		c.Net.SASL.Mechanism = sarama.SASLMechanism(s.auth().Mechanism())
		c.Net.SASL.User = s.Creds.SASL.Username
		c.Net.SASL.Password = s.Creds.SASL.Password.Reveal()
		c.Net.SASL.SCRAMClientGeneratorFunc = s.scramGenerator(c.Net.SASL.Mechanism)
	}
	return c
}

// SCRAMClientGenerator returns sarama's SCRAM client factory for a SCRAM
// mechanism (nil for any other): sarama ships none. The test bed's own Go
// proofs use it too.
func SCRAMClientGenerator(mech sarama.SASLMechanism) func() sarama.SCRAMClient {
	switch mech {
	case sarama.SASLTypeSCRAMSHA256:
		return func() sarama.SCRAMClient { return &scramClient{hash: sha256.New} }
	case sarama.SASLTypeSCRAMSHA512:
		return func() sarama.SCRAMClient { return &scramClient{hash: sha512.New} }
	}
	return nil
}

// scramGenerator is SCRAMClientGenerator with the run's shared clients,
// when the caller shares them (Config.SCRAM).
func (s *State) scramGenerator(mech sarama.SASLMechanism) func() sarama.SCRAMClient {
	gen := SCRAMClientGenerator(mech)
	if gen == nil || s.Cfg.SCRAM == nil {
		return gen
	}
	return func() sarama.SCRAMClient {
		c := gen().(*scramClient)
		c.mech, c.shared = mech, s.Cfg.SCRAM
		return c
	}
}

// scramClient adapts xdg-go/scram (the SCRAM implementation sarama's own
// examples use) to sarama's SCRAMClient interface.
type scramClient struct {
	hash   func() hash.Hash
	conv   *scram.ClientConversation
	mech   sarama.SASLMechanism
	shared *SCRAMClients // nil: a client of its own
}

// Begin starts a conversation with the username and password exactly as
// given: Kafka's Java client (what Lambda's pollers run) does not SASLprep
// (its ScramFormatter.normalize is the UTF-8 encoding), and the broker
// derives the stored credential from the same raw bytes. SASLprep would
// refuse an emoji or a trailing newline locally and rewrite a no-break space
// or a ligature into another password.
func (c *scramClient) Begin(user, password, authzID string) error {
	if c.shared != nil && authzID == "" {
		client, err := c.shared.client(c.mech, c.hash, user, password)
		if err != nil {
			return err
		}
		c.conv = client.NewConversation()
		return nil
	}
	client, err := scram.HashGeneratorFcn(c.hash).NewClientUnprepped(user, password, authzID)
	if err != nil {
		return err
	}
	c.conv = client.NewConversation()
	return nil
}

func (c *scramClient) Step(challenge string) (string, error) { return c.conv.Step(challenge) }

func (c *scramClient) Done() bool { return c.conv.Done() }
