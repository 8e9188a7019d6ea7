package resolve

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/esmdoctor/esmdoctor/secrets"
)

// settleSecrets puts the local files and the secret ARNs of the access
// configurations in the target, and settles the auth mode.
func settleSecrets(in Inputs, acc access, aw *awsIn, t *Target) error {
	t.Secret, t.CA = in.Secret, in.CA
	t.CAIsSecret = t.CA != nil && strings.HasPrefix(strings.TrimSpace(string(t.CA.Data)), "{")
	if acc.authSecret != nil {
		if t.Secret != nil {
			return Usage("--secret-file and a %s access configuration both give the mapping's secret: keep one", acc.authSecret.Type)
		}
		t.Secret = &SecretDoc{Source: acc.authSecret.URI, ARN: acc.authSecret.URI}
	}
	if acc.rootCA != nil {
		if t.CA != nil {
			return Usage("--ca-file and a SERVER_ROOT_CA_CERTIFICATE access configuration both give the root CA: keep one")
		}
		t.CA, t.CAIsSecret = &SecretDoc{Source: acc.rootCA.URI, ARN: acc.rootCA.URI}, true
	}
	var err error
	if t.Auth, t.AuthReason, err = chooseAuthFor(in.Auth, t, acc, aw.EventSourceARN); err != nil {
		return err
	}
	if t.Auth == AuthIAMOAuth && aw.EventSourceARN != "" {
		return &InputError{Input: "--source-access-configuration", Value: TypeIAMOAuth, Msg: "a self-managed Kafka access configuration: an MSK mapping (--event-source-arn) logs in with MSK IAM, SCRAM or mTLS"}
	}
	t.OAuth, err = oauthSettings(acc.list, t.Auth)
	return err
}

// chooseAuthFor settles the auth mode: the secret access configuration's
// type (--auth may repeat it, not contradict it), else --auth or what the
// local secret files imply, else (MSK) the cluster check's choice, else
// what the other access configurations imply.
func chooseAuthFor(flag string, t *Target, acc access, cluster string) (Auth, string, error) {
	fromType, typeReason := acc.authFromType()
	if fromType == "" {
		fromType, typeReason = acc.authFromIAMType()
	}
	noSecret := flag == "" && t.Secret == nil
	switch {
	case fromType != "" && flag != "" && Auth(flag) != fromType:
		return "", "", Usage("--auth %s contradicts the %s (which means --auth %s)", flag, strings.TrimPrefix(typeReason, "from the "), fromType)
	case fromType != "":
		return fromType, typeReason, nil
	case noSecret && cluster != "":
		return "", "chosen by the cluster check from the cluster's client authentication", nil
	case noSecret && acc.rootCA != nil:
		return AuthTLS, "inferred: a SERVER_ROOT_CA_CERTIFICATE and no client secret means TLS without client authentication", nil
	case noSecret && acc.any():
		return AuthNone, "inferred: the access configurations name no secret, so the mapping connects without TLS or SASL", nil
	}
	return chooseAuth(flag, t.Secret, t.CA)
}

// chooseAuth validates --auth, or infers it from the secrets and says why.
func chooseAuth(flag string, secret, ca *SecretDoc) (Auth, string, error) {
	if flag != "" {
		for _, a := range Auths {
			if string(a) == flag {
				if (a.UsesSASL() || a == AuthMTLS || a == AuthOAuth) && secret == nil {
					return "", "", Usage("--auth %s needs --secret-file with the mapping's %s secret", a, a.AccessConfigType())
				}
				return a, "given by --auth", nil
			}
		}
		return "", "", Usage("--auth %q: want one of none, tls, mtls, sasl-plain, sasl-scram-256, sasl-scram-512, iam, oauth, iam-oauthbearer", flag)
	}
	if secret == nil {
		if ca != nil {
			return AuthTLS, "inferred: a CA file and no client secret means TLS without client authentication", nil
		}
		return AuthNone, "inferred: no secret and no CA file; pass --auth tls if the brokers use TLS with public certificates", nil
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(secret.Data, &keys); err != nil {
		// The same words the secret check would use with --auth.
		return "", "", &InputError{Input: "--secret-file", Value: secret.Source,
			Msg: "not the JSON object Lambda reads: " + secrets.JSONProblem(secret.Data) + " (ESM-SECRET-001)"}
	}
	switch {
	case keys["oauthTokenEndpointUrl"] != nil || keys["oauthClientId"] != nil:
		return AuthOAuth, "inferred: the secret holds oauthTokenEndpointUrl/oauthClientId (OAUTHBEARER_AUTH)", nil
	case keys["certificate"] != nil || keys["privateKey"] != nil:
		return AuthMTLS, "inferred: the secret holds certificate/privateKey (CLIENT_CERTIFICATE_TLS_AUTH)", nil
	case keys["username"] != nil || keys["password"] != nil:
		return AuthSCRAM512, "inferred: the secret holds username/password; SCRAM-SHA-512 is MSK's only SASL mechanism (pass --auth sasl-plain for BASIC_AUTH or sasl-scram-256 for SASL_SCRAM_256_AUTH)", nil
	}
	return "", "", &InputError{Input: "--secret-file", Value: secret.Source,
		Msg: "has neither username/password, certificate/privateKey nor oauthTokenEndpointUrl/oauthClientId, so --auth cannot be inferred (" + keysHint(keys) + ")"}
}

// keysHint describes a secret's keys without naming them: a key name can
// itself be a secret (a value pasted where a key belongs), so only the
// expected names a key differs from in letter case are shown.
func keysHint(m map[string]json.RawMessage) string {
	var near []string
	for _, want := range []string{"username", "password", "certificate", "privateKey", "privateKeyPassword", "oauthTokenEndpointUrl", "oauthClientId"} {
		for k := range m {
			if k != want && strings.EqualFold(k, want) {
				near = append(near, want)
				break
			}
		}
	}
	hint := fmt.Sprintf("it has %d key(s), not shown", len(m))
	if len(near) > 0 {
		hint += "; key names are case-sensitive: want " + strings.Join(near, ", ")
	}
	return hint
}
