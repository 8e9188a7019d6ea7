package awsprobe

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Identity is the answer to sts:GetCallerIdentity.
type Identity struct {
	Endpoint string // the STS endpoint asked
	Account  string
	ARN      string
	UserID   string
	// ServerTime is the Date of STS's answer: the local clock's skew
	// decides whether an MSK IAM token can be valid.
	ServerTime time.Time
	LocalTime  time.Time // when the answer arrived, by the local clock
	Err        error
	Elapsed    time.Duration
}

// CallerIdentity asks STS (the regional endpoint, or the configured
// override) who the session's credentials belong to.
func (s *Session) callerIdentity(ctx context.Context, budget time.Duration) Identity {
	start := time.Now()
	ctx, cfg, done, cancel := call(ctx, s.cfg, budget)
	defer cancel()
	id := Identity{Endpoint: s.Endpoint(ctx, STS, "")}
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	id.Elapsed, id.LocalTime = since(start), time.Now()
	if err != nil {
		id.Err = done(err)
		return id
	}
	id.Account, id.ARN, id.UserID = aws.ToString(out.Account), aws.ToString(out.Arn), aws.ToString(out.UserId)
	if t, ok := awsmiddleware.GetServerTime(out.ResultMetadata); ok {
		id.ServerTime = t
	}
	return id
}
