package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
)

// httpsServer serves h over TLS; its certificate is trusted by the returned
// configuration.
func httpsServer(t *testing.T, h http.HandlerFunc) (*url.URL, *tls.Config) {
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	u, _ := url.Parse(srv.URL + "/token")
	return u, &tls.Config{RootCAs: pool, ServerName: "example.com"}
}

func TestPostFormAnswer(t *testing.T) {
	u, cfg := httpsServer(t, func(w http.ResponseWriter, r *http.Request) {
		user, pass, _ := r.BasicAuth()
		if r.Method != http.MethodPost || r.FormValue("grant_type") != "client_credentials" || user != "c%2B1" || pass != "s" {
			w.WriteHeader(http.StatusTeapot)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"x"}`))
	})
	// httptest's certificate names example.com and 127.0.0.1; the probe
	// sets ServerName from the URL, so verify against the IP.
	cfg.ServerName = ""
	o := PostForm(context.Background(), HTTPSPost{URL: u, TLS: cfg, Form: url.Values{"grant_type": {"client_credentials"}},
		BasicUser: "c%2B1", BasicPassword: "s", Budget: 2 * time.Second})
	if o.Err != nil || o.Phase != PhaseHTTP || o.Status != 200 || string(o.Body) != `{"access_token":"x"}` || o.ContentType != "application/json" {
		t.Fatalf("%+v", o)
	}
}

// A server that never answers is given up on within the budget, in the
// phase it stalled in, and a cancelled context ends the exchange at once.
func TestPostFormBounded(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	silent, _ := url.Parse("https://" + ln.Addr().String() + "/token")
	start := time.Now()
	o := PostForm(context.Background(), HTTPSPost{URL: silent, TLS: &tls.Config{}, Form: url.Values{}, Budget: 300 * time.Millisecond})
	if o.Phase != PhaseTLS || o.Err == nil || time.Since(start) > 2*time.Second {
		t.Fatalf("silent TLS peer: phase %s err %v after %s", o.Phase, o.Err, time.Since(start))
	}

	block := make(chan struct{})
	u, cfg := httpsServer(t, func(http.ResponseWriter, *http.Request) { <-block })
	t.Cleanup(func() { close(block) }) // before the server's Close, which waits for the handler
	cfg.ServerName = ""
	start = time.Now()
	o = PostForm(context.Background(), HTTPSPost{URL: u, TLS: cfg, Form: url.Values{}, Budget: 300 * time.Millisecond})
	if o.Phase != PhaseHTTP || o.Err == nil || time.Since(start) > 2*time.Second {
		t.Fatalf("silent HTTP server: phase %s err %v after %s", o.Phase, o.Err, time.Since(start))
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start = time.Now()
	o = PostForm(ctx, HTTPSPost{URL: u, TLS: cfg, Form: url.Values{}, Budget: time.Minute})
	if o.Err == nil || time.Since(start) > time.Second {
		t.Fatalf("cancelled: err %v after %s", o.Err, time.Since(start))
	}
}
