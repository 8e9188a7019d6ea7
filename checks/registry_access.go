package checks

import (
	"context"
	"crypto/tls"
	"fmt"
	"strings"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/registry"
	"github.com/esmdoctor/esmdoctor/secrets"
)

// registryAccess is what the registry's access configurations hold.
type registryAccess struct {
	basic  *secrets.SASLCredentials
	client *secrets.ClientCertificate
	roots  *secrets.RootCA
	oauth  *secrets.OAuthCredentials
	token  *Token // the OAuth access token; its value is redacted
	lines  []string
}

// readRegistryAccess fetches and parses the secrets the registry's access
// configurations name, as the mapping does with the execution role. Every
// value read goes to the redactor before anything else happens.
func readRegistryAccess(ctx context.Context, s *State, cfg registry.Config) (registryAccess, *Outcome) {
	var acc registryAccess
	for _, ac := range cfg.AccessConfigs {
		data, o := registrySecret(ctx, s, ac)
		if o != nil {
			return acc, o
		}
		if err := acc.parse(s, ac.Type, data); err != nil {
			o := fail(catalog.REGISTRY014, Args{"type": ac.Type, "source": ac.URI, "detail": err.Error(), "fix": secretShapeFix(ac.Type)})
			return acc, &o
		}
		acc.lines = append(acc.lines, fmt.Sprintf("%s: %s read from Secrets Manager", ac.Type, ac.URI))
	}
	return acc, nil
}

// registrySecret reads one access configuration's secret.
func registrySecret(ctx context.Context, s *State, ac registry.AccessConfig) ([]byte, *Outcome) {
	args := Args{"type": ac.Type, "source": ac.URI}
	if s.Cfg.AWS == nil {
		args["detail"], args["fix"] = "the secret is in Secrets Manager, and the run has no AWS input", "give --region (and --role-arn, the execution role) so esmdoctor reads it as the mapping does"
		o := fail(catalog.REGISTRY014, args)
		return nil, &o
	}
	sess, err := s.session(ctx)
	if err != nil {
		args["detail"], args["fix"] = "no AWS configuration: "+shortErr(err, ""), "see the sts check"
		o := fail(catalog.REGISTRY014, args)
		return nil, &o
	}
	arn, _ := awsprobe.ParseARN(ac.URI)
	obs := sess.Secret(ctx, ac.URI, arn.Region, s.Step)
	s.useEndpoint(awsprobe.SecretsManager, obs.Endpoint)
	s.redact(secretDocValues(obs.Value)...)
	switch {
	case obs.Err != nil:
		f := awsFailureArgs(s, "GetSecretValue", obs.Err)
		args["detail"] = fmt.Sprintf("GetSecretValue as %s: %s: %s", f["caller"], f["api_code"], f["detail"])
		args["fix"] = "check the ARN and that the execution role may call secretsmanager:GetSecretValue on it (and kms:Decrypt on its key)"
	case obs.Binary || obs.Value == nil:
		args["detail"], args["fix"] = "holds SecretBinary, but Lambda reads the SecretString as JSON", secretShapeFix(ac.Type)
	case len(obs.Value) > awsprobe.MaxSecretBytes:
		args["detail"], args["fix"] = "the SecretString is more than 65,536 bytes", secretShapeFix(ac.Type)
	default:
		return obs.Value, nil
	}
	o := fail(catalog.REGISTRY014, args)
	return nil, &o
}

// parse validates one secret document as its type requires.
func (a *registryAccess) parse(s *State, typ string, data []byte) error {
	var err error
	switch typ {
	case registry.BasicAuth:
		a.basic, err = secrets.ParseSASL(data)
	case registry.ClientCertificate:
		a.client, err = secrets.ParseClientCertificate(data, s.Cfg.Now())
		if err == nil && a.client.PrivateKey == nil {
			err = fmt.Errorf("esmdoctor cannot decrypt its private key")
		}
	case registry.ServerRootCA:
		a.roots, err = secrets.ParseRootCASecret(data, s.Cfg.Now())
	case registry.OAuthBearer:
		a.oauth, err = secrets.ParseOAuth(data, s.Cfg.Now())
	}
	return err
}

// fetchToken requests the registry's access token from the OAUTHBEARER_AUTH
// secret's token endpoint, as the token check does for the brokers (the
// same grant, IdP CA and classification). A failure is the registry's,
// with the token check's cause and fix inside it.
func (a *registryAccess) fetchToken(ctx context.Context, s *State, cfg registry.Config) *Outcome {
	if a.oauth == nil {
		return nil
	}
	src := &oauthSource{creds: a.oauth}
	tok, out, ok := src.Fetch(ctx, s)
	if !ok {
		e, _ := catalog.Lookup(out.Code)
		o := fail(catalog.REGISTRY016, Args{"uri": cfg.SchemaRegistryURI, "source": src.Describe(), "token_code": out.Code,
			"detail": catalog.Format(e.Cause, out.Args), "fix": catalog.Format(e.Remediation, out.Args)})
		return &o
	}
	a.token = tok
	a.lines = append(a.lines, "OAUTHBEARER_AUTH: token from the "+src.Describe()+tokenNote(tok))
	return nil
}

// tokenNote sums up the token's claims without the token.
func tokenNote(t *Token) string {
	if !t.JWT {
		return " (opaque)"
	}
	return fmt.Sprintf(" (sub %s, aud %s, expires %s)", orNone(t.Claims.Sub), orNone(strings.Join(t.Claims.Aud, ",")), stamp(t.Claims.Exp))
}

// secretShapeFix says what a registry secret of type t must hold.
func secretShapeFix(t string) string {
	switch t {
	case registry.BasicAuth:
		return `the secret must be a JSON SecretString {"username":"...","password":"..."}`
	case registry.ClientCertificate:
		return `the secret must be a JSON SecretString {"certificate":"<PEM chain>","privateKey":"<PKCS#8 PEM>"} (and "privateKeyPassword" for an encrypted key)`
	}
	return `the secret must be a JSON SecretString {"certificate":"<PEM root CA>"}`
}

// endpoint builds how to reach the registry with these credentials.
func (a registryAccess) endpoint(s *State, cfg registry.Config) registry.Endpoint {
	base, _ := parseRegistryURL(cfg.SchemaRegistryURI)
	ep := registry.Endpoint{Base: base, Resolver: s.Cfg.Resolver}
	cfgTLS := &tls.Config{MinVersion: tls.VersionTLS12, Time: s.Cfg.Now}
	if a.roots != nil {
		cfgTLS.RootCAs = a.roots.Pool
	}
	if a.client != nil {
		cfgTLS.Certificates = []tls.Certificate{a.client.TLS}
	}
	ep.TLS = cfgTLS
	if a.basic != nil {
		ep.Username, ep.Password = a.basic.Username, a.basic.Password.Reveal()
	}
	if a.token != nil {
		ep.Bearer = a.token.Value.Reveal()
	}
	return ep
}

// authName says how esmdoctor authenticated, for messages.
func (a registryAccess) authName() string {
	switch {
	case a.basic != nil:
		return "BASIC_AUTH as " + a.basic.Username
	case a.client != nil && len(a.client.Chain) > 0:
		return "CLIENT_CERTIFICATE_TLS_AUTH as " + a.client.Chain[0].Subject.String()
	case a.token != nil:
		return "OAUTHBEARER_AUTH as " + orNone(a.token.Claims.Sub)
	}
	return "no credentials (no BASIC_AUTH, CLIENT_CERTIFICATE_TLS_AUTH or OAUTHBEARER_AUTH access configuration)"
}
