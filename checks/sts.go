package checks

import (
	"context"
	"errors"
	"fmt"
	"github.com/esmdoctor/esmdoctor/catalog"
	"net/url"
	"strings"
	"time"

	"github.com/esmdoctor/esmdoctor/awsprobe"
)

var stsCheck = Check{
	ID:    "sts",
	Title: "can obtain an AWS security token",
	Needs: []string{"api"},
	Run:   runSTS,
}

// skewNote is the clock offset worth mentioning even when it passes.
const skewNote = time.Minute

func runSTS(ctx context.Context, s *State) Outcome {
	if s.Cfg.AWS == nil {
		return notApplicable("no AWS input given (self-managed bootstrap servers, no secret ARN, no --region, --esm or --event-source-arn)")
	}
	sess, err := s.session(ctx)
	if err != nil {
		return fail(catalog.STS001, Args{"detail": "loading the AWS configuration: " + shortErr(err, "")})
	}
	base := sess.BaseCredentials(ctx, s.Step)
	s.redact(base.Sensitive...)
	if base.Err != nil {
		return fail(catalog.STS001, Args{"detail": credentialsText(base.Err, s.Step)})
	}
	detail := []string{credentialLine("credentials", base)}
	creds := base
	if sess.RoleARN != "" {
		creds = sess.Credentials(ctx, s.Step)
		s.redact(creds.Sensitive...)
		if creds.Err != nil {
			return stsFailure(ctx, creds.Err, sess, base, s, "AssumeRole").withDetail(detail...)
		}
		detail = append(detail, credentialLine("assumed "+sess.RoleARN+" (session "+awsprobe.SessionName+")", creds))
	}
	id := sess.CallerIdentity(ctx, s.Step)
	s.useEndpoint(awsprobe.STS, id.Endpoint)
	if id.Err != nil {
		return stsFailure(ctx, id.Err, sess, creds, s, "GetCallerIdentity").withDetail(detail...)
	}
	s.AWS.identity = &id
	args := Args{"account": id.Account, "arn": id.ARN, "caller": id.ARN, "endpoint": id.Endpoint, "region": sess.Region}
	detail = append(detail, fmt.Sprintf("GetCallerIdentity at %s: account %s, %s (%s)", id.Endpoint, id.Account, id.ARN, id.Elapsed))
	if skew, ok := s.clockSkew(); ok && (skew > skewNote || skew < -skewNote) {
		detail = append(detail, fmt.Sprintf("the local clock is %s off AWS's (STS answered with Date %s)", skew.Round(time.Second), id.ServerTime.UTC().Format(time.RFC3339)))
	}
	if role := executionRole(s.function()); role != "" {
		args["role"] = role
		if !sameRole(id.ARN, role) {
			return warn(catalog.STS101, args, detail...)
		}
		detail = append(detail, "this is the function's execution role "+role)
	} else if m := s.Facts.Mapping; m != nil && m.FunctionErr != "" {
		detail = append(detail, "the function's execution role is unknown ("+m.FunctionErr+"): results may differ for it")
	}
	if globalSTS(id.Endpoint) {
		return warn(catalog.STS102, args, detail...)
	}
	o := pass(detail...)
	o.Args = args
	return o
}

func credentialLine(what string, c awsprobe.Credentials) string {
	line := fmt.Sprintf("%s: access key %s from %s", what, c.AccessKeyID, c.Source)
	if !c.Expires.IsZero() {
		line += ", expiring " + c.Expires.UTC().Format(time.RFC3339)
	}
	return line
}

// stsFailure classifies a failed AssumeRole or GetCallerIdentity.
func stsFailure(ctx context.Context, err error, sess *awsprobe.Session, creds awsprobe.Credentials, s *State, op string) Outcome {
	endpoint := sess.Endpoint(ctx, awsprobe.STS, "")
	if o := operationOf(err); o != "" {
		op = o
	}
	if o, ok := deadlineSkip(err, "sts:"+op); ok {
		return o
	}
	args := Args{"operation": op, "endpoint": endpoint, "access_key": creds.AccessKeyID, "source": creds.Source,
		"role": sess.RoleARN, "caller": "access key " + creds.AccessKeyID, "detail": shortErr(err, "")}
	if f, ok := apiError(err); ok {
		args["api_code"], args["detail"] = f.Code, f.Message
		switch {
		case op == "AssumeRole" && (accessDenied(f.Code) || f.Code == "InvalidIdentityToken" || f.Code == "MalformedPolicyDocument"):
			return fail(catalog.STS005, args)
		case f.Code == "ExpiredToken" || f.Code == "ExpiredTokenException" || f.Code == "RequestExpired":
			return fail(catalog.STS002, args)
		case f.Code == "InvalidClientTokenId" || f.Code == "SignatureDoesNotMatch" || f.Code == "UnrecognizedClientException" || f.Code == "IncompleteSignature":
			return fail(catalog.STS003, args)
		case f.Code == "RegionDisabledException":
			args["fix"] = "activate STS in " + sess.Region + " (IAM account settings), or use an enabled Region"
		case throttled(f.Code):
			args["fix"] = "STS throttled the call (" + retriedNote(err) + "): retry later"
		case accessDenied(f.Code):
			args["fix"] = "an STS VPC endpoint policy or a service control policy denies " + op + ": allow it for this identity (and sts:AssumeRole for lambda.amazonaws.com)"
		default:
			args["fix"] = "look up " + f.Code + " in the STS API reference for " + op
		}
		return fail(catalog.STS004, args)
	}
	if d, ok := credentialsDetail(err); ok {
		return fail(catalog.STS001, Args{"detail": d})
	}
	if d, ok := networkDetail(err, s.Step); ok {
		args["detail"] = d
		return fail(catalog.STS006, args)
	}
	// No response and no network error: the credential chain itself failed
	// (an expired SSO session, a broken credential_process).
	return fail(catalog.STS001, Args{"detail": credentialsText(err, s.Step)})
}

// credentialsText describes why the credential chain gave nothing: the
// sources it tried, or a source that did not answer in time.
func credentialsText(err error, budget time.Duration) string {
	if d, ok := credentialsDetail(err); ok {
		return d
	}
	if errors.Is(err, ErrDeadline) {
		return "the run's deadline (--timeout) ended the credential lookup"
	}
	if isTimeout(err) {
		return fmt.Sprintf("the configured credential source did not answer within %s", budget)
	}
	return shortErr(err, "")
}

// executionRole is the function's execution role, when --esm or
// --function made it known.
func executionRole(f *awsprobe.Function) string {
	if f == nil {
		return ""
	}
	return f.Role
}

// sameRole says whether caller (an STS identity ARN) is an assumed session
// of role (an IAM role ARN): same account and role name.
func sameRole(caller, role string) bool {
	c, ok1 := awsprobe.ParseARN(caller)
	r, ok2 := awsprobe.ParseARN(role)
	if !ok1 || !ok2 || c.Account != r.Account {
		return false
	}
	if c.Service == "iam" && c.Resource == r.Resource {
		return true
	}
	parts := strings.Split(c.Resource, "/") // assumed-role/<name>/<session>
	name := r.Resource[strings.LastIndex(r.Resource, "/")+1:]
	return c.Service == "sts" && len(parts) == 3 && parts[0] == "assumed-role" && parts[1] == name
}

// globalSTS says whether endpoint is the global STS endpoint.
func globalSTS(endpoint string) bool {
	u, err := url.Parse(endpoint)
	return err == nil && strings.EqualFold(u.Hostname(), "sts.amazonaws.com")
}
