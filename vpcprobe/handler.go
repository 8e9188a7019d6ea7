package vpcprobe

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/redact"
	"github.com/esmdoctor/esmdoctor/report"
	"github.com/esmdoctor/esmdoctor/scrub"
)

// RuntimeAPIEnv is set by the Lambda runtime (and the Runtime Interface
// Emulator) in a function's environment: its presence means this process
// is the probe function, not a command line.
const RuntimeAPIEnv = "AWS_LAMBDA_RUNTIME_API"

// InLambda says whether this process was started by the Lambda runtime.
func InLambda() bool { return os.Getenv(RuntimeAPIEnv) != "" }

// renderMargin is kept from the invoke's remaining time for rendering the
// report and returning it: a run that used every millisecond would be cut
// off by Lambda's timeout and return nothing at all.
const renderMargin = 1500 * time.Millisecond

// Serve hands the process to the Lambda runtime loop; it returns only if
// the runtime API cannot be reached (aws-lambda-go then exits itself).
func Serve(version string) {
	lambda.Start(Handler(version))
}

// Handler returns the function's handler: the check configuration in, the
// report in the JSON schema out (schema_version 1, redacted); or a Batch
// in, one report per run out.
func Handler(version string) func(context.Context, json.RawMessage) (json.RawMessage, error) {
	return func(ctx context.Context, raw json.RawMessage) (json.RawMessage, error) {
		if len(raw) > maxPayload {
			return nil, fmt.Errorf("payload of %d bytes: at most %d accepted", len(raw), maxPayload)
		}
		var probe struct {
			Runs json.RawMessage `json:"runs"`
		}
		if err := json.Unmarshal(raw, &probe); err == nil && probe.Runs != nil {
			var b Batch
			if err := json.Unmarshal(raw, &b); err != nil {
				return nil, fmt.Errorf("payload is not a batch of check configurations: %w", err)
			}
			return handleBatch(ctx, b, version)
		}
		var p Payload
		if err := json.Unmarshal(raw, &p); err != nil {
			return nil, fmt.Errorf("payload is not a check configuration: %w", err)
		}
		cfg, err := p.Config()
		if err != nil {
			return nil, err
		}
		return runPayload(ctx, cfg, version)
	}
}

// runPayload runs the pipeline inside the function, bounded by the
// invoke's remaining time, and renders the report.
func runPayload(ctx context.Context, cfg checks.Config, version string) (json.RawMessage, error) {
	cfg.Timeout = boundTimeout(ctx, cfg.Timeout)
	red := redact.New(checks.SecretValues(cfg)...)
	cfg.Redact = red.Add
	rep := &model.Report{ToolName: "esmdoctor", ToolVersion: version, StartedAt: time.Now().UTC()}
	var resolved checks.Resolved
	rep.Results, resolved = checks.RunResolved(ctx, cfg, nil)
	rep.DeadlineReached = resolved.DeadlineReached
	rep.Target = target(resolved)
	rep.Notes = append(rep.Notes, resolved.Notes...)
	if sts, ok := rep.Find("sts"); ok && sts.Args["arn"] != "" {
		rep.Target.Identity = sts.Args["arn"]
	}
	var buf bytes.Buffer
	if err := report.Render(&buf, "json", scrub.New(red).Report(rep), report.Options{}); err != nil {
		return nil, fmt.Errorf("rendering the report: %w", err)
	}
	return json.RawMessage(buf.Bytes()), nil
}

// boundTimeout fits the run's budget into the invoke's remaining time.
func boundTimeout(ctx context.Context, want time.Duration) time.Duration {
	if want <= 0 {
		want = checks.DefaultTimeout
	}
	dl, ok := ctx.Deadline()
	if !ok {
		return want
	}
	left := time.Until(dl) - renderMargin
	if left < want {
		want = max(left, checks.MinTimeout/2)
	}
	return want
}

// target describes what the function checked (as the command line's
// report does; it never holds a secret).
func target(r checks.Resolved) model.Target {
	t := model.Target{Topic: r.Topic, Auth: string(r.Auth), AuthReason: r.AuthReason, ConsumerGroup: r.ConsumerGroup,
		LastProcessingResult: r.LastProcessingResult, EventSourceARN: r.EventSourceARN, EventSourceMapping: r.MappingUUID}
	for _, b := range r.Bootstrap {
		t.BootstrapServers = append(t.BootstrapServers, b.String())
	}
	if r.Secret != nil {
		t.SecretSource = r.Secret.Source
	}
	if r.CA != nil {
		t.CASource = r.CA.Source
	}
	return t
}
