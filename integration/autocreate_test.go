package integration

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/IBM/sarama"
	"github.com/esmdoctor/esmdoctor/checks"
)

// TestNeverCreatesTopicOnAutoCreateBroker runs esmdoctor against the test
// bed's second broker, which has auto.create.topics.enable=true, for a
// topic that does not exist: the verdict is "topic does not exist" and the
// topic still does not exist afterwards.
func TestNeverCreatesTopicOnAutoCreateBroker(t *testing.T) {
	b := requireBed(t)
	topic := fmt.Sprintf("esmdoctor-never-created-%d", time.Now().UnixNano())
	cfg := checks.Config{Bootstrap: b.hostPorts(b.Get("AUTOCREATE")), Topic: topic, Auth: checks.AuthNone,
		ConsumerGroup: "esmdoctor-autocreate", Timeout: matrixTimeout}
	rs := checks.Run(context.Background(), cfg, nil)
	first, failed := firstFailure(rs)
	if !failed || first.ID != "topic" || first.Code != "ESM-TOPIC-001" {
		t.Fatalf("first failure %s %s, want topic ESM-TOPIC-001\n%s", first.ID, first.Code, dump(rs))
	}
	if topicExists(t, b.Get("AUTOCREATE"), topic) {
		t.Fatalf("topic %s exists after the run: esmdoctor created it", topic)
	}
	// Control: the broker really would have created it for a client asking.
	createByMetadata(t, b.Get("AUTOCREATE"), topic+"-control")
}

// createByMetadata asks the auto-create broker for a topic, allowing
// creation, and waits until the topic exists.
func createByMetadata(t *testing.T, addr, topic string) {
	t.Helper()
	client := sarama.NewBroker(addr)
	conf := sarama.NewConfig()
	conf.Version = sarama.V2_6_0_0
	if err := client.Open(conf); err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	req := sarama.NewMetadataRequest(conf.Version, []string{topic})
	req.AllowAutoTopicCreation = true
	if _, err := client.GetMetadata(req); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !topicExists(t, addr, topic) {
		if time.Now().After(deadline) {
			t.Fatal("the auto-create broker did not create a topic a client asked for")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// topicExists lists the broker's topics without asking to create any.
func topicExists(t *testing.T, addr, topic string) bool {
	t.Helper()
	conf := sarama.NewConfig()
	conf.Version = sarama.V2_6_0_0
	b := sarama.NewBroker(addr)
	if err := b.Open(conf); err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	req := sarama.NewMetadataRequest(conf.Version, nil)
	req.AllowAutoTopicCreation = false
	md, err := b.GetMetadata(req)
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range md.Topics {
		if tm.Name == topic {
			return true
		}
	}
	return false
}
