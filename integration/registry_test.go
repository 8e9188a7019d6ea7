package integration

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/model"
)

// Healthy: Avro records read over HTTPS with the bed's CA and basic
// authentication, JSON Schema and Protobuf records over HTTP.
func TestRegistryConfluentHealthy(t *testing.T) {
	r := requireRegistry(t)
	basic := r.basicSecret(t, "registry-basic", r.Get("REGISTRY_PASSWORD"))
	ca := r.secret(t, awsRegion, "registry-ca", r.caJSON(), "")
	access := []awsprobe.AccessConfig{{Type: "BASIC_AUTH", URI: basic}, {Type: "SERVER_ROOT_CA_CERTIFICATE", URI: ca}}
	rs, got := r.runRegistry(t, r.Get("REGISTRY_TOPIC_AVRO"), confluent(r.Get("REGISTRY_HTTPS_URL"), access, "VALUE"))
	wantRegistry(t, rs, got, model.Pass, "",
		"schema id "+r.Get("REGISTRY_AVRO_ID")+" (AVRO)", "0 unknown, 0 not decoding, 0 without the header",
		"BASIC_AUTH as "+r.Get("REGISTRY_USER"), "TLS 1.3 with CN=localhost", "EventRecordFormat JSON")

	rs, got = r.runRegistry(t, r.Get("REGISTRY_TOPIC_JSON"), confluent(r.Get("REGISTRY_URL"), access[:1], "VALUE"))
	wantRegistry(t, rs, got, model.Pass, "", "schema id "+r.Get("REGISTRY_JSON_ID")+" (JSON)", "0 not decoding")

	rs, got = r.runRegistry(t, r.Get("REGISTRY_TOPIC_PROTOBUF"), confluent(r.Get("REGISTRY_URL"), access[:1], "VALUE"))
	wantRegistry(t, rs, got, model.Pass, "", "schema id "+r.Get("REGISTRY_PROTOBUF_ID")+" (PROTOBUF)", "0 not decoding")
}

// Unauthorized: a wrong password, and no credentials at all (Apicurio
// answers 401 to both; the fix differs).
func TestRegistryUnauthorized(t *testing.T) {
	r := requireRegistry(t)
	wrong := r.basicSecret(t, "registry-wrong", "not-the-password")
	rs, got := r.runRegistry(t, r.Get("REGISTRY_TOPIC_AVRO"), confluent(r.Get("REGISTRY_URL"), []awsprobe.AccessConfig{{Type: "BASIC_AUTH", URI: wrong}}, "VALUE"))
	wantRegistry(t, rs, got, model.Fail, "ESM-REGISTRY-006", "answered HTTP 401 to GET /schemas/types with BASIC_AUTH as "+r.Get("REGISTRY_USER"),
		"correct the username and password in the BASIC_AUTH secret")
	if strings.Contains(fmt.Sprint(rs), "not-the-password") {
		t.Error("the registry password reached the results")
	}
	rs, got = r.runRegistry(t, r.Get("REGISTRY_TOPIC_AVRO"), confluent(r.Get("REGISTRY_URL"), nil, "VALUE"))
	wantRegistry(t, rs, got, model.Fail, "ESM-REGISTRY-006", "HTTP 401", "the registry requires authentication: add a BASIC_AUTH")
}

// HTTPS without the registry's CA: the system roots do not know it.
func TestRegistryUntrustedCA(t *testing.T) {
	r := requireRegistry(t)
	basic := r.basicSecret(t, "registry-basic-noca", r.Get("REGISTRY_PASSWORD"))
	rs, got := r.runRegistry(t, r.Get("REGISTRY_TOPIC_AVRO"), confluent(r.Get("REGISTRY_HTTPS_URL"), []awsprobe.AccessConfig{{Type: "BASIC_AUTH", URI: basic}}, "VALUE"))
	wantRegistry(t, rs, got, model.Fail, "ESM-REGISTRY-005", "not signed by a trusted CA", "SERVER_ROOT_CA_CERTIFICATE")
}

// A record whose schema id the registry does not have.
func TestRegistryUnknownSchemaID(t *testing.T) {
	r := requireRegistry(t)
	basic := r.basicSecret(t, "registry-basic-unknown", r.Get("REGISTRY_PASSWORD"))
	rs, got := r.runRegistry(t, r.Get("REGISTRY_TOPIC_UNKNOWN"), confluent(r.Get("REGISTRY_URL"), []awsprobe.AccessConfig{{Type: "BASIC_AUTH", URI: basic}}, "VALUE"))
	wantRegistry(t, rs, got, model.Fail, "ESM-REGISTRY-007", "schema id "+r.Get("REGISTRY_UNKNOWN_ID"), "HTTP 404 (error_code 40403)",
		"sampled record(s) of "+r.Get("REGISTRY_TOPIC_UNKNOWN"))
}

