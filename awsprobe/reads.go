package awsprobe

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/esmdoctor/esmdoctor/netaudit"
	"github.com/esmdoctor/esmdoctor/probe"
)

// The read-only calls a check run makes, each answered once per Session
// when answers are shared (see ShareAnswers).

// Mapping reads one event source mapping (lambda:GetEventSourceMapping)
// with esmdoctor's own credentials, never --role-arn's: reading the
// mapping is esmdoctor's act, and an execution role rarely may.
func (s *Session) Mapping(ctx context.Context, uuid string, budget time.Duration) (Mapping, error) {
	a := shared(ctx, s, "lambda:GetEventSourceMapping "+uuid, budget, func() mappingAnswer {
		m, err := s.readMapping(ctx, uuid, budget)
		return mappingAnswer{m, err}
	}, func(a mappingAnswer) bool { return settled(a.err) })
	return a.m, a.err
}

// Function reads a function's configuration
// (lambda:GetFunctionConfiguration) with esmdoctor's own credentials.
func (s *Session) Function(ctx context.Context, name string, budget time.Duration) (Function, error) {
	a := shared(ctx, s, "lambda:GetFunctionConfiguration "+name, budget, func() functionAnswer {
		f, err := s.readFunction(ctx, name, budget)
		return functionAnswer{f, err}
	}, func(a functionAnswer) bool { return settled(a.err) })
	return a.f, a.err
}

// InvokeDryRun validates an invocation of function without running it.
func (s *Session) InvokeDryRun(ctx context.Context, function string, budget time.Duration) Invocation {
	return shared(ctx, s, "lambda:Invoke DryRun "+function, budget, func() Invocation { return s.invokeDryRun(ctx, function, budget) },
		func(i Invocation) bool { return settled(i.Err) })
}

// CallerIdentity asks STS (the regional endpoint, or the configured
// override) who the session's credentials belong to.
func (s *Session) CallerIdentity(ctx context.Context, budget time.Duration) Identity {
	return shared(ctx, s, "sts:GetCallerIdentity", budget, func() Identity { return s.callerIdentity(ctx, budget) },
		func(id Identity) bool { return settled(id.Err) })
}

// Secret reads one secret in region ("" for the session's Region). Each
// caller gets its own copy of the value.
func (s *Session) Secret(ctx context.Context, id, region string, budget time.Duration) Secret {
	sec := shared(ctx, s, "secretsmanager:GetSecretValue "+region+" "+id, budget, func() Secret { return s.readSecret(ctx, id, region, budget) },
		func(v Secret) bool { return settled(v.Err) && settled(v.DescribeErr) })
	if sec.Value != nil {
		sec.Value = append([]byte(nil), sec.Value...)
	}
	return sec
}

// Role reads the execution role and what it may do (see readRole).
func (s *Session) Role(ctx context.Context, roleARN string, reqs []netaudit.Requirement, budget time.Duration) RoleRead {
	key := fmt.Sprintf("iam:GetRole %s %d", roleARN, len(reqs))
	var b strings.Builder
	for _, r := range reqs {
		fmt.Fprintf(&b, " %#v", r)
	}
	return shared(ctx, s, key+b.String(), budget, func() RoleRead { return s.readRole(ctx, roleARN, reqs, budget) },
		func(r RoleRead) bool { return settled(r.Err) })
}

// Cluster reads an MSK cluster and its bootstrap brokers (see readCluster).
func (s *Session) Cluster(ctx context.Context, arn, region string, budget time.Duration) Cluster {
	return shared(ctx, s, "kafka:DescribeClusterV2 "+region+" "+arn, budget, func() Cluster { return s.readCluster(ctx, arn, region, budget) },
		func(c Cluster) bool { return settled(c.Err) })
}

// Reach is ReachEndpoint, shared when r is nil (the system resolver: the
// same answer for every run).
func (s *Session) Reach(ctx context.Context, r probe.Resolver, service Service, rawURL string, budget time.Duration) Reach {
	if r != nil {
		return ReachEndpoint(ctx, r, service, rawURL, budget)
	}
	return shared(ctx, s, "reach "+string(service)+" "+rawURL, budget, func() Reach { return ReachEndpoint(ctx, nil, service, rawURL, budget) },
		func(r Reach) bool { return settled(r.Err) })
}
