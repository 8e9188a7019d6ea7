package awsprobe

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/testbed/awsfake"
)

// sharedSession is a session against a fresh awsfake holding one MSK
// cluster, and the cluster's ARN.
func sharedSession(t *testing.T) (*awsfake.Fake, *Session, string) {
	t.Helper()
	fake, err := awsfake.New("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	none := filepath.Join(t.TempDir(), "none")
	for k, v := range map[string]string{"AWS_ACCESS_KEY_ID": "AKIASHARED", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
		"AWS_CONFIG_FILE": none, "AWS_SHARED_CREDENTIALS_FILE": none, "AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL": fake.URL()} {
		t.Setenv(k, v)
	}
	arn := "arn:aws:kafka:us-east-1:123456789012:cluster/c/0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b-1"
	fake.AddCluster(awsfake.Cluster{ARN: arn, IAM: true, Bootstrap: awsfake.Bootstrap{SASLIAM: "b-1:9098"}})
	sess, err := Load(context.Background(), Options{Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	return fake, sess, arn
}

func requests(f *awsfake.Fake) int {
	n := 0
	for _, v := range f.Requests() {
		n += v
	}
	return n
}

// clusters reads the cluster n times at once and returns the answers.
func clusters(sess *Session, arn string, n int, budget time.Duration) []Cluster {
	out := make([]Cluster, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = sess.Cluster(context.Background(), arn, "", budget)
		}()
	}
	wg.Wait()
	return out
}

// Without ShareAnswers every read asks; with it, twenty concurrent runs
// get one answer from one call (DescribeClusterV2 + GetBootstrapBrokers).
func TestSharedAnswersAskOnce(t *testing.T) {
	fake, sess, arn := sharedSession(t)
	for _, c := range clusters(sess, arn, 5, 5*time.Second) {
		if c.Err != nil {
			t.Fatal(c.Err)
		}
	}
	if n := requests(fake); n != 10 {
		t.Fatalf("unshared: %d requests for 5 reads, want 10", n)
	}
	sess.ShareAnswers()
	for _, c := range clusters(sess, arn, 20, 5*time.Second) {
		if c.Err != nil || c.ARN != arn {
			t.Fatalf("shared answer: %+v", c)
		}
	}
	if n := requests(fake); n != 12 {
		t.Fatalf("shared: %d requests in all, want 10 + 2", n)
	}
}

// An answer cut short by its step budget is not shared: the next run asks
// again, and gets the answer once AWS answers in time.
func TestSharedAnswersNeverShareATimeout(t *testing.T) {
	fake, sess, arn := sharedSession(t)
	sess.ShareAnswers()
	fake.SetDelay(300 * time.Millisecond)
	if c := sess.Cluster(context.Background(), arn, "", 100*time.Millisecond); c.Err == nil {
		t.Fatal("a 300 ms answer within a 100 ms budget")
	}
	fake.SetDelay(0)
	if c := sess.Cluster(context.Background(), arn, "", 5*time.Second); c.Err != nil {
		t.Fatalf("the timeout was shared: %v", c.Err)
	}
	if c := sess.Cluster(context.Background(), arn, "", 5*time.Second); c.Err != nil {
		t.Fatal(c.Err)
	}
}

// Each run gets its own copy of a secret's value.
func TestSharedSecretIsACopy(t *testing.T) {
	var s Session
	s.ShareAnswers()
	s.shared.Put("secretsmanager:GetSecretValue  arn", Secret{Value: []byte("v")})
	a := s.Secret(context.Background(), "arn", "", time.Second)
	a.Value[0] = 'x'
	if b := s.Secret(context.Background(), "arn", "", time.Second); string(b.Value) != "v" {
		t.Fatalf("a run's change reached the shared value: %q", b.Value)
	}
}
