package checks

import (
	"context"
	"fmt"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/registry"
)

// glueNotFound is Glue's error code for a missing registry or version.
const glueNotFound = "EntityNotFoundException"

// runGlueRegistry reads the Glue registry as the mapping does with the
// execution role (glue:GetRegistry), then the schema versions the sampled
// records reference (glue:GetSchemaVersion), and decodes the records.
func runGlueRegistry(ctx context.Context, s *State, cfg registry.Config) Outcome {
	g, _ := registry.ParseGlueARN(cfg.SchemaRegistryURI)
	if s.Cfg.AWS == nil {
		return fail(catalog.REGISTRY012, Args{"operation": "glue:GetRegistry", "resource": cfg.SchemaRegistryURI, "endpoint": "(none)",
			"detail": "the run has no AWS input", "fix": "give --region (and --role-arn, the execution role) so esmdoctor reads the registry as the mapping does"})
	}
	sess, err := s.session(ctx)
	if err != nil {
		return fail(catalog.REGISTRY012, Args{"operation": "glue:GetRegistry", "resource": cfg.SchemaRegistryURI, "endpoint": "(none)",
			"detail": "no AWS configuration: " + shortErr(err, ""), "fix": "see the sts check"})
	}
	r := sess.GlueRegistry(ctx, cfg.SchemaRegistryURI, g.Region, s.Step)
	s.useEndpoint(awsprobe.Glue, r.Endpoint)
	if r.Err != nil {
		return glueFailure(s, g, "glue:GetRegistry", cfg.SchemaRegistryURI, r.Endpoint, r.Err)
	}
	detail := []string{fmt.Sprintf("glue:GetRegistry %s at %s as %s: found (%s)", r.Name, r.Endpoint, s.caller(), r.Elapsed)}
	rep, stop := checkSample(ctx, s, cfg, glueSource{s: s, sess: sess, g: g})
	if stop != nil {
		return stop.leading(detail...)
	}
	return sampleOutcome(s, cfg, rep).leading(detail...)
}

// glueFailure classifies a failed Glue call.
func glueFailure(s *State, g registry.GlueARN, op, resource, endpoint string, err error) Outcome {
	args := awsFailureArgs(s, op, err)
	args["resource"], args["endpoint"], args["region"] = resource, endpoint, g.Region
	f, ok := apiError(err)
	switch {
	case ok && f.Code == glueNotFound && op == "glue:GetRegistry":
		return fail(catalog.REGISTRY010, Args{"uri": resource, "region": g.Region, "api_code": f.Code, "detail": f.Message})
	case ok && accessDenied(f.Code):
		args["fix"] = glueGrantFix(s, g)
		return fail(catalog.REGISTRY011, args)
	}
	args["detail"] = args["api_code"] + ": " + args["detail"]
	args["fix"] = "a throttled or failing Glue answers the mapping the same way"
	return fail(catalog.REGISTRY012, args)
}

// glueGrantFix is the statement the execution role needs.
func glueGrantFix(s *State, g registry.GlueARN) string {
	role := "EXECUTION_ROLE"
	if s.Cfg.AWS != nil {
		if r := auditRole(s); r != "" {
			role = awsprobe.RoleName(r)
		}
	}
	return fmt.Sprintf(`aws iam put-role-policy --role-name %s --policy-name esm-registry --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"glue:GetRegistry","Resource":"%s"},{"Effect":"Allow","Action":"glue:GetSchemaVersion","Resource":["%s","%s"]}]}'`,
		role, g.ARN(), g.ARN(), g.SchemaARNs())
}

// glueSource fetches schema versions by id.
type glueSource struct {
	s    *State
	sess *awsprobe.Session
	g    registry.GlueARN
}

func (glueSource) wire() registry.Wire { return registry.WireGlue }

func (g glueSource) fetch(ctx context.Context, ref registry.Ref) (registry.Schema, error, *Outcome) {
	v := g.sess.GlueSchemaVersion(ctx, ref.VersionID, g.g.Region, g.s.Step)
	if v.Err != nil {
		if f, ok := apiError(v.Err); ok && f.Code == glueNotFound {
			return registry.Schema{}, fmt.Errorf("glue:GetSchemaVersion: %s: %s", f.Code, f.Message), nil
		}
		o := glueFailure(g.s, g.g, "glue:GetSchemaVersion", ref.VersionID, g.s.AWS.used[awsprobe.Glue], v.Err)
		return registry.Schema{}, nil, &o
	}
	if len(v.Definition) > registry.MaxBody {
		o := fail(catalog.REGISTRY012, Args{"operation": "glue:GetSchemaVersion", "resource": ref.VersionID, "endpoint": g.s.AWS.used[awsprobe.Glue],
			"detail": "the schema definition is larger than 1 MiB", "fix": "Glue limits a definition to 170,000 bytes: check the endpoint"})
		return registry.Schema{}, nil, &o
	}
	return registry.Schema{Type: v.DataFormat, Text: v.Definition}, nil, nil
}
