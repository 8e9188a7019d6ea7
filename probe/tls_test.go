package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/fixtures"
)

// tlsServer serves TLS 1.3 with the given client-auth policy; after the
// handshake it writes reply (if any) and closes.
func tlsServer(t *testing.T, auth tls.ClientAuthType, reply []byte) (addr string, ca *fixtures.CA) {
	t.Helper()
	ca, err := fixtures.NewCA("probe test CA")
	if err != nil {
		t.Fatal(err)
	}
	cert, _, _, err := ca.Server("localhost", []string{"localhost"}, []net.IP{net.ParseIP("127.0.0.1")})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}, ClientAuth: auth, ClientCAs: ca.Pool(), MinVersion: tls.VersionTLS13})
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
			go func() {
				defer c.Close()
				if err := c.(*tls.Conn).Handshake(); err != nil {
					return
				}
				buf := make([]byte, 64)
				_, _ = c.Read(buf)
				if reply != nil {
					_, _ = c.Write(reply)
				}
			}()
		}
	}()
	return ln.Addr().String(), ca
}

func TestHandshakeSeesTheClientCertificateRejection(t *testing.T) {
	addr, ca := tlsServer(t, tls.RequireAndVerifyClientCert, nil)
	obs := Handshake(context.Background(), addr, &tls.Config{RootCAs: ca.Pool(), ServerName: "localhost"}, 2*time.Second)
	if obs.Err != nil {
		t.Fatalf("TLS 1.3: the client's handshake completes before the server judges it: %v", obs.Err)
	}
	alert, ok := RemoteAlert(obs.PostErr)
	if !ok || alert != 116 || !obs.Requested || obs.ClientSent {
		t.Fatalf("alert %d %v, requested %v, sent %v (err %v)", alert, ok, obs.Requested, obs.ClientSent, obs.PostErr)
	}
}

func TestHandshakeReportsTheUnverifiedChain(t *testing.T) {
	addr, _ := tlsServer(t, tls.NoClientCert, nil)
	obs := Handshake(context.Background(), addr, &tls.Config{ServerName: "localhost"}, 2*time.Second)
	var unknown x509.UnknownAuthorityError
	if !errors.As(obs.Err, &unknown) || len(obs.PeerChain) == 0 || obs.PeerChain[0].Subject.CommonName != "localhost" {
		t.Fatalf("err %v, chain %d", obs.Err, len(obs.PeerChain))
	}
}

func TestHandshakeTellsANonKafkaPeer(t *testing.T) {
	addr, ca := tlsServer(t, tls.NoClientCert, []byte("HTTP/1.1 400 Bad Request\r\n\r\n"))
	obs := Handshake(context.Background(), addr, &tls.Config{RootCAs: ca.Pool(), ServerName: "localhost"}, 2*time.Second)
	var nk *NotKafkaError
	if obs.Err != nil || !errors.As(obs.PostErr, &nk) {
		t.Fatalf("err %v, post %v", obs.Err, obs.PostErr)
	}
}

func TestRemoteAlertIgnoresOtherErrors(t *testing.T) {
	for _, err := range []error{nil, errors.New("x"), &net.OpError{Op: "read", Err: errors.New("y")}} {
		if _, ok := RemoteAlert(err); ok {
			t.Errorf("RemoteAlert(%v) found an alert", err)
		}
	}
}

// The observation carries the handshake's duration (its deferred
// assignment once never reached the caller): a server that takes 30 ms to
// answer the ClientHello.
func TestHandshakeElapsedReachesTheCaller(t *testing.T) {
	ca, err := fixtures.NewCA("probe test CA")
	if err != nil {
		t.Fatal(err)
	}
	cert, _, _, err := ca.Server("localhost", []string{"localhost"}, []net.IP{net.ParseIP("127.0.0.1")})
	if err != nil {
		t.Fatal(err)
	}
	slow := &tls.Config{GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) {
		time.Sleep(30 * time.Millisecond)
		return &tls.Config{Certificates: []tls.Certificate{cert}}, nil
	}}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", slow)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err == nil {
			defer c.Close()
			_ = c.(*tls.Conn).Handshake()
		}
	}()
	obs := Handshake(context.Background(), ln.Addr().String(), &tls.Config{RootCAs: ca.Pool(), ServerName: "localhost"}, 2*time.Second)
	if obs.Err != nil || obs.Elapsed < 30*time.Millisecond {
		t.Fatalf("err %v, Elapsed %s, want at least the server's 30 ms", obs.Err, obs.Elapsed)
	}
}
