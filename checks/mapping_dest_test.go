package checks

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/esmdoctor/esmdoctor/catalog"
)

// TestDestinationFailure: a destination esmdoctor may not read, or could
// not reach, is unchecked (ESM-DEST-103, naming the read-only action to
// allow or where to run); a missing one per the service's own code is
// ESM-DEST-101.
func TestDestinationFailure(t *testing.T) {
	apiErr := func(code string) error {
		return &smithy.OperationError{ServiceID: "SNS", OperationName: "GetTopicAttributes", Err: &smithy.GenericAPIError{Code: code, Message: "m"}}
	}
	sns := destServices["sns"]
	cases := []struct {
		err  error
		code string
		want string
	}{
		{apiErr("AuthorizationError"), catalog.DEST103, "allow sns:GetTopicAttributes on arn:aws:sns:us-east-1:1:t for esmdoctor's identity"},
		{apiErr("NotFound"), catalog.DEST101, ""},
		{apiErr("InvalidParameter"), catalog.DEST103, "look up InvalidParameter in the SNS API reference"},
		{errors.New("dial tcp: connection refused"), catalog.DEST103, "run esmdoctor where HTTPS to https://sns.example works"},
	}
	for _, c := range cases {
		o := destinationFailure(c.err, sns, Args{"destination": "arn:aws:sns:us-east-1:1:t", "operation": "GetTopicAttributes", "endpoint": "https://sns.example"})
		if o.Code != c.code || !strings.Contains(o.Args["fix"], c.want) {
			t.Errorf("%v: %s fix %q", c.err, o.Code, o.Args["fix"])
		}
	}
}
