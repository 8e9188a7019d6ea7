package awsprobe

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/fixtures"
	"github.com/esmdoctor/esmdoctor/testbed/awsfake"
)

// Cluster and ReachEndpoint set Elapsed in a defer: on a named result, so
// the time reaches the caller (it used to be 0s, always).
func TestElapsedReachesTheCaller(t *testing.T) {
	fake, err := awsfake.New("")
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	none := filepath.Join(t.TempDir(), "none")
	for k, v := range map[string]string{"AWS_ACCESS_KEY_ID": "AKIAELAPSED", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
		"AWS_CONFIG_FILE": none, "AWS_SHARED_CREDENTIALS_FILE": none, "AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL": fake.URL()} {
		t.Setenv(k, v)
	}
	arn := "arn:aws:kafka:us-east-1:123456789012:cluster/c/0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b-1"
	fake.AddCluster(awsfake.Cluster{ARN: arn, IAM: true, Bootstrap: awsfake.Bootstrap{SASLIAM: "b-1:9098"}})
	fake.SetDelay(40 * time.Millisecond)
	sess, err := Load(context.Background(), Options{Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	c := sess.Cluster(context.Background(), arn, "", 5*time.Second)
	if c.Err != nil || c.Elapsed < 80*time.Millisecond {
		t.Errorf("Cluster: err %v, Elapsed %s, want at least two delayed calls (80ms)", c.Err, c.Elapsed)
	}
	bh, err := fixtures.NewBlackhole()
	if err != nil {
		t.Fatal(err)
	}
	defer bh.Close()
	r := ReachEndpoint(context.Background(), nil, Lambda, "https://"+bh.Addr(), 100*time.Millisecond)
	if r.Err == nil || r.Elapsed < 100*time.Millisecond {
		t.Errorf("ReachEndpoint: err %v, Elapsed %s, want the 100ms budget spent", r.Err, r.Elapsed)
	}
}
