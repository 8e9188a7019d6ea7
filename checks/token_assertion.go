package checks

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/esmdoctor/esmdoctor/secrets"
)

// defaultAssertionLifetime is the JWT-bearer assertion's lifetime when the
// secret has no oauthTokenExpirationSeconds: Kafka's JwtBearerJwtRetriever
// default (sasl.oauthbearer.assertion.exp.seconds, 300).
const defaultAssertionLifetime = 5 * time.Minute

// signAssertion builds the JWT-bearer assertion (RFC 7523 section 3): iss
// and sub the client's email, aud the token endpoint, iat now, exp now
// plus the lifetime; RS256 for an RSA key, ES256/ES384/ES512 for ECDSA.
func signAssertion(c *secrets.OAuthCredentials, now time.Time) (string, error) {
	alg, h, err := assertionAlg(c.Key)
	if err != nil {
		return "", err
	}
	life := c.Expiration
	if life <= 0 {
		life = defaultAssertionLifetime
	}
	header, _ := json.Marshal(map[string]string{"alg": alg, "typ": "JWT"})
	claims, _ := json.Marshal(map[string]any{"iss": c.ClientEmail, "sub": c.ClientEmail, "aud": c.TokenURL.String(),
		"iat": now.Unix(), "exp": now.Add(life).Unix(), "jti": fmt.Sprintf("esmdoctor-%d", now.UnixNano())})
	b64 := base64.RawURLEncoding
	input := b64.EncodeToString(header) + "." + b64.EncodeToString(claims)
	hh := h.New()
	hh.Write([]byte(input))
	sig, err := signDigest(c.Key, h, hh.Sum(nil))
	if err != nil {
		return "", fmt.Errorf("signing the JWT-bearer assertion: %w", err)
	}
	return input + "." + b64.EncodeToString(sig), nil
}

// assertionAlg is the JWS algorithm for the key.
func assertionAlg(k crypto.Signer) (string, crypto.Hash, error) {
	switch pk := k.Public().(type) {
	case *rsa.PublicKey:
		return "RS256", crypto.SHA256, nil
	case *ecdsa.PublicKey:
		switch pk.Curve.Params().BitSize {
		case 256:
			return "ES256", crypto.SHA256, nil
		case 384:
			return "ES384", crypto.SHA384, nil
		case 521:
			return "ES512", crypto.SHA512, nil
		}
	}
	return "", 0, errors.New("oauthPrivateKey is neither an RSA nor a P-256/P-384/P-521 ECDSA key, so no JWS algorithm signs with it")
}

// signDigest signs; ECDSA signatures are JWS's fixed-size r||s.
func signDigest(k crypto.Signer, h crypto.Hash, digest []byte) ([]byte, error) {
	ek, ok := k.(*ecdsa.PrivateKey)
	if !ok {
		return k.Sign(rand.Reader, digest, h)
	}
	r, s, err := ecdsa.Sign(rand.Reader, ek, digest)
	if err != nil {
		return nil, err
	}
	size := (ek.Curve.Params().BitSize + 7) / 8
	out := make([]byte, 2*size)
	r.FillBytes(out[:size])
	s.FillBytes(out[size:])
	return out, nil
}
