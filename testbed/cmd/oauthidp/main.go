// Command oauthidp serves the test bed's OAuth 2.0 authorization server
// (testbed/oauthidp) over HTTPS on loopback. testbed.sh up starts it before
// the kafka4 node, whose OAUTHBEARER listener fetches its JWK Set.
//
//	oauthidp -addr 127.0.0.1:19330 -config idp.json -signing-key signing.pem -tls-cert idp.pem -tls-key idp.key
//
// The signing key (RSA, PKCS#8 PEM) is created when the file does not exist,
// so a restart keeps the key the broker already trusts.
package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/esmdoctor/esmdoctor/testbed/oauthidp"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:19330", "listen address")
	config := flag.String("config", "", "registry: JSON of oauthidp.Config")
	signing := flag.String("signing-key", "", "RSA signing key (PKCS#8 PEM); created when missing")
	cert := flag.String("tls-cert", "", "server certificate chain (PEM)")
	key := flag.String("tls-key", "", "server private key (PEM)")
	flag.Parse()
	log.SetFlags(log.LstdFlags | log.LUTC)
	log.SetPrefix("oauthidp: ")
	if err := run(*addr, *config, *signing, *cert, *key); err != nil {
		log.Fatal(err)
	}
}

func run(addr, config, signing, cert, key string) error {
	raw, err := os.ReadFile(config)
	if err != nil {
		return err
	}
	var cfg oauthidp.Config
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return fmt.Errorf("%s: %w", config, err)
	}
	sk, err := signingKey(signing)
	if err != nil {
		return err
	}
	srv, err := oauthidp.New(cfg, sk)
	if err != nil {
		return err
	}
	pair, err := tls.LoadX509KeyPair(cert, key)
	if err != nil {
		return err
	}
	hs := &http.Server{Addr: addr, Handler: logRequests(srv.Handler()), ReadHeaderTimeout: 5 * time.Second,
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}}
	log.Printf("serving %s on https://%s (token endpoint %s, JWKS %s)", cfg.Issuer, addr, srv.TokenURL(), srv.JWKSURL())
	return hs.ListenAndServeTLS("", "")
}

// signingKey reads the RSA signing key, creating it when the file is missing.
func signingKey(path string) (*rsa.PrivateKey, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, err
		}
		der, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			return nil, err
		}
		return k, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
	}
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(raw)
	if block == nil {
		return nil, fmt.Errorf("%s: no PEM block", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%s: not an RSA key", path)
	}
	return rk, nil
}

// logRequests logs each request's method, path and status (never a body
// or a header: they carry secrets and tokens).
func logRequests(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rw, r)
		log.Printf("%s %s -> %d", r.Method, r.URL.Path, rw.status)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}
