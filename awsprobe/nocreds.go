package awsprobe

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// imdsTimeout bounds each request to the instance metadata service. Off
// EC2 nothing answers at 169.254.169.254: the SDK's own timeouts and
// retries would take several seconds (or the whole step budget) to say so.
// With one attempt per request, the token request and the IMDSv1 fallback
// end within a second.
const imdsTimeout = 300 * time.Millisecond

// quickIMDS gives the instance-role provider a metadata client that fails
// fast when there is no instance metadata service.
func quickIMDS(o *ec2rolecreds.Options) {
	o.Client = imds.New(imds.Options{HTTPClient: &http.Client{Timeout: imdsTimeout}, Retryer: aws.NopRetryer{}})
}

// NoCredentialsError says the credential chain found nothing: not in the
// environment, the shared files, SSO, web identity, credential_process or
// the container settings, and the instance metadata service, the last
// source, gave no role credentials.
type NoCredentialsError struct {
	Profile string
	IMDS    error // what instance metadata answered
}

func (e *NoCredentialsError) Error() string {
	profile := e.Profile
	if profile == "" {
		profile = "default"
	}
	return "no credentials found in any source the SDK tries: the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), " +
		"the shared files (~/.aws/credentials, ~/.aws/config: profile " + profile + ", including its SSO, web identity and credential_process settings), " +
		"the container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI), and EC2 instance metadata (" + e.imdsReason() + ")"
}

func (e *NoCredentialsError) Unwrap() error { return e.IMDS }

// imdsReason says why instance metadata gave nothing, from the typed error
// (and the switch that disables it), never as a raw "context deadline
// exceeded".
func (e *NoCredentialsError) imdsReason() string {
	var ne net.Error
	var re *smithyhttp.ResponseError
	switch {
	case strings.EqualFold(os.Getenv("AWS_EC2_METADATA_DISABLED"), "true"):
		return "disabled by AWS_EC2_METADATA_DISABLED=true"
	case errors.As(e.IMDS, &re):
		return fmt.Sprintf("the metadata endpoint answered HTTP %d: no instance role credentials here", re.HTTPStatusCode())
	case errors.As(e.IMDS, &ne), errors.Is(e.IMDS, ErrStepTimeout):
		return "no answer from 169.254.169.254: not an EC2 instance, or its metadata is unreachable from here"
	}
	return "no instance role credentials: the instance has no role"
}
