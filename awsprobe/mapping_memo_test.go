package awsprobe

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestAccountMappingsListsOnce: the account's mapping list is read once
// per session however many callers ask (a scan's pipelines asking for
// their poller groups' members), and a failed listing is not kept.
func TestAccountMappingsListsOnce(t *testing.T) {
	var calls, fail atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if fail.Load() > 0 {
			fail.Add(-1)
			w.Header().Set("X-Amzn-ErrorType", "ServiceException")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"message":"no"}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"EventSourceMappings":[{"UUID":"u-1","ProvisionedPollerConfig":{"MaximumPollers":3,"PollerGroupName":"g"}}]}`))
	}))
	defer srv.Close()
	for k, v := range map[string]string{"AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "us-east-1",
		"AWS_ENDPOINT_URL_LAMBDA": srv.URL, "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_PROFILE": ""} {
		t.Setenv(k, v)
	}
	sess, err := Load(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	fail.Store(1)
	if _, err := sess.AccountMappings(context.Background(), 5*time.Second); err == nil {
		t.Fatal("the failed listing was not reported")
	}
	for range 3 {
		ms, err := sess.AccountMappings(context.Background(), 5*time.Second)
		if err != nil || len(ms) != 1 || ms[0].Settings.Provisioned == nil || ms[0].Settings.Provisioned.Group != "g" {
			t.Fatalf("%+v %v", ms, err)
		}
	}
	if n := calls.Load(); n != 2 {
		t.Fatalf("%d ListEventSourceMappings calls, want 2 (the failed one, then one for three callers)", n)
	}
}
