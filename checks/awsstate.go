package checks

import (
	"context"
	"time"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/netaudit"
)

// awsState is what the AWS checks pass on to the checks after them.
type awsState struct {
	sess     *awsprobe.Session
	identity *awsprobe.Identity // set when sts passed
	// used maps each AWS service an earlier check called to the endpoint
	// it used, so lambda-endpoint tests the same ones.
	used map[awsprobe.Service]string
	// cluster is the MSK cluster the mapping reads, when known (its ARN
	// names the IAM resources a policy must allow).
	cluster *awsprobe.ARN
	// clusterNet is the MSK cluster's subnets and security groups, where
	// the mapping's pollers sit.
	clusterNet *netaudit.Placement
	// secretKeys maps each secret read to its KMS key ("" for the default
	// key aws/secretsmanager), for the permissions check.
	secretKeys map[string]string
	tokens     *iamTokens
}

// session returns the AWS session, loading it from the options when the
// caller did not.
func (s *State) session(ctx context.Context) (*awsprobe.Session, error) {
	if s.AWS.sess != nil {
		return s.AWS.sess, nil
	}
	a := s.Cfg.AWS
	if a.Session != nil {
		s.AWS.sess = a.Session
		return a.Session, nil
	}
	sess, err := awsprobe.Load(ctx, a.Options)
	if err != nil {
		return nil, err
	}
	s.AWS.sess = sess
	return sess, nil
}

// useEndpoint records an endpoint an AWS call went to.
func (s *State) useEndpoint(svc awsprobe.Service, url string) {
	if url == "" {
		return
	}
	if s.AWS.used == nil {
		s.AWS.used = map[awsprobe.Service]string{}
	}
	s.AWS.used[svc] = url
}

// redact hands secret values to the caller's redactor.
func (s *State) redact(values ...string) {
	if s.Cfg.Redact != nil && len(values) > 0 {
		s.Cfg.Redact(values...)
	}
}

// region is the function's Region: the session's, or the options'.
func (s *State) region() string {
	if s.AWS.sess != nil && s.AWS.sess.Region != "" {
		return s.AWS.sess.Region
	}
	if s.Cfg.AWS != nil {
		return s.Cfg.AWS.Region()
	}
	return ""
}

// caller names the identity esmdoctor runs as, for messages.
func (s *State) caller() string {
	if s.AWS.identity != nil && s.AWS.identity.ARN != "" {
		return s.AWS.identity.ARN
	}
	return "esmdoctor's identity"
}

// clockSkew is how far the local clock is from AWS's (positive: ahead),
// from the Date of STS's answer; ok is false when unknown.
func (s *State) clockSkew() (time.Duration, bool) {
	id := s.AWS.identity
	if id == nil || id.ServerTime.IsZero() {
		return 0, false
	}
	return id.LocalTime.Sub(id.ServerTime), true
}
