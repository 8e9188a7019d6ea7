package awsfake

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// The function control plane as the AWS SDK sees it: status codes, error
// types, states and pagination (Invoke under the emulator is covered by
// the integration tests).

func newLambda(t *testing.T, pending time.Duration) (*Fake, *lambda.Client) {
	t.Helper()
	f, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	if err := f.RunFunctions(FunctionOptions{RIE: "/nonexistent", PendingFor: pending}); err != nil {
		t.Fatal(err)
	}
	c := lambda.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(f.URL()),
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", "")}, func(o *lambda.Options) { o.RetryMaxAttempts = 1 })
	return f, c
}

func createIn(ctx context.Context, c *lambda.Client, name string) error {
	var z bytes.Buffer
	zw := zip.NewWriter(&z)
	w, _ := zw.Create("bootstrap")
	_, _ = w.Write([]byte("#!/bin/sh\n"))
	_ = zw.Close()
	_, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String(name), Runtime: types.RuntimeProvidedal2023,
		Handler: aws.String("bootstrap"), Role: aws.String("arn:aws:iam::123456789012:role/r"), Code: &types.FunctionCode{ZipFile: z.Bytes()},
		Architectures: []types.Architecture{types.ArchitectureArm64},
		VpcConfig:     &types.VpcConfig{SubnetIds: []string{"subnet-1"}, SecurityGroupIds: []string{"sg-1"}}, Tags: map[string]string{"k": "v"}})
	return err
}

func TestFunctionLifecycle(t *testing.T) {
	ctx := context.Background()
	f, c := newLambda(t, time.Hour)
	if err := createIn(ctx, c, "probe-1"); err != nil {
		t.Fatal(err)
	}
	var conflict *types.ResourceConflictException
	if err := createIn(ctx, c, "probe-1"); !errors.As(err, &conflict) {
		t.Fatalf("second create: %v, want ResourceConflictException", err)
	}
	got, err := c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("probe-1")})
	if err != nil {
		t.Fatal(err)
	}
	cfg := got.Configuration
	if cfg.State != types.StatePending || cfg.LastUpdateStatus != types.LastUpdateStatusInProgress || cfg.StateReasonCode != types.StateReasonCodeCreating ||
		cfg.Architectures[0] != types.ArchitectureArm64 || cfg.VpcConfig.SubnetIds[0] != "subnet-1" || got.Tags["k"] != "v" {
		t.Fatalf("configuration %+v", cfg)
	}
	if _, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("probe-1")}); !errors.As(err, &conflict) {
		t.Fatalf("invoke while Pending: %v, want ResourceConflictException", err)
	}
	if _, err := c.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String(aws.ToString(cfg.FunctionArn))}); err != nil {
		t.Fatalf("delete by ARN: %v", err)
	}
	var notFound *types.ResourceNotFoundException
	if _, err := c.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String("probe-1")}); !errors.As(err, &notFound) {
		t.Fatalf("second delete: %v, want ResourceNotFoundException", err)
	}
	if len(f.Functions()) != 0 || f.Created() != 1 {
		t.Fatalf("left %v, created %d", f.Functions(), f.Created())
	}
}

func TestFunctionActiveAfterPending(t *testing.T) {
	ctx := context.Background()
	_, c := newLambda(t, 0)
	if err := createIn(ctx, c, "probe-2"); err != nil {
		t.Fatal(err)
	}
	cfg, err := c.GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("probe-2")})
	if err != nil || cfg.State != types.StateActive || cfg.LastUpdateStatus != types.LastUpdateStatusSuccessful {
		t.Fatalf("%v %+v", err, cfg)
	}
	out, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("probe-2"), InvocationType: types.InvocationTypeDryRun})
	if err != nil || out.StatusCode != 204 {
		t.Fatalf("DryRun: %v %+v", err, out)
	}
}

func TestListPagination(t *testing.T) {
	ctx := context.Background()
	f, c := newLambda(t, 0)
	for i := range 5 {
		if err := createIn(ctx, c, fmt.Sprintf("fn-%d", i)); err != nil {
			t.Fatal(err)
		}
		f.AddMapping(Mapping{UUID: fmt.Sprintf("m-%d", i), FunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:fn-0", Bootstrap: []string{"b:9092"}, Topics: []string{"t"}})
	}
	var names []string
	pages := 0
	p := lambda.NewListFunctionsPaginator(c, &lambda.ListFunctionsInput{MaxItems: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, fn := range page.Functions {
			names = append(names, aws.ToString(fn.FunctionName))
		}
	}
	if pages != 3 || fmt.Sprint(names) != "[fn-0 fn-1 fn-2 fn-3 fn-4]" {
		t.Fatalf("%d pages: %v", pages, names)
	}
	var uuids []string
	mp := lambda.NewListEventSourceMappingsPaginator(c, &lambda.ListEventSourceMappingsInput{MaxItems: aws.Int32(2)})
	for mp.HasMorePages() {
		page, err := mp.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range page.EventSourceMappings {
			uuids = append(uuids, aws.ToString(m.UUID))
		}
	}
	if fmt.Sprint(uuids) != "[m-0 m-1 m-2 m-3 m-4]" {
		t.Fatalf("mappings %v", uuids)
	}
	tags, err := c.ListTags(ctx, &lambda.ListTagsInput{Resource: aws.String("arn:aws:lambda:us-east-1:123456789012:function:fn-3")})
	if err != nil || tags.Tags["k"] != "v" {
		t.Fatalf("ListTags: %v %v", err, tags)
	}
	var bad *types.InvalidParameterValueException
	if _, err := c.ListFunctions(ctx, &lambda.ListFunctionsInput{Marker: aws.String("garbage")}); !errors.As(err, &bad) {
		t.Fatalf("bad marker: %v", err)
	}
}
