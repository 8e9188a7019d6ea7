package checks

import (
	"context"
	"fmt"
	"github.com/esmdoctor/esmdoctor/catalog"
	"net/http"

	"github.com/esmdoctor/esmdoctor/awsprobe"
)

var lambdaEndpointCheck = Check{
	ID:    "lambda-endpoint",
	Title: "can reach the Lambda API to invoke the function",
	Needs: []string{"api"},
	Run:   runLambdaEndpoint,
}

// endpointOrder is the order endpoints are reported in: the one this check
// is named for first, then those the earlier checks used.
var endpointOrder = []awsprobe.Service{awsprobe.Lambda, awsprobe.STS, awsprobe.SecretsManager}

// runLambdaEndpoint checks the mapping's last step from this network: the
// regional Lambda endpoint (and the STS and Secrets Manager endpoints the
// earlier checks used) resolve and complete TLS on 443, honouring endpoint
// overrides; with a known function, an Invoke DryRun shows it is invocable.
// It needs no earlier check: an unreachable endpoint is worth knowing even
// when everything before failed.
func runLambdaEndpoint(ctx context.Context, s *State) Outcome {
	if s.Cfg.AWS == nil {
		return notApplicable("no AWS input given")
	}
	sess, err := s.session(ctx)
	if err != nil {
		return fail(catalog.LAMBDA001, Args{"service": "lambda", "endpoint": "(unknown)", "detail": "loading the AWS configuration: " + shortErr(err, "")})
	}
	targets := endpointTargets(ctx, s, sess)
	reach := make([]awsprobe.Reach, len(targets))
	fanOut(len(targets), func(i int) {
		reach[i] = sess.Reach(ctx, s.Cfg.Resolver, targets[i].svc, targets[i].url, s.Step)
	})
	var detail []string
	var first *Outcome
	for _, r := range reach {
		line, f := classifyReach(r, s)
		detail = append(detail, line)
		if f != nil && first == nil {
			first = f
		}
	}
	if first != nil && s.Cfg.AWS.InVPC && s.Cfg.AWS.Provisioned {
		return pass(append(detail, provisionedNote)...)
	}
	if first != nil {
		return first.withDetail(detail...)
	}
	return invokeDryRun(ctx, s, sess, detail)
}

// provisionedNote explains why an endpoint the probe function cannot reach
// from the mapping's subnets does not fail a provisioned-mode mapping.
const provisionedNote = "note: an AWS endpoint above is unreachable from the mapping's subnets; the mapping uses provisioned-mode pollers, " +
	"which do not reach Lambda, STS and Secrets Manager through your VPC, so this does not stop it (an on-demand mapping would fail with PROBLEM: Connection error (P2))"

type endpointTarget struct {
	svc awsprobe.Service
	url string
}

func endpointTargets(ctx context.Context, s *State, sess *awsprobe.Session) []endpointTarget {
	var out []endpointTarget
	for _, svc := range endpointOrder {
		url, used := s.AWS.used[svc]
		switch {
		case svc == awsprobe.Lambda:
			url = sess.Endpoint(ctx, awsprobe.Lambda, "")
		case svc == awsprobe.STS && !used:
			url = sess.Endpoint(ctx, awsprobe.STS, "")
		case !used:
			continue
		}
		if url != "" {
			out = append(out, endpointTarget{svc, url})
		}
	}
	return out
}

// classifyReach renders one endpoint's observation; f is its failure.
func classifyReach(r awsprobe.Reach, s *State) (string, *Outcome) {
	args := Args{"service": string(r.Service), "endpoint": r.URL, "host": r.Host}
	if r.Err == nil {
		if r.Plain {
			return fmt.Sprintf("%s %s: TCP connect to %s in %s (an http:// override: there is no TLS to complete, so a TCP connect is the honest equivalent)",
				r.Service, r.URL, r.Addr, r.Elapsed), nil
		}
		return fmt.Sprintf("%s %s: %s, %s, certificate %s (%s)", r.Service, r.URL, r.Addr, tlsVersion(r.TLSVersion), r.Peer, r.Elapsed), nil
	}
	d, ok := networkDetail(r.Err, s.Step)
	if !ok {
		d = shortErr(r.Err, "")
	}
	args["detail"] = d
	code := catalog.LAMBDA001
	if r.Stage == "tls" {
		code = catalog.LAMBDA002
	}
	o := fail(code, args)
	return fmt.Sprintf("%s %s: %s (%s)", r.Service, r.URL, d, r.Elapsed), &o
}

// invokeDryRun asks Lambda to validate an invocation of the mapping's
// function without running it.
func invokeDryRun(ctx context.Context, s *State, sess *awsprobe.Session, detail []string) Outcome {
	fn := ""
	if m := s.Facts.Mapping; m != nil {
		fn = m.Mapping.FunctionARN
	}
	switch {
	case fn == "":
		return pass(append(detail, "no function known (pass --esm or --function to check it is invocable)")...)
	case s.AWS.identity == nil:
		return pass(append(detail, "Invoke (DryRun) not attempted: no usable AWS identity (see sts)")...)
	}
	inv := sess.InvokeDryRun(ctx, fn, s.Step)
	if inv.Err == nil {
		return pass(append(detail, fmt.Sprintf("Invoke (DryRun) of %s: HTTP %d, the function exists and may be invoked (%s)", fn, inv.StatusCode, inv.Elapsed))...)
	}
	args := Args{"function": fn, "caller": s.caller(), "service": "lambda", "endpoint": inv.Endpoint, "detail": shortErr(inv.Err, "")}
	f, ok := apiError(inv.Err)
	if !ok {
		if d, isNet := networkDetail(inv.Err, s.Step); isNet {
			args["detail"] = d
		}
		return fail(catalog.LAMBDA001, args, detail...)
	}
	args["api_code"], args["detail"] = f.Code, f.Message
	switch {
	case f.Code == codeNotFound:
		return fail(catalog.LAMBDA003, args, detail...)
	case accessDenied(f.Code):
		return warn(catalog.LAMBDA101, args, detail...)
	case throttled(f.Code):
		args["fix"] = "Lambda throttled the call: retry later; a mapping whose invocations are throttled retries them"
	case f.Code == "ResourceConflictException" || f.Code == "ResourceNotReadyException":
		args["fix"] = "the function is being updated or is inactive: wait until its State is Active and LastUpdateStatus Successful"
	case f.Status == http.StatusBadRequest:
		args["fix"] = "fix the function's configuration named in the message (FUNCTION_CONFIG_NOT_VALID)"
	default:
		args["fix"] = "look up " + f.Code + " in the Lambda Invoke API reference"
	}
	return fail(catalog.LAMBDA004, args, detail...)
}
