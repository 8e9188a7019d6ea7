package awsprobe

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"
)

// TestHeadBucketAnswers: the HeadBucket answers moto 5.2.1 does not give
// (a 301 for a bucket in another Region, a 403), as S3 documents them: a
// 301 is a bucket that exists, its Region in x-amz-bucket-region; a 403
// is AccessDenied; a 404 NoSuchBucket. The request is signed for s3 and
// carries X-Amz-Content-Sha256, which S3 requires.
func TestHeadBucketAnswers(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodHead || r.Header.Get("X-Amz-Content-Sha256") == "" || !strings.Contains(r.Header.Get("Authorization"), "/us-east-1/s3/aws4_request") {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		switch r.URL.Path {
		case "/moved":
			w.Header().Set("X-Amz-Bucket-Region", "eu-west-1")
			w.WriteHeader(http.StatusMovedPermanently)
		case "/denied":
			w.Header().Set("X-Amz-Bucket-Region", "us-east-1")
			w.WriteHeader(http.StatusForbidden)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	for k, v := range map[string]string{"AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "us-east-1",
		"AWS_ENDPOINT_URL_S3": srv.URL, "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_PROFILE": ""} {
		t.Setenv(k, v)
	}
	sess, err := Load(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for bucket, want := range map[string][2]string{"moved": {"eu-west-1", ""}, "denied": {"us-east-1", "AccessDenied"}, "gone": {"", "NoSuchBucket"}} {
		d := sess.Destination(context.Background(), "arn:aws:s3:::"+bucket, 5*time.Second)
		code := ""
		var ae smithy.APIError
		if errors.As(d.Err, &ae) {
			code = ae.ErrorCode()
		}
		if d.Region != want[0] || code != want[1] || d.Operation != "HeadBucket" || d.Endpoint != srv.URL {
			t.Errorf("%s: Region %q code %q (%v) at %s, want %v", bucket, d.Region, code, d.Err, d.Endpoint, want)
		}
	}
}
