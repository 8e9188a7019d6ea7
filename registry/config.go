// Package registry models a Kafka event source mapping's schema registry
// (KafkaEventSourceConfig.SchemaRegistryConfig): the configuration as the
// Lambda API takes it, the wire formats records reference schemas with,
// a bounded, read-only client for Confluent-compatible registries, and the
// decoding of records with the schemas they name. It never writes to a
// registry.
package registry

import (
	"fmt"
	"net/url"
	"strings"
)

// Access configuration types a schema registry accepts (Lambda API
// KafkaSchemaRegistryAuthType).
const (
	BasicAuth         = "BASIC_AUTH"
	ClientCertificate = "CLIENT_CERTIFICATE_TLS_AUTH"
	ServerRootCA      = "SERVER_ROOT_CA_CERTIFICATE"
	OAuthBearer       = "OAUTHBEARER_AUTH"
)

// Event record formats (Lambda API SchemaRegistryEventRecordFormat).
const (
	FormatJSON   = "JSON"
	FormatSource = "SOURCE"
)

// Attributes a schema validation configuration names.
const (
	AttrKey   = "KEY"
	AttrValue = "VALUE"
)

// maxAccessConfigs is the API's limit on SchemaRegistryConfig.AccessConfigs
// (AWS::Lambda::EventSourceMapping SchemaRegistryConfig: "Maximum: 2").
const maxAccessConfigs = 2

// Config is the mapping's SchemaRegistryConfig, shaped as aws-sdk-go-v2's
// lambda types.KafkaSchemaRegistryConfig.
type Config struct {
	// SchemaRegistryURI is a Glue registry ARN or a Confluent-compatible
	// registry's URL.
	SchemaRegistryURI string
	// EventRecordFormat is JSON (Lambda delivers the decoded record as
	// JSON), SOURCE (the record as produced, base64) or "" (not set).
	EventRecordFormat string
	// AccessConfigs name the secrets Lambda uses to reach a Confluent
	// registry; URI is a Secrets Manager ARN.
	AccessConfigs []AccessConfig
	// SchemaValidationConfigs name the record attributes (KEY, VALUE) Lambda
	// decodes with the registry's schema.
	SchemaValidationConfigs []ValidationConfig
}

// AccessConfig is one KafkaSchemaRegistryAccessConfig.
type AccessConfig struct{ Type, URI string }

// ValidationConfig is one KafkaSchemaValidationConfig.
type ValidationConfig struct{ Attribute string }

// Kind says which kind of registry a URI names.
type Kind int

// Registry kinds.
const (
	KindUnknown Kind = iota
	KindGlue
	KindConfluent
)

// Kind is the kind of registry SchemaRegistryURI names.
func (c Config) Kind() Kind {
	if _, ok := ParseGlueARN(c.SchemaRegistryURI); ok {
		return KindGlue
	}
	if u, err := url.Parse(c.SchemaRegistryURI); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
		return KindConfluent
	}
	return KindUnknown
}

// Validates reports whether attribute (KEY or VALUE) is to be decoded.
func (c Config) Validates(attribute string) bool {
	for _, v := range c.SchemaValidationConfigs {
		if v.Attribute == attribute {
			return true
		}
	}
	return false
}

// Access returns the URI of the access configuration of type t ("" if none).
func (c Config) Access(t string) string {
	for _, a := range c.AccessConfigs {
		if a.Type == t {
			return a.URI
		}
	}
	return ""
}

// Validate applies the rules the Lambda API applies to the configuration,
// so a setting Lambda would refuse is named before anything is probed.
func (c Config) Validate() error {
	if c.SchemaRegistryURI == "" {
		return fmt.Errorf("SchemaRegistryURI is required")
	}
	kind := c.Kind()
	if kind == KindUnknown {
		return fmt.Errorf("SchemaRegistryURI %q is neither a Glue registry ARN (arn:aws:glue:REGION:ACCOUNT:registry/NAME) nor an http(s) URL", c.SchemaRegistryURI)
	}
	switch c.EventRecordFormat {
	case FormatJSON, FormatSource, "":
	default:
		return fmt.Errorf("EventRecordFormat %q must be JSON or SOURCE", c.EventRecordFormat)
	}
	if err := c.validateAccess(); err != nil {
		return err
	}
	return c.validateAttributes()
}

func (c Config) validateAccess() error {
	if len(c.AccessConfigs) > maxAccessConfigs {
		return fmt.Errorf("AccessConfigs: %d given, at most %d", len(c.AccessConfigs), maxAccessConfigs)
	}
	seen := map[string]bool{}
	for _, a := range c.AccessConfigs {
		switch a.Type {
		case BasicAuth, ClientCertificate, ServerRootCA, OAuthBearer:
		default:
			return fmt.Errorf("AccessConfigs: type %q is not one of BASIC_AUTH, CLIENT_CERTIFICATE_TLS_AUTH, SERVER_ROOT_CA_CERTIFICATE, OAUTHBEARER_AUTH", a.Type)
		}
		if seen[a.Type] {
			return fmt.Errorf("AccessConfigs: %s given twice", a.Type)
		}
		seen[a.Type] = true
		if a.URI == "" {
			return fmt.Errorf("AccessConfigs: %s needs a URI (a Secrets Manager secret ARN)", a.Type)
		}
	}
	return nil
}

func (c Config) validateAttributes() error {
	if len(c.SchemaValidationConfigs) == 0 {
		return nil
	}
	seen := map[string]bool{}
	for _, v := range c.SchemaValidationConfigs {
		if v.Attribute != AttrKey && v.Attribute != AttrValue {
			return fmt.Errorf("SchemaValidationConfigs: attribute %q must be KEY or VALUE", v.Attribute)
		}
		if seen[v.Attribute] {
			return fmt.Errorf("SchemaValidationConfigs: %s given twice", v.Attribute)
		}
		seen[v.Attribute] = true
	}
	return nil
}

// GlueARN is a parsed Glue registry ARN.
type GlueARN struct{ Partition, Region, Account, Name string }

// ParseGlueARN parses arn:PARTITION:glue:REGION:ACCOUNT:registry/NAME.
func ParseGlueARN(s string) (GlueARN, bool) {
	p := strings.SplitN(s, ":", 6)
	if len(p) != 6 || p[0] != "arn" || p[2] != "glue" || p[3] == "" || p[4] == "" {
		return GlueARN{}, false
	}
	name, ok := strings.CutPrefix(p[5], "registry/")
	if !ok || name == "" || strings.Contains(name, "/") {
		return GlueARN{}, false
	}
	return GlueARN{Partition: p[1], Region: p[3], Account: p[4], Name: name}, true
}

// SchemaARNs is the resource pattern of the registry's schemas, for
// glue:GetSchemaVersion grants.
func (g GlueARN) SchemaARNs() string {
	return fmt.Sprintf("arn:%s:glue:%s:%s:schema/%s/*", g.Partition, g.Region, g.Account, g.Name)
}

// ARN renders the registry ARN.
func (g GlueARN) ARN() string {
	return fmt.Sprintf("arn:%s:glue:%s:%s:registry/%s", g.Partition, g.Region, g.Account, g.Name)
}

// URLPassword is the password a SchemaRegistryURI carries in its userinfo
// (https://user:password@host), "" when none: the caller hands it to the
// redactor, since the URI itself appears in the report.
func (c Config) URLPassword() string {
	u, err := url.Parse(c.SchemaRegistryURI)
	if err != nil || u.User == nil {
		return ""
	}
	p, _ := u.User.Password()
	return p
}
