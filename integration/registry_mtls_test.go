package integration

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/model"
)

// mtlsRegistry fronts the bed's Apicurio with a TLS listener that requires
// a client certificate from the bed's CA, and returns its ccompat URL.
// Apicurio itself cannot require one (quarkus.http.ssl.client-auth is fixed
// to NONE when it is built), so this proxy is the registry's TLS side only:
// every answer still comes from the real registry, the proxy adding the
// registry's basic credentials as a gateway in front of it would.
func mtlsRegistry(t *testing.T, r registryBed) string {
	t.Helper()
	up, err := url.Parse(r.Get("REGISTRY_URL"))
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: up.Scheme, Host: up.Host})
	direct := proxy.Director
	proxy.Director = func(req *http.Request) {
		direct(req)
		req.SetBasicAuth(r.Get("REGISTRY_USER"), r.Get("REGISTRY_PASSWORD"))
	}
	certs := filepath.Dir(r.Get("CA_PEM"))
	cert, err := tls.LoadX509KeyPair(filepath.Join(certs, "broker.crt"), filepath.Join(certs, "broker.key"))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(r.file("CA_PEM"))
	srv := httptest.NewUnstartedServer(proxy)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	return "https://localhost:" + u.Port() + up.Path
}

// CLIENT_CERTIFICATE_TLS_AUTH: the bed's client certificate passes; none,
// and one from another CA, fail at TLS.
func TestRegistryClientCertificate(t *testing.T) {
	r := requireRegistry(t)
	uri := mtlsRegistry(t, r)
	ca := r.secret(t, awsRegion, "registry-mtls-ca", r.caJSON(), "")
	good := r.secret(t, awsRegion, "registry-mtls", r.mtlsJSON(t), "")
	bad := r.secret(t, awsRegion, "registry-mtls-untrusted", string(r.mtlsDoc("CLIENT_UNTRUSTED_CERT_PEM", "CLIENT_UNTRUSTED_KEY_PEM", "").Data), "")
	access := func(cert string) []awsprobe.AccessConfig {
		a := []awsprobe.AccessConfig{{Type: "SERVER_ROOT_CA_CERTIFICATE", URI: ca}}
		if cert != "" {
			a = append(a, awsprobe.AccessConfig{Type: "CLIENT_CERTIFICATE_TLS_AUTH", URI: cert})
		}
		return a
	}
	rs, got := r.runRegistry(t, r.Get("REGISTRY_TOPIC_AVRO"), confluent(uri, access(good), "VALUE"))
	wantRegistry(t, rs, got, model.Pass, "", "it asked for a client certificate", "CLIENT_CERTIFICATE_TLS_AUTH as CN=", "schema id "+r.Get("REGISTRY_AVRO_ID")+" (AVRO)")

	rs, got = r.runRegistry(t, r.Get("REGISTRY_TOPIC_AVRO"), confluent(uri, access(""), "VALUE"))
	wantRegistry(t, rs, got, model.Fail, "ESM-REGISTRY-005", "requires a client certificate and none was given", "add a CLIENT_CERTIFICATE_TLS_AUTH")

	rs, got = r.runRegistry(t, r.Get("REGISTRY_TOPIC_AVRO"), confluent(uri, access(bad), "VALUE"))
	wantRegistry(t, rs, got, model.Fail, "ESM-REGISTRY-005", "rejected the client certificate")
}
