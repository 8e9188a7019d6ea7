package awsprobe

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	gluetypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
)

// Glue is the service name of AWS_ENDPOINT_URL_GLUE.
const Glue Service = "glue"

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
	ctx, cfg, done, cancel := call(ctx, s.regional(region), budget)
	defer cancel()
	out := GlueRegistry{ARN: arn, Region: cfg.Region, Endpoint: s.Endpoint(ctx, Glue, cfg.Region)}
	r, err := glue.NewFromConfig(cfg).GetRegistry(ctx, &glue.GetRegistryInput{RegistryId: &gluetypes.RegistryId{RegistryArn: aws.String(arn)}})
	if err != nil {
		out.Err = done(err)
	} else {
		out.Name, out.Status = aws.ToString(r.RegistryName), string(r.Status)
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
	ctx, cfg, done, cancel := call(ctx, s.regional(region), budget)
	defer cancel()
	out := GlueSchemaVersion{VersionID: versionID}
	v, err := glue.NewFromConfig(cfg).GetSchemaVersion(ctx, &glue.GetSchemaVersionInput{SchemaVersionId: aws.String(versionID)})
	if err != nil {
		out.Err = done(err)
	} else {
		out.SchemaARN, out.DataFormat, out.Definition = aws.ToString(v.SchemaArn), string(v.DataFormat), aws.ToString(v.SchemaDefinition)
		out.Status, out.Version = string(v.Status), aws.ToInt64(v.VersionNumber)
	}
	out.Elapsed = since(start)
	return out
}