// A record that carries a known id but is not Avro.
func TestRegistryNonMatchingRecord(t *testing.T) {
	r := requireRegistry(t)
	basic := r.basicSecret(t, "registry-basic-mismatch", r.Get("REGISTRY_PASSWORD"))
	rs, got := r.runRegistry(t, r.Get("REGISTRY_TOPIC_MISMATCH"), confluent(r.Get("REGISTRY_URL"), []awsprobe.AccessConfig{{Type: "BASIC_AUTH", URI: basic}}, "VALUE"))
	wantRegistry(t, rs, got, model.Fail, "ESM-REGISTRY-008", "the value at partition 0", "schema id "+r.Get("REGISTRY_AVRO_ID"), "does not decode as its AVRO schema")
}

// Values validated on a topic whose records carry no registry header.
func TestRegistryRecordsWithoutHeader(t *testing.T) {
	r := requireRegistry(t)
	basic := r.basicSecret(t, "registry-basic-noheader", r.Get("REGISTRY_PASSWORD"))
	rs, got := r.runRegistry(t, r.Get("TOPIC"), confluent(r.Get("REGISTRY_URL"), []awsprobe.AccessConfig{{Type: "BASIC_AUTH", URI: basic}}, "VALUE"))
	wantRegistry(t, rs, got, model.Fail, "ESM-REGISTRY-015", "without the Confluent (magic byte 0 and schema id) header", "starting 7b")
}

// On-demand mode: Lambda uses a registry in provisioned mode only.
func TestRegistryNeedsProvisionedMode(t *testing.T) {
	r := requireRegistry(t)
	rs, got := r.runRegistry(t, r.Get("REGISTRY_TOPIC_AVRO"), confluent(r.Get("REGISTRY_URL"), nil, "VALUE"), func(c *checks.Config) { c.MaximumPollers = 0 })
	wantRegistry(t, rs, got, model.Fail, "ESM-REGISTRY-001", "on-demand mode", "--provisioned-poller-config")
}

// Glue: the registry and the schema version the records reference, read
// from moto as the mapping reads them.
func TestRegistryGlue(t *testing.T) {
	r := requireRegistry(t)
	glue := &awsprobe.SchemaRegistryConfig{URI: r.Get("GLUE_REGISTRY_ARN"), EventRecordFormat: "SOURCE", Validate: []string{"VALUE"}}
	rs, got := r.runRegistry(t, r.Get("REGISTRY_TOPIC_GLUE"), glue)
	wantRegistry(t, rs, got, model.Pass, "", "glue:GetRegistry esm-registry", "Glue schema version "+r.Get("GLUE_SCHEMA_VERSION_ID")+" (AVRO)",
		"EventRecordFormat SOURCE")

	rs, got = r.runRegistry(t, r.Get("REGISTRY_TOPIC_GLUE_UNKNOWN"), glue)
	wantRegistry(t, rs, got, model.Fail, "ESM-REGISTRY-007", "Glue schema version 0badc0de-0000-4000-8000-000000000000", "EntityNotFoundException")

	missing := *glue
	missing.URI = strings.Replace(glue.URI, "registry/esm-registry", "registry/no-such-registry-"+r.tag, 1)
	rs, got = r.runRegistry(t, r.Get("REGISTRY_TOPIC_GLUE"), &missing)
	wantRegistry(t, rs, got, model.Fail, "ESM-REGISTRY-010", "glue:GetRegistry of "+missing.URI, "EntityNotFoundException", "aws glue create-registry")
}

// Glue not allowed: the execution role's policy denies glue:*, so the
// permissions check's evaluation names the missing actions (moto does not
// enforce IAM, so the Glue calls themselves succeed).
func TestRegistryGlueNotAllowed(t *testing.T) {
	r := requireRegistry(t)
	_, role := r.function(t, "registry-deny")
	_, err := iam.NewFromConfig(r.motoConfig(awsRegion)).PutRolePolicy(context.Background(), &iam.PutRolePolicyInput{RoleName: aws.String(awsprobe.RoleName(role)),
		PolicyName: aws.String("no-glue"), PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"glue:*","Resource":"*"}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	glue := &awsprobe.SchemaRegistryConfig{URI: r.Get("GLUE_REGISTRY_ARN"), EventRecordFormat: "JSON", Validate: []string{"VALUE"}}
	rs, _ := r.runRegistry(t, r.Get("REGISTRY_TOPIC_GLUE"), glue, func(c *checks.Config) { c.AWS.Options.RoleARN = role })
	perm := find(t, rs, "permissions")
	if perm.Status != model.Fail || perm.Code != "ESM-REGISTRY-013" {
		t.Fatalf("permissions: %s %s %s %v, want fail ESM-REGISTRY-013", perm.Status, perm.Code, perm.Cause(), perm.Detail)
	}
	for _, f := range []string{"glue:GetRegistry on " + glue.URI, "glue:GetSchemaVersion on " + strings.Replace(glue.URI, ":registry/", ":schema/", 1) + "/*"} {
		if !strings.Contains(perm.Cause(), f) {
			t.Errorf("permissions cause %q lacks %q", perm.Cause(), f)
		}
	}
	if !strings.Contains(perm.Remediation(), "put-role-policy --role-name "+awsprobe.RoleName(role)) {
		t.Errorf("permissions fix: %q", perm.Remediation())
	}
}
