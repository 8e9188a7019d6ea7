// Command wifjwks serves the JWKS of the test bed's IAM outbound identity
// federation keys (testbed/awsfake's GetWebIdentityToken signs with them)
// at /.well-known/jwks.json, for the kafka4 broker's OAUTHBEARER listener
// to fetch. testbed.sh starts it before the broker, which reads the JWKS
// when it starts. With -gen it first writes a fresh key file.
//
//	wifjwks -keys .run/aws-wif/keys.pem -addr 127.0.0.1:19349 [-gen] [-cert c.pem -key k.pem]
//	wifjwks -issuer 123456789012   # print the account's issuer (awsfake.Issuer) and exit
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/esmdoctor/esmdoctor/testbed/awsfake"
)

func main() {
	keys := flag.String("keys", "", "key file (PKCS#8 PEM: one RSA, one P-384 key)")
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	gen := flag.Bool("gen", false, "write a fresh key file first")
	cert := flag.String("cert", "", "TLS certificate (PEM); plain HTTP without it")
	key := flag.String("key", "", "TLS key (PEM)")
	issuer := flag.String("issuer", "", "print this account's token issuer and exit")
	flag.Parse()
	if *issuer != "" {
		fmt.Println(awsfake.Issuer(*issuer))
		return
	}
	if err := run(*keys, *addr, *gen, *cert, *key); err != nil {
		fmt.Fprintln(os.Stderr, "wifjwks:", err)
		os.Exit(1)
	}
}

func run(keys, addr string, gen bool, cert, key string) error {
	if keys == "" {
		return errors.New("-keys is required")
	}
	if gen {
		if err := awsfake.GenerateWebIdentityKeys(keys); err != nil {
			return err
		}
	}
	set, err := awsfake.ReadWebIdentityJWKS(keys)
	if err != nil {
		return err
	}
	body, err := json.Marshal(set)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/jwks.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	if cert != "" {
		return srv.ListenAndServeTLS(cert, key)
	}
	return srv.ListenAndServe()
}
