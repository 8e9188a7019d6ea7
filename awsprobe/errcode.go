package awsprobe

import (
	"errors"

	"github.com/aws/smithy-go"
)

// ErrorCode returns the AWS error code and message of err (an answer of
// the service), or ok false for a transport error or a cancellation.
func ErrorCode(err error) (code, message string, ok bool) {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return "", "", false
	}
	return ae.ErrorCode(), ae.ErrorMessage(), true
}
