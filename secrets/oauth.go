package secrets

import (
	"crypto"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Field names of the OAUTHBEARER_AUTH secret, as Lambda spells them.
const (
	fieldTokenURL     = "oauthTokenEndpointUrl"
	fieldClientID     = "oauthClientId"
	fieldClientSecret = "oauthClientSecret"
	fieldClientEmail  = "oauthClientEmail"
	fieldOAuthKey     = "oauthPrivateKey"
	fieldExpiration   = "oauthTokenExpirationSeconds"
	fieldIdPCA        = "oauthIdpCaCertificate"
)

// OAuth grants.
const (
	GrantClientCredentials = "client_credentials"
	GrantJWTBearer         = "urn:ietf:params:oauth:grant-type:jwt-bearer"
)

// OAuthCredentials is a validated OAUTHBEARER_AUTH secret.
type OAuthCredentials struct {
	TokenURL *url.URL
	ClientID string
	// Grant is GrantClientCredentials or GrantJWTBearer.
	Grant string
	// ClientSecret is the client-credentials secret.
	ClientSecret Secret
	// ClientEmail and Key sign the JWT-bearer assertion; Expiration is its
	// lifetime (oauthTokenExpirationSeconds, 0 when not given).
	ClientEmail string
	Key         crypto.Signer
	Expiration  time.Duration
	// IdPCA is oauthIdpCaCertificate (nil: public roots verify the IdP).
	IdPCA    *RootCA
	Warnings []Warning
}

// ParseOAuth validates an OAUTHBEARER_AUTH secret: oauthTokenEndpointUrl (an
// absolute https:// URL) and oauthClientId always; oauthClientSecret for the
// client-credentials grant, or oauthClientEmail + oauthPrivateKey (PKCS#8
// PEM) and an optional oauthTokenExpirationSeconds for the JWT-bearer
// grant, never fields of both; an optional oauthIdpCaCertificate (PEM).
func ParseOAuth(doc []byte, now time.Time) (*OAuthCredentials, error) {
	d, err := parseDocument(doc)
	if err != nil {
		return nil, err
	}
	raw, err := d.str(fieldTokenURL, true)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
		return nil, newError(KindNotHTTPS, fieldTokenURL, urlDetail(u, err))
	}
	c := &OAuthCredentials{TokenURL: u}
	if c.ClientID, err = d.str(fieldClientID, true); err != nil {
		return nil, err
	}
	if err := c.grant(d); err != nil {
		return nil, err
	}
	if d.present(fieldIdPCA) {
		pemText, err := d.str(fieldIdPCA, true)
		if err != nil {
			return nil, err
		}
		if c.IdPCA, err = parseRootCA(fieldIdPCA, []byte(pemText), now); err != nil {
			return nil, err
		}
		c.Warnings = append(c.Warnings, c.IdPCA.Warnings...)
	}
	c.Warnings = append(c.Warnings, whitespaceWarning(fieldTokenURL, raw)...)
	c.Warnings = append(c.Warnings, whitespaceWarning(fieldClientID, c.ClientID)...)
	return c, nil
}

// urlDetail says why a token URL is refused without quoting it whole (a
// URL can carry credentials): its scheme, or that it has user info.
func urlDetail(u *url.URL, err error) string {
	switch {
	case err != nil || u == nil:
		return "it does not parse as a URL"
	case u.User != nil:
		return "it carries user information (user:password@); the client authenticates with oauthClientId and oauthClientSecret"
	case u.Scheme != "https" && u.Scheme != "":
		return "its scheme is " + strconv.Quote(u.Scheme) + "; Lambda requires https"
	case u.Scheme == "":
		return "it has no scheme; write https://host/path"
	}
	return "it has no host"
}

// grant settles which grant the secret is for and validates its fields.
func (c *OAuthCredentials) grant(d document) error {
	secretSet, emailSet, keySet := d.present(fieldClientSecret), d.present(fieldClientEmail), d.present(fieldOAuthKey)
	expSet := d.present(fieldExpiration)
	switch {
	case secretSet && (emailSet || keySet || expSet):
		return newError(KindMixedGrants, "", "")
	case secretSet:
		v, err := d.str(fieldClientSecret, true)
		if err != nil {
			return err
		}
		c.Grant, c.ClientSecret = GrantClientCredentials, NewSecret(v)
		c.Warnings = append(c.Warnings, whitespaceWarning(fieldClientSecret, v)...)
		return nil
	case emailSet && keySet:
		return c.jwtBearer(d)
	case emailSet:
		return newError(KindMissingKey, fieldOAuthKey, "the JWT-bearer grant (oauthClientEmail) needs the client's private key")
	case keySet:
		return newError(KindMissingKey, fieldClientEmail, "the JWT-bearer grant (oauthPrivateKey) needs the client's email")
	}
	return newError(KindNoGrant, "", "")
}

// jwtBearer validates the JWT-bearer fields.
func (c *OAuthCredentials) jwtBearer(d document) error {
	var err error
	if c.ClientEmail, err = d.str(fieldClientEmail, true); err != nil {
		return err
	}
	keyPEM, err := d.str(fieldOAuthKey, true)
	if err != nil {
		return err
	}
	res, err := parseKeyPEM(keyPEM, keyPassword{})
	if err != nil {
		var e *Error
		if errors.As(err, &e) && (e.Field == fieldKey || e.Field == "") {
			e.Field = fieldOAuthKey
		}
		return err
	}
	if res.key == nil {
		return newError(KindBadKey, fieldOAuthKey, "the key cannot be read")
	}
	c.Grant, c.Key = GrantJWTBearer, res.key
	if d.present(fieldExpiration) {
		n, err := seconds(d[fieldExpiration])
		if err != nil {
			return err
		}
		c.Expiration = time.Duration(n) * time.Second
	}
	return nil
}

// seconds reads oauthTokenExpirationSeconds: a JSON number or a string of
// digits, positive.
func seconds(raw json.RawMessage) (int64, error) {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		s = strings.TrimSpace(string(raw))
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, newError(KindBadNumber, fieldExpiration, "")
	}
	return n, nil
}
