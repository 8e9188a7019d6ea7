package probe

import (
	"context"
	"testing"
	"time"

	"github.com/IBM/sarama"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// A sarama-opened connection carries kmsg requests: ApiVersions with its
// flexible body and finalized features, and a share-group request sarama
// has no encoder for, against kfake (which serves the share-group APIs).
func TestKmsgConn(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, "orders"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cfg := sarama.NewConfig()
	cfg.ClientID = "esmdoctor-test"
	cfg.Version = sarama.V2_8_0_0
	conn, err := OpenKmsg(context.Background(), c.ListenAddrs()[0], cfg, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	av := kmsg.NewPtrApiVersionsRequest()
	av.Version, av.ClientSoftwareName, av.ClientSoftwareVersion = 3, "esmdoctor", "test"
	res, err := conn.Request(context.Background(), av, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	keys := map[int16]bool{}
	for _, k := range res.(*kmsg.ApiVersionsResponse).ApiKeys {
		keys[k.ApiKey] = true
	}
	if !keys[76] || !keys[77] || !keys[78] || !keys[79] {
		t.Fatalf("share-group APIs missing from %v", keys)
	}
	d := kmsg.NewPtrShareGroupDescribeRequest()
	d.Version, d.GroupIDs = 1, []string{"orders-share"}
	res, err = conn.Request(context.Background(), d, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if g := res.(*kmsg.ShareGroupDescribeResponse).Groups; len(g) != 1 || g[0].GroupID != "orders-share" {
		t.Fatalf("%+v", g)
	}
}

// A header's tagged fields are skipped; one that overruns is refused.
func TestSkipTags(t *testing.T) {
	b, err := skipTags([]byte{2, 0, 1, 9, 5, 2, 7, 7, 42})
	if err != nil || len(b) != 1 || b[0] != 42 {
		t.Fatalf("%v %v", b, err)
	}
	if _, err := skipTags([]byte{1, 0, 5, 1}); err == nil {
		t.Fatal("overrun accepted")
	}
}
