package awsfake

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/go-jose/go-jose/v4"
)

// The keys GetWebIdentityToken signs with: one RSA key (RS256) and one
// P-384 key (ES384), as STS offers those two algorithms. The JWKS of their
// public halves is served at /.well-known/jwks.json, where a broker's
// OAUTHBEARER validator (sasl.oauthbearer.jwks.endpoint.url) fetches it.

// wifKeys holds the signing keys, keyed by JWS algorithm.
type wifKeys struct {
	byAlg map[jose.SignatureAlgorithm]jose.JSONWebKey
}

// maxKeyFile bounds a key file read.
const maxKeyFile = 64 << 10

// GenerateWebIdentityKeys writes a fresh RSA 2048 and P-384 key pair, both
// PKCS#8 PEM, to path (the test bed does this once per `up`).
func GenerateWebIdentityKeys(path string) error {
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	ek, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		return err
	}
	var out []byte
	for _, k := range []crypto.PrivateKey{rk, ek} {
		der, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			return err
		}
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})...)
	}
	return os.WriteFile(path, out, 0o600)
}

// UseWebIdentityKeys makes the fake sign web identity tokens with the keys
// in path (written by GenerateWebIdentityKeys): the test bed's broker
// trusts their JWKS. Without it the fake makes keys of its own on first
// use, which no broker trusts.
func (f *Fake) UseWebIdentityKeys(path string) error {
	keys, err := readWIFKeys(path)
	if err != nil {
		return fmt.Errorf("web identity keys %s: %w", path, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.wif.keys = keys
	return nil
}

// readWIFKeys parses every PKCS#8 block of a key file.
func readWIFKeys(path string) (*wifKeys, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, maxKeyFile))
	if err != nil {
		return nil, err
	}
	keys := &wifKeys{byAlg: map[jose.SignatureAlgorithm]jose.JSONWebKey{}}
	for rest := data; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
		if err != nil {
			return nil, err
		}
		if err := keys.add(k); err != nil {
			return nil, err
		}
	}
	if len(keys.byAlg) != 2 {
		return nil, errors.New("want one RSA and one P-384 private key")
	}
	return keys, nil
}

// newWIFKeys makes a key pair of each kind in memory.
func newWIFKeys() (*wifKeys, error) {
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	ek, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		return nil, err
	}
	keys := &wifKeys{byAlg: map[jose.SignatureAlgorithm]jose.JSONWebKey{}}
	for _, k := range []crypto.PrivateKey{rk, ek} {
		if err := keys.add(k); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// add files a private key under its algorithm, with its RFC 7638
// thumbprint as key id.
func (k *wifKeys) add(priv crypto.PrivateKey) error {
	var alg jose.SignatureAlgorithm
	switch p := priv.(type) {
	case *rsa.PrivateKey:
		alg = jose.RS256
	case *ecdsa.PrivateKey:
		if p.Curve != elliptic.P384() {
			return errors.New("EC key is not P-384")
		}
		alg = jose.ES384
	default:
		return fmt.Errorf("unsupported key type %T", priv)
	}
	jwk := jose.JSONWebKey{Key: priv, Algorithm: string(alg), Use: "sig"}
	pub := jwk.Public()
	tp, err := pub.Thumbprint(crypto.SHA256)
	if err != nil {
		return err
	}
	jwk.KeyID = base64.RawURLEncoding.EncodeToString(tp)
	k.byAlg[alg] = jwk
	return nil
}

// jwks is the public key set.
func (k *wifKeys) jwks() jose.JSONWebKeySet {
	var set jose.JSONWebKeySet
	for _, alg := range []jose.SignatureAlgorithm{jose.RS256, jose.ES384} {
		priv := k.byAlg[alg]
		set.Keys = append(set.Keys, priv.Public())
	}
	return set
}

// webIdentityKeys returns the signing keys, making them on first use.
func (f *Fake) webIdentityKeys() (*wifKeys, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.wif.keys != nil {
		return f.wif.keys, nil
	}
	keys, err := newWIFKeys()
	if err != nil {
		return nil, err
	}
	f.wif.keys = keys
	return keys, nil
}

// serveJWKS answers /.well-known/jwks.json.
func (f *Fake) serveJWKS(w http.ResponseWriter) {
	keys, err := f.webIdentityKeys()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, keys.jwks())
}

// JWKS returns the JSON Web Key Set a broker must trust for the fake's
// tokens (what /.well-known/jwks.json serves).
func (f *Fake) JWKS() (jose.JSONWebKeySet, error) {
	keys, err := f.webIdentityKeys()
	if err != nil {
		return jose.JSONWebKeySet{}, err
	}
	return keys.jwks(), nil
}

// ReadWebIdentityJWKS returns the public JWKS of a key file written by
// GenerateWebIdentityKeys (what a fake using it serves).
func ReadWebIdentityJWKS(path string) (jose.JSONWebKeySet, error) {
	keys, err := readWIFKeys(path)
	if err != nil {
		return jose.JSONWebKeySet{}, err
	}
	return keys.jwks(), nil
}
