package checks

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/model"
)

// apiFailure is an AWS service's answer to a failed call: the error code
// and message of the response (smithy.APIError), the operation that got
// it (smithy.OperationError) and the HTTP status.
type apiFailure struct {
	Service, Operation string
	Code, Message      string
	Status             int
}

// apiError finds the AWS error response behind err; ok is false when no
// response came (a network failure, a timeout, no credentials).
func apiError(err error) (apiFailure, bool) {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return apiFailure{}, false
	}
	f := apiFailure{Code: ae.ErrorCode(), Message: ae.ErrorMessage()}
	if f.Message == "" {
		f.Message = "(no message)"
	}
	var oe *smithy.OperationError
	if errors.As(err, &oe) {
		f.Service, f.Operation = oe.Service(), oe.Operation()
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		f.Status = re.HTTPStatusCode()
	}
	return f, true
}

// operationOf names the AWS operation err came from ("" when unknown).
func operationOf(err error) string {
	var oe *smithy.OperationError
	if errors.As(err, &oe) {
		return oe.Operation()
	}
	return ""
}

// Error codes, as AWS services spell them.
const (
	codeAccessDenied          = "AccessDenied"
	codeAccessDeniedException = "AccessDeniedException"
	codeNotFound              = "ResourceNotFoundException"
)

// throttled reports the codes AWS uses for request-rate limits.
func throttled(code string) bool {
	switch code {
	case "Throttling", "ThrottlingException", "ThrottledException", "TooManyRequestsException",
		"RequestLimitExceeded", "RequestThrottled", "RequestThrottledException", "SlowDown":
		return true
	}
	return false
}

// accessDenied reports the codes AWS uses for an authorization failure.
func accessDenied(code string) bool {
	switch code {
	case codeAccessDenied, codeAccessDeniedException, "ForbiddenException", "UnauthorizedException", "UnauthorizedOperation":
		return true
	}
	return false
}

// dialing says whether err happened while connecting.
func dialing(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// retriedNote says how a call with an error response ended: a retry that
// did not fit in the step budget keeps AWS's last answer (CallError).
func retriedNote(err error) string {
	var ce *awsprobe.CallError
	if errors.As(err, &ce) && ce.Last != nil {
		return fmt.Sprintf("%d such answer(s), then the retry got no answer within the step budget", ce.Answers)
	}
	return "after the SDK's retries"
}

// deadlineSkip is the outcome of an AWS call the run's deadline ended: not
// a verdict on the endpoint or the resource, so a skip that still blocks
// the checks that need it; ok is false for any other error.
func deadlineSkip(err error, op string) (Outcome, bool) {
	if !errors.Is(err, ErrDeadline) {
		return Outcome{}, false
	}
	var ce *awsprobe.CallError
	if errors.As(err, &ce) && ce.Last != nil {
		return Outcome{}, false // AWS answered before: that answer is the verdict
	}
	return Outcome{Status: model.Skip, deadline: true,
		Reason: "not completed: the run's deadline (--timeout) ended " + op + " before AWS answered; rerun with a longer --timeout"}, true
}

// credentialsDetail describes a credential chain that found nothing; ok is
// false for other errors.
func credentialsDetail(err error) (string, bool) {
	var nc *awsprobe.NoCredentialsError
	if errors.As(err, &nc) {
		return nc.Error(), true
	}
	return "", false
}

// networkDetail describes a failure to reach an endpoint from the typed
// network error; ok is false when err is not one.
func networkDetail(err error, budget time.Duration) (string, bool) {
	var dnsErr *net.DNSError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var header tls.RecordHeaderError
	var op *net.OpError
	addr := "the endpoint"
	if errors.As(err, &op) && op.Addr != nil {
		addr = op.Addr.String()
	}
	switch {
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return fmt.Sprintf("%s does not resolve (NXDOMAIN)", dnsErr.Name), true
	case errors.As(err, &dnsErr) && dnsErr.IsTimeout:
		return fmt.Sprintf("DNS lookup of %s timed out", dnsErr.Name), true
	case errors.As(err, &dnsErr):
		return fmt.Sprintf("DNS lookup of %s failed (SERVFAIL or temporary failure)", dnsErr.Name), true
	case isRefused(err):
		return fmt.Sprintf("connection refused by %s", addr), true
	case isUnreachable(err):
		return fmt.Sprintf("no route to %s (network unreachable)", addr), true
	case errors.As(err, &unknownCA):
		return "TLS: the endpoint's certificate is not signed by a trusted CA (a TLS-inspecting proxy?)", true
	case errors.As(err, &hostErr):
		return "TLS: the endpoint's certificate does not name it (a TLS-inspecting proxy?)", true
	case errors.As(err, &header):
		return "TLS: the endpoint did not answer in TLS", true
	case errors.Is(err, ErrDeadline):
		return "the run's deadline (--timeout) ended the call before AWS answered: rerun with a longer --timeout", true
	case errors.Is(err, context.Canceled):
		return "interrupted before AWS answered", true
	case isTimeout(err) && dialing(err):
		return fmt.Sprintf("no connection within %s (packets dropped: security group, network ACL or route)", budget), true
	case isTimeout(err):
		return fmt.Sprintf("connected, but no answer within %s (the endpoint, or a proxy on the way, did not respond)", budget), true
	case isClosed(err):
		return "the connection was closed or reset", true
	case errors.As(err, &op):
		return fmt.Sprintf("%s %s: %v", op.Op, addr, op.Err), true
	}
	return "", false
}
