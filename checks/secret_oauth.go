package checks

import (
	"fmt"
	"time"

	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/secrets"
)

// oauthKindCodes maps the OAuth secret's own failure kinds to codes.
var oauthKindCodes = map[secrets.Kind]string{
	secrets.KindNotHTTPS:    catalog.SECRET030,
	secrets.KindMixedGrants: catalog.SECRET031,
	secrets.KindNoGrant:     catalog.SECRET032,
	secrets.KindBadNumber:   catalog.SECRET033,
}

// oauthSecretCode is the code of an OAuth secret failure: by kind, or by
// field for the private key and the IdP CA (whose PEM failures share
// kinds with the mTLS secret's).
func oauthSecretCode(e *secrets.Error) (string, bool) {
	if code, ok := oauthKindCodes[e.Kind]; ok {
		return code, true
	}
	switch e.Field {
	case "oauthPrivateKey":
		return catalog.SECRET034, true
	case "oauthIdpCaCertificate":
		return catalog.SECRET035, true
	}
	return "", false
}

// parseOAuthSecret validates the OAUTHBEARER_AUTH secret and keeps it for
// the token check.
func parseOAuthSecret(s *State, doc SecretDoc) ([]secrets.Warning, []string, error) {
	c, err := secrets.ParseOAuth(doc.Data, s.Cfg.Now())
	if err != nil {
		return nil, nil, err
	}
	if c.Grant == secrets.GrantJWTBearer {
		if _, _, err := assertionAlg(c.Key); err != nil {
			return nil, nil, &secrets.Error{Kind: secrets.KindBadKey, Field: "oauthPrivateKey", Detail: err.Error()}
		}
	}
	s.Creds.OAuth = c
	lines := []string{fmt.Sprintf("%s: OAuth client %q, token endpoint %s", doc.Source, c.ClientID, c.TokenURL)}
	switch c.Grant {
	case secrets.GrantClientCredentials:
		lines = append(lines, fmt.Sprintf("%s: client credentials grant (oauthClientSecret present)", doc.Source))
	default:
		life := "not set (esmdoctor signs for " + defaultAssertionLifetime.String() + ")"
		if c.Expiration > 0 {
			life = c.Expiration.String()
		}
		lines = append(lines, fmt.Sprintf("%s: JWT-bearer grant as %s, assertion lifetime %s", doc.Source, c.ClientEmail, life))
	}
	if c.IdPCA != nil {
		for _, ca := range c.IdPCA.Certs {
			lines = append(lines, fmt.Sprintf("%s: the IdP is verified against CA %s (expires %s)", doc.Source, ca.Subject, ca.NotAfter.UTC().Format(time.DateOnly)))
		}
	}
	return c.Warnings, lines, nil
}
