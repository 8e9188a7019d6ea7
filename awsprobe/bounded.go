package awsprobe

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"io"
	"net/http"
)

// MaxResponseBytes bounds every AWS response body esmdoctor reads: the
// largest it needs (a page of event source mappings, a 65,536-byte secret
// JSON-escaped) is far below it, so an endpoint that streams without end
// (a wrong AWS_ENDPOINT_URL, a proxy gone mad) costs at most this much
// memory and ends in an error instead.
const MaxResponseBytes = 4 << 20

// MaxSecretBytes is the largest SecretString Secrets Manager stores; a
// larger value (only a fake endpoint can send one) is not kept.
const MaxSecretBytes = 65536

// boundedClient is the SDK's HTTP client with every response body limited
// to MaxResponseBytes.
type boundedClient struct{ base aws.HTTPClient }

// bounded wraps the client the configuration loaded (AWS_CA_BUNDLE and
// the like already applied).
func bounded(c aws.HTTPClient) aws.HTTPClient {
	if c == nil {
		c = awshttp.NewBuildableClient()
	}
	return boundedClient{base: c}
}

func (c boundedClient) Do(req *http.Request) (*http.Response, error) {
	resp, err := c.base.Do(req)
	if resp != nil && resp.Body != nil {
		if resp.ContentLength > MaxResponseBytes {
			resp.Body.Close()
			return nil, errTooLarge(resp.ContentLength)
		}
		resp.Body = &limitedBody{rc: resp.Body, left: MaxResponseBytes}
	}
	return resp, err
}

// limitedBody fails a read past its limit instead of truncating silently.
type limitedBody struct {
	rc   io.ReadCloser
	left int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One more byte means the body is over the limit.
		var one [1]byte
		if n, _ := b.rc.Read(one[:]); n > 0 {
			return 0, errTooLarge(-1)
		}
		return b.rc.Read(p)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }

// ErrResponseTooLarge is the error of a response over MaxResponseBytes.
type ErrResponseTooLarge struct{ Size int64 }

func (e ErrResponseTooLarge) Error() string {
	if e.Size < 0 {
		return fmt.Sprintf("the response is larger than %d MiB, more than any AWS API answer esmdoctor reads: is the endpoint really AWS?", MaxResponseBytes>>20)
	}
	return fmt.Sprintf("the response announces %d bytes, more than the %d MiB any AWS API answer esmdoctor reads: is the endpoint really AWS?", e.Size, MaxResponseBytes>>20)
}

func errTooLarge(n int64) error { return ErrResponseTooLarge{Size: n} }
