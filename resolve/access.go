package resolve

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/esmdoctor/esmdoctor/awsprobe"
)

// access is the mapping's SourceAccessConfigurations, classified: at most
// one secret that authenticates, at most one root CA.
type access struct {
	list       []awsprobe.AccessConfig
	authSecret *awsprobe.AccessConfig
	rootCA     *awsprobe.AccessConfig
	iam        string // TypeIAM or TypeIAMOAuth, when given (access_iam.go)
}

// any says whether an access configuration names an AWS resource (a
// secret, a subnet, a security group): the OAuth settings are literal
// values and need no AWS.
func (a access) any() bool {
	for _, ac := range a.list {
		if !isOAuthLiteral(ac.Type) {
			return true
		}
	}
	return false
}

// parseAccess reads --source-access-configuration(s).
func parseAccess(in Inputs) (access, error) {
	var a access
	for _, raw := range in.AccessConfig {
		for _, one := range strings.Fields(raw) { // the AWS CLI's shorthand separates structures with spaces
			ac, err := parseShorthand(one)
			if err != nil {
				return a, &InputError{Input: "--source-access-configuration", Value: one, Msg: err.Error()}
			}
			a.list = append(a.list, ac)
		}
	}
	if v := in.AccessConfigsJSON; v != "" {
		var list []struct{ Type, URI string }
		if err := json.Unmarshal([]byte(v), &list); err != nil {
			return a, &InputError{Input: "--source-access-configurations", Msg: `not a JSON list of {"Type":...,"URI":...}: ` + err.Error()}
		}
		for _, l := range list {
			a.list = append(a.list, awsprobe.AccessConfig{Type: l.Type, URI: l.URI})
		}
	}
	return a, a.classify()
}

// parseShorthand reads Type=...,URI=... (keys in any order and case).
func parseShorthand(raw string) (awsprobe.AccessConfig, error) {
	var ac awsprobe.AccessConfig
	for _, part := range strings.Split(raw, ",") {
		k, v, ok := strings.Cut(part, "=")
		switch {
		case !ok:
			return ac, fmt.Errorf("want Type=TYPE,URI=URI")
		case strings.EqualFold(k, "Type"):
			ac.Type = v
		case strings.EqualFold(k, "URI"):
			ac.URI = v
		default:
			return ac, fmt.Errorf("unknown key %q (want Type and URI)", k)
		}
	}
	return ac, nil
}

// classify checks each access configuration's type and URI, and finds the
// secrets.
func (a *access) classify() error {
	const flag = "--source-access-configuration"
	for i := range a.list {
		ac := &a.list[i]
		switch {
		case isSecretType(ac.Type) || ac.Type == TypeRootCA:
			if err := a.secret(ac); err != nil {
				return err
			}
		case isIAMType(ac.Type):
			if err := a.iamType(ac); err != nil {
				return err
			}
		case ac.Type == TypeSubnet && strings.HasPrefix(ac.URI, "subnet:subnet-"):
		case ac.Type == TypeSG && strings.HasPrefix(ac.URI, "security_group:sg-"):
		case isOAuthLiteral(ac.Type):
		case ac.Type == TypeSubnet || ac.Type == TypeSG:
			return &InputError{Input: flag, Value: ac.Type + "," + ac.URI, Msg: "want URI=subnet:subnet-... or URI=security_group:sg-..."}
		default:
			return &InputError{Input: flag, Value: ac.Type, Msg: "unknown Type (want BASIC_AUTH, SASL_SCRAM_256_AUTH, SASL_SCRAM_512_AUTH, CLIENT_CERTIFICATE_TLS_AUTH, OAUTHBEARER_AUTH, OAUTHBEARER_SCOPE, OAUTHBEARER_AUDIENCE, OAUTHBEARER_LOGICAL_CLUSTER, OAUTHBEARER_IDENTITY_POOL, IAM_AUTH, IAM_OAUTHBEARER_AUTH, SERVER_ROOT_CA_CERTIFICATE, VPC_SUBNET or VPC_SECURITY_GROUP)"}
		}
	}
	return a.iamConsistent()
}

// secret records a secret access configuration: the root CA or the one
// secret that authenticates.
func (a *access) secret(ac *awsprobe.AccessConfig) error {
	const flag = "--source-access-configuration"
	if arn, ok := awsprobe.ParseARN(ac.URI); !ok || arn.Service != "secretsmanager" {
		return &InputError{Input: flag, Value: ac.Type + "," + ac.URI, Msg: "the URI must be a Secrets Manager secret ARN"}
	}
	switch {
	case ac.Type == TypeRootCA && a.rootCA != nil:
		return &InputError{Input: flag, Msg: "two SERVER_ROOT_CA_CERTIFICATE configurations: a mapping has one"}
	case ac.Type == TypeRootCA:
		a.rootCA = ac
	case a.authSecret != nil:
		return &InputError{Input: flag, Msg: fmt.Sprintf("%s and %s: a mapping authenticates with one secret", a.authSecret.Type, ac.Type)}
	default:
		a.authSecret = ac
	}
	return nil
}

// authFromType is the auth mode the mapping's secret type selects.
func (a access) authFromType() (Auth, string) {
	if a.authSecret == nil {
		return "", ""
	}
	m, _ := AuthForAccessConfigType(a.authSecret.Type)
	return m, "from the " + a.authSecret.Type + " access configuration"
}

// parseSelfManaged reads --self-managed-event-source.
func parseSelfManaged(v string) ([]string, error) {
	var doc struct {
		Endpoints map[string][]string
	}
	if err := json.Unmarshal([]byte(v), &doc); err != nil {
		return nil, &InputError{Input: "--self-managed-event-source", Msg: `not JSON like {"Endpoints":{"KAFKA_BOOTSTRAP_SERVERS":["host:port"]}}: ` + err.Error()}
	}
	servers := doc.Endpoints["KAFKA_BOOTSTRAP_SERVERS"]
	if len(servers) == 0 {
		return nil, &InputError{Input: "--self-managed-event-source", Msg: "no Endpoints.KAFKA_BOOTSTRAP_SERVERS"}
	}
	return servers, nil
}

// isSecretType says whether an access configuration type names the
// mapping's authenticating secret.
func isSecretType(t string) bool {
	_, ok := AuthForAccessConfigType(t)
	return ok
}
