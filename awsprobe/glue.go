package awsprobe

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Glue is the service name of AWS_ENDPOINT_URL_GLUE.
const Glue Service = "glue"

// The two Glue reads go through the small signed-request helper
// (signedcall.go) rather than the SDK's glue module: that module's
// package initialisation alone cost about 2 ms of every run's start-up,
// registry or not, for two JSON calls whose shapes are small and stable.

// GlueRegistry is what glue:GetRegistry returned for a schema registry.
type GlueRegistry struct {
	ARN, Region, Endpoint string
	Name, Status          string
	Err                   error
	Elapsed               time.Duration
}

// GlueRegistry reads a schema registry by ARN, as the mapping does with
// the execution role, within budget.
func (s *Session) GlueRegistry(ctx context.Context, arn, region string, budget time.Duration) GlueRegistry {
	start := time.Now()
	cfg := s.regional(region)
	out := GlueRegistry{ARN: arn, Region: cfg.Region, Endpoint: glueEndpoint(ctx, cfg)}
	var r struct{ RegistryName, Status string }
	if err := glueCall(ctx, cfg, "GetRegistry", map[string]any{"RegistryId": map[string]string{"RegistryArn": arn}}, &r, budget); err != nil {
		out.Err = err
	} else {
		out.Name, out.Status = r.RegistryName, r.Status
	}
	out.Elapsed = since(start)
	return out
}

// GlueSchemaVersion is what glue:GetSchemaVersion returned for a schema
// version id. Definition is bounded by the caller's use: Glue limits a
// schema definition to 170,000 bytes.
type GlueSchemaVersion struct {
	VersionID  string
	SchemaARN  string
	DataFormat string // AVRO, JSON or PROTOBUF
	Definition string
	Status     string
	Version    int64
	Err        error
	Elapsed    time.Duration
}

// GlueSchemaVersion reads one schema version by its id within budget.
func (s *Session) GlueSchemaVersion(ctx context.Context, versionID, region string, budget time.Duration) GlueSchemaVersion {
	start := time.Now()
	cfg := s.regional(region)
	out := GlueSchemaVersion{VersionID: versionID}
	var v struct {
		SchemaArn, DataFormat, SchemaDefinition, Status string
		VersionNumber                                   int64
	}
	if err := glueCall(ctx, cfg, "GetSchemaVersion", map[string]any{"SchemaVersionId": versionID}, &v, budget); err != nil {
		out.Err = err
	} else {
		out.SchemaARN, out.DataFormat, out.Definition = v.SchemaArn, v.DataFormat, v.SchemaDefinition
		out.Status, out.Version = v.Status, v.VersionNumber
	}
	out.Elapsed = since(start)
	return out
}

// glueAPI is Glue in the AWS JSON 1.1 protocol.
func glueAPI() jsonAPI {
	return jsonAPI{signing: "glue", serviceID: "Glue", envID: "GLUE", target: "AWSGlue"}
}

// glueEndpoint is where Glue calls go for cfg's Region.
func glueEndpoint(ctx context.Context, cfg aws.Config) string { return glueAPI().endpoint(ctx, cfg) }

// glueCall sends one Glue call and decodes the answer into out.
func glueCall(ctx context.Context, cfg aws.Config, op string, in, out any, budget time.Duration) error {
	return glueAPI().call(ctx, cfg, op, in, out, budget)
}
