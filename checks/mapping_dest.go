package checks

import (
	"context"
	"strings"

	"github.com/esmdoctor/esmdoctor/awsprobe"
)

// isAWSDestination says whether an on-failure destination is an SQS, SNS
// or S3 ARN (not kafka://).
func isAWSDestination(dest string) bool {
	a, ok := awsprobe.ParseARN(dest)
	return ok && (a.Service == "sqs" || a.Service == "sns" || a.Service == "s3") && !strings.HasPrefix(dest, kafkaDestPrefix)
}

// destinationFindings checks an SQS, SNS or S3 on-failure destination.
func destinationFindings(ctx context.Context, s *State, sess *awsprobe.Session) ([]Outcome, []string) {
	return nil, nil
}
