// Package awsprobe holds every AWS API call esmdoctor makes: credentials
// and STS, Secrets Manager, the MSK control plane, Lambda, the reachability
// of AWS endpoints, and MSK IAM tokens. Like package probe, it observes and
// never decides what an error means: each call returns what it saw with the
// SDK's typed error, and the checks package classifies it
// (smithy.APIError.ErrorCode() behind smithy.OperationError, net errors).
//
// Endpoints follow the SDK's standard configuration, AWS_ENDPOINT_URL and
// AWS_ENDPOINT_URL_<SERVICE> included (the tests point them at moto and at
// testbed/awsfake).
package awsprobe

import (
	"context"
	"errors"
	"github.com/esmdoctor/esmdoctor/share"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// SessionName is the role session name esmdoctor uses with --role-arn, so
// CloudTrail shows who assumed the role.
const SessionName = "esmdoctor"

// maxAttempts bounds the SDK's retries (throttling, transient network
// errors): each call must end within one step budget, and a second attempt
// is enough to tell a transient error from a lasting one.
const maxAttempts = 2

// Options select the identity and Region the way the AWS CLI does.
type Options struct {
	Region  string // --region; "" uses AWS_REGION or the profile's region
	Profile string // --profile; "" uses AWS_PROFILE or default
	RoleARN string // --role-arn: assume this role for every call
}

// Session is a loaded AWS configuration. Loading reads environment and
// files only; the network is used by the calls.
type Session struct {
	// Region is the Region calls go to (the function's Region).
	Region  string
	Profile string
	RoleARN string
	base    aws.Config // the credential chain as configured
	cfg     aws.Config // base, with the role's credentials when RoleARN is set
	// assume records the AssumeRole attempts' error answers (RoleARN set).
	assume *attempts
	// imdsOnly is set when the chain found nothing in the environment,
	// the shared files or the container settings, so instance metadata
	// is the only source left.
	imdsOnly bool
	// listed keeps the account's mapping list once read (AccountMappings).
	listed *mappingMemo
	// shared holds the answers of read-only calls, shared between the
	// runs of a scan (nil: every call asks; see ShareAnswers).
	shared *share.Answers
}

// Load reads the AWS configuration for o. A profile that does not exist is
// reported as an error that ProfileNotFound recognises.
func Load(ctx context.Context, o Options) (*Session, error) {
	opts := []func(*config.LoadOptions) error{config.WithRetryMaxAttempts(maxAttempts), config.WithEC2RoleCredentialOptions(quickIMDS)}
	if o.Region != "" {
		opts = append(opts, config.WithRegion(o.Region))
	}
	if o.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(o.Profile))
	}
	base, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, err
	}
	base.HTTPClient = bounded(base.HTTPClient)
	s := &Session{Region: base.Region, Profile: o.Profile, RoleARN: o.RoleARN, base: base, cfg: base.Copy(),
		imdsOnly: aws.IsCredentialsProvider(base.Credentials, (*ec2rolecreds.Provider)(nil)), listed: &mappingMemo{}}
	if o.RoleARN != "" {
		// The AssumeRole client keeps its attempts' answers like every
		// other call (see call), and backs off briefly: its caller bounds
		// it by a step budget.
		s.assume = &attempts{}
		client := sts.NewFromConfig(base, func(so *sts.Options) {
			so.Retryer = retry.AddWithMaxBackoffDelay(retry.NewStandard(func(ro *retry.StandardOptions) { ro.MaxAttempts = maxAttempts }), assumeBackoff)
			so.APIOptions = append(so.APIOptions, s.assume.middleware)
		})
		p := stscreds.NewAssumeRoleProvider(client, o.RoleARN, func(ro *stscreds.AssumeRoleOptions) {
			ro.RoleSessionName = SessionName
		})
		s.cfg.Credentials = aws.NewCredentialsCache(p)
	}
	return s, nil
}

// ProfileNotFound says whether err is Load's "no such profile" error.
func ProfileNotFound(err error) bool {
	var e config.SharedConfigProfileNotExistError
	return errors.As(err, &e)
}

// Credentials is what a credential provider returned; the secret parts are
// kept only to be registered with the redactor.
type Credentials struct {
	AccessKeyID string
	Source      string    // which provider (environment, shared config, assume role...)
	Expires     time.Time // zero when they do not expire
	// Sensitive holds the secret access key and session token, for the
	// redactor only; never print them.
	Sensitive []string
	Err       error
	Elapsed   time.Duration
}

// BaseCredentials retrieves the credentials of the configured chain (the
// identity that assumes --role-arn, when one is given).
func (s *Session) BaseCredentials(ctx context.Context, budget time.Duration) Credentials {
	c := retrieve(ctx, s.base.Credentials, budget)
	if c.Err != nil && s.imdsOnly {
		c.Err = &NoCredentialsError{Profile: s.Profile, IMDS: c.Err}
	}
	return c
}

// Credentials retrieves the credentials every call uses: the role's when
// RoleARN is set (an sts:AssumeRole call), else the base ones.
func (s *Session) Credentials(ctx context.Context, budget time.Duration) Credentials {
	if s.assume == nil {
		return retrieve(ctx, s.cfg.Credentials, budget)
	}
	ctx, cancel := context.WithTimeoutCause(ctx, budget, ErrStepTimeout)
	defer cancel()
	s.assume.reset()
	c := retrieve(ctx, s.cfg.Credentials, budget)
	if c.Err != nil && ctx.Err() != nil {
		// An AssumeRole answer (a throttle) whose retry ran out of time
		// is that answer, not a timeout.
		n, last := s.assume.result()
		c.Err = &CallError{Cause: context.Cause(ctx), Last: last, Answers: n, Err: c.Err}
	}
	return c
}

// assumeBackoff bounds the wait before an AssumeRole retry: a fraction of
// the smallest step budget.
const assumeBackoff = 100 * time.Millisecond

func retrieve(ctx context.Context, p aws.CredentialsProvider, budget time.Duration) Credentials {
	start := time.Now()
	if p == nil {
		return Credentials{Err: errNoProvider, Elapsed: since(start)}
	}
	ctx, cancel := context.WithTimeoutCause(ctx, budget, ErrStepTimeout)
	defer cancel()
	c, err := p.Retrieve(ctx)
	if err != nil {
		return Credentials{Err: err, Elapsed: since(start)}
	}
	out := Credentials{AccessKeyID: c.AccessKeyID, Source: c.Source, Elapsed: since(start)}
	if c.CanExpire {
		out.Expires = c.Expires
	}
	for _, v := range []string{c.SecretAccessKey, c.SessionToken} {
		if v != "" {
			out.Sensitive = append(out.Sensitive, v)
		}
	}
	return out
}

// errNoProvider is returned when the configuration has no credential
// provider at all.
var errNoProvider = errors.New("no credential provider configured")

// since returns the elapsed time rounded for display.
func since(t time.Time) time.Duration { return time.Since(t).Round(time.Millisecond) }

// OwnConfig is the SDK configuration of esmdoctor's own identity (never
// the --role-arn role), for readers in other packages (awsprobe/health).
func (s *Session) OwnConfig() aws.Config { return s.base.Copy() }
