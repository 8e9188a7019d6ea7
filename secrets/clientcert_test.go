package secrets

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"strings"
	"testing"
	"time"
)

// mtlsCase is one client certificate secret and what must come of it.
type mtlsCase struct {
	name string
	doc  []byte
	want Kind // 0: accepted
	warn Kind // 0: no particular warning expected
}

// mtlsCases builds every mTLS case; redaction_test.go reuses them with a
// canary password.
func mtlsCases(t *testing.T, password string) []mtlsCase {
	pki := testPKI(t)
	plain := pkcs8PEM(t, pki.rsaKey)
	enc := topk8(t, plain, password, "-v1", "PBE-SHA1-3DES")
	good := chainPEM(pki.leaf, pki.inter, pki.root)
	past := time.Now().Add(-48 * time.Hour)
	expired := issue(t, "expired client", pki.inter, certOpts{key: pki.rsaKey, notBefore: past, notAfter: past.Add(time.Hour)})
	future := issue(t, "future client", pki.inter, certOpts{key: pki.rsaKey, notBefore: time.Now().Add(time.Hour)})
	serverOnly := issue(t, "server only", pki.inter, certOpts{key: pki.rsaKey, eku: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
	notCA := issue(t, "not a ca", pki.root, certOpts{})
	underNotCA := issue(t, "client under a non-CA", notCA, certOpts{key: pki.rsaKey})
	edKey := ed25519Key(t)
	edLeaf := issue(t, "ed25519 client", pki.inter, certOpts{key: edKey})
	impostor := issue(t, "test intermediate", pki.root, certOpts{isCA: true})
	doc := func(cert, key, pw string) []byte { return mtlsDoc(t, cert, key, pw) }
	return []mtlsCase{
		{"unencrypted", doc(good, plain, ""), 0, 0},
		{"leaf only", doc(pki.leaf.pem, plain, ""), 0, KindChainIncomplete},
		{"leaf and intermediate", doc(chainPEM(pki.leaf, pki.inter), plain, ""), 0, KindChainIncomplete},
		{"pbes1 3des", doc(good, enc, password), 0, 0},
		{"pbes1 2des", doc(good, topk8(t, plain, password, "-v1", "PBE-SHA1-2DES"), password), KindJavaUnsupportedPBE, 0},
		{"wrong password", doc(good, enc, password+"x"), KindWrongPassword, 0},
		{"password missing", doc(good, enc, ""), KindPasswordMissing, 0},
		{"password unused", doc(good, plain, password), KindPasswordUnused, 0},
		{"empty password on an unencrypted key", mustJSON(t, map[string]string{"certificate": good, "privateKey": plain, "privateKeyPassword": ""}), KindPasswordUnused, 0},
		{"null password", mustJSON(t, map[string]any{"certificate": good, "privateKey": plain, "privateKeyPassword": nil}), 0, 0},
		{"password not ascii", doc(good, topk8(t, plain, password+"é", "-v1", "PBE-SHA1-3DES"), password+"é"), KindPasswordNotASCII, 0},
		{"password with a control character", doc(good, topk8(t, plain, "a\tb", "-v1", "PBE-SHA1-3DES"), "a\tb"), KindPasswordNotASCII, 0},
		{"password trimmed by kafka", doc(good, topk8(t, plain, password+" ", "-v1", "PBE-SHA1-3DES"), password+" "), KindPasswordWhitespace, 0},
		{"password newline only in the secret", doc(good, enc, password+"\n"), 0, KindSurroundingWhitespace},
		{"password only whitespace", doc(good, enc, " \n"), KindPasswordMissing, 0},
		{"two keys", doc(good, plain+pkcs8PEM(t, ecKey(t)), ""), KindManyKeys, 0},
		{"ed25519 key", doc(chainPEM(edLeaf, pki.inter, pki.root), pkcs8PEM(t, edKey), ""), KindBadKey, 0},
		{"key block in the certificate field", doc(good+plain, plain, ""), 0, KindIgnoredPEMBlock},
		{"certificate block in the key field", doc(good, pki.leaf.pem+plain, ""), 0, KindIgnoredPEMBlock},
		{"indented", doc(indent(good), indent(plain), ""), 0, KindPEMLayout},
		{"certificate on one line", doc(oneLine(good), plain, ""), KindKeyMismatch, 0},
		{"key on one line", doc(good, oneLine(plain), ""), 0, KindPEMLayout},
		{"root repeated", doc(good+pki.root.pem, plain, ""), KindChainOrder, 0},
		{"wrong intermediate with the right name", doc(chainPEM(pki.leaf, impostor, pki.root), plain, ""), KindChainSignature, 0},
		{"pbes2", doc(good, topk8(t, plain, password), password), KindPBES2, 0},
		{"pkcs1 key", doc(good, openssl(t, plain, "", "rsa", "-traditional"), ""), KindNotPKCS8, 0},
		{"sec1 key", doc(good, openssl(t, "", "", "ecparam", "-name", "prime256v1", "-genkey"), ""), KindNotPKCS8, 0},
		{"certificate where the key belongs", doc(good, pki.leaf.pem, ""), KindWrongPEMType, 0},
		{"key where the certificate belongs", doc(plain, plain, ""), KindWrongPEMType, 0},
		{"truncated certificate", doc(good[:len(good)-40], plain, ""), 0, KindPEMLayout},
		{"truncated single certificate", doc(pki.leaf.pem[:len(pki.leaf.pem)-40], plain, ""), KindNoPEM, 0},
		{"truncated key", doc(good, enc[:len(enc)/2], password), KindNoPEM, 0},
		{"garbage certificate", doc("not a certificate", plain, ""), KindNoPEM, 0},
		{"glued certificates", doc(strings.Replace(good, "-----\n-----BEGIN", "----------BEGIN", 1), plain, ""), KindChainOrder, 0},
		{"corrupt certificate", doc(pemOf("CERTIFICATE", []byte{0x30, 1, 0}), plain, ""), KindBadCertificate, 0},
		{"not json", []byte("certificate=" + good), KindNotJSON, 0},
		{"json array", []byte(`[1, 2]`), KindNotJSON, 0},
		{"missing certificate", mustJSON(t, map[string]string{"privateKey": plain}), KindMissingKey, 0},
		{"missing key", mustJSON(t, map[string]string{"certificate": good}), KindMissingKey, 0},
		{"empty key", doc(good, "", ""), KindMissingKey, 0},
		{"key is a number", mustJSON(t, map[string]any{"certificate": good, "privateKey": 42}), KindWrongType, 0},
		{"password is an object", mustJSON(t, map[string]any{"certificate": good, "privateKey": enc, "privateKeyPassword": map[string]string{"p": password}}), KindWrongType, 0},
		{"too large", doc(good+strings.Repeat(" ", MaxDocumentSize), plain, ""), KindTooLarge, 0},
		{"key mismatch", doc(good, pkcs8PEM(t, ecKey(t)), ""), KindKeyMismatch, 0},
		{"root first", doc(chainPEM(pki.root, pki.inter, pki.leaf), plain, ""), KindChainOrder, 0},
		{"intermediate missing in the middle", doc(chainPEM(pki.leaf, pki.root, pki.inter), plain, ""), KindChainOrder, 0},
		{"issuer not a ca", doc(chainPEM(underNotCA, notCA, pki.root), plain, ""), KindNotCA, 0},
		{"expired leaf", doc(chainPEM(expired, pki.inter, pki.root), plain, ""), KindExpired, 0},
		{"not yet valid leaf", doc(chainPEM(future, pki.inter, pki.root), plain, ""), KindNotYetValid, 0},
		{"server-only leaf", doc(chainPEM(serverOnly, pki.inter, pki.root), plain, ""), KindNoClientAuth, 0},
	}
}

func TestParseClientCertificate(t *testing.T) {
	requireOpenSSL(t)
	for _, tt := range mtlsCases(t, "s3cret-Pass") {
		t.Run(tt.name, func(t *testing.T) {
			cc, err := ParseClientCertificate(tt.doc, time.Now())
			if tt.want != 0 {
				wantKind(t, err, tt.want)
				return
			}
			if err != nil {
				t.Fatalf("want success, got %v", err)
			}
			if tt.warn != 0 && !hasWarning(cc.Warnings, tt.warn) {
				t.Errorf("warnings %v: want %v", cc.Warnings, tt.warn)
			}
			if tt.warn == 0 && len(cc.Warnings) > 0 {
				t.Errorf("unexpected warnings %v", cc.Warnings)
			}
			if cc.PrivateKey == nil || len(cc.TLS.Certificate) != len(cc.Chain) {
				t.Error("no usable key or TLS certificate")
			}
		})
	}
}

// TestClientCertificateCompletesHandshake proves the result is usable: a TLS
// server that requires and verifies client certificates accepts it.
func TestClientCertificateCompletesHandshake(t *testing.T) {
	pki := testPKI(t)
	cc, err := ParseClientCertificate(mtlsDoc(t, chainPEM(pki.leaf, pki.inter), pkcs8PEM(t, pki.rsaKey), ""), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(pki.root.cert)
	server := issue(t, "localhost", pki.inter, certOpts{dnsNames: []string{"localhost"}})
	serverCert := tls.Certificate{Certificate: [][]byte{server.cert.Raw, pki.inter.cert.Raw}, PrivateKey: server.key}
	cConn, sConn := net.Pipe()
	defer cConn.Close()
	defer sConn.Close()
	errc := make(chan error, 1)
	go func() {
		srv := tls.Server(sConn, &tls.Config{Certificates: []tls.Certificate{serverCert},
			ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: roots})
		errc <- srv.Handshake()
	}()
	cli := tls.Client(cConn, &tls.Config{Certificates: []tls.Certificate{cc.TLS}, RootCAs: roots, ServerName: "localhost"})
	if err := cli.Handshake(); err != nil {
		t.Fatalf("client handshake: %v", err)
	}
	if err := <-errc; err != nil {
		t.Fatalf("server handshake: %v", err)
	}
}

// opensslChain makes a CA (req -x509) and a client certificate (x509 -req)
// with the openssl binary, and returns them with the client key encrypted
// as PBES1 3DES under "pw". signArgs are added to the x509 -req command.
func opensslChain(t *testing.T, signArgs ...string) (leaf, root, key string) {
	requireOpenSSL(t)
	dir := t.TempDir()
	run := func(args ...string) string { return openssl(t, "", "pw", args...) }
	run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir+"/ca.key", "-out", dir+"/ca.pem",
		"-days", "2", "-subj", "/CN=openssl root", "-addext", "basicConstraints=critical,CA:TRUE")
	run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", dir+"/leaf.key",
		"-out", dir+"/leaf.csr", "-subj", "/CN=openssl client")
	writeFile(t, dir+"/ext", "extendedKeyUsage=clientAuth\n")
	leaf = run(append([]string{"x509", "-req", "-in", dir + "/leaf.csr", "-CA", dir + "/ca.pem",
		"-CAkey", dir + "/ca.key", "-days", "1", "-extfile", dir + "/ext"}, signArgs...)...)
	key = run("pkcs8", "-topk8", "-v1", "PBE-SHA1-3DES", "-in", dir+"/leaf.key", "-passout", "env:ESMD_PW")
	return leaf, readFile(t, dir+"/ca.pem"), key
}

// TestOpenSSLMadeChain feeds certificates and a PBES1 key made by openssl.
func TestOpenSSLMadeChain(t *testing.T) {
	leaf, root, key := opensslChain(t)
	cc, err := ParseClientCertificate(mtlsDoc(t, leaf+root, key, "pw"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if cc.KeyEncryption != "PBES1 (pbeWithSHAAnd3-KeyTripleDES-CBC)" || len(cc.Warnings) != 0 {
		t.Errorf("encryption %q warnings %v", cc.KeyEncryption, cc.Warnings)
	}
	_, err = ParseClientCertificate(mtlsDoc(t, root+leaf, key, "pw"), time.Now())
	wantKind(t, err, KindChainOrder)
	_, err = ParseClientCertificate(mtlsDoc(t, leaf+root, key, "pw"), time.Now().Add(72*time.Hour))
	wantKind(t, err, KindExpired)
}

// TestSHA1SignedChainIsAWarning: crypto/x509 refuses to check SHA-1
// signatures, so the chain link is reported as unverified, not as disorder.
func TestSHA1SignedChainIsAWarning(t *testing.T) {
	leaf, root, key := opensslChain(t, "-sha1")
	cc, err := ParseClientCertificate(mtlsDoc(t, leaf+root, key, "pw"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !hasWarning(cc.Warnings, KindUnverifiedSignature) {
		t.Errorf("warnings %v", cc.Warnings)
	}
}

// TestUnverifiableKeyIsAWarning: a key whose iteration count is beyond
// esmdoctor's work limit is not decrypted, but Java loads it, so the
// certificate checks still run.
func TestUnverifiableKeyIsAWarning(t *testing.T) {
	pki := testPKI(t)
	key := epkiPEM(t, oidOf("1.2.840.113549.1.12.1.3"), pbeParams{Salt: make([]byte, 8), Iterations: maxIterations + 1}, make([]byte, 16))
	cc, err := ParseClientCertificate(mtlsDoc(t, chainPEM(pki.leaf, pki.inter, pki.root), key, "pw"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if cc.PrivateKey != nil || !hasWarning(cc.Warnings, KindUnverifiablePBE) {
		t.Errorf("key %v warnings %v", cc.PrivateKey != nil, cc.Warnings)
	}
}

// TestMD2SchemeFailsAsInJava: Java 17 has no key factory for the MD2
// schemes, so Kafka's loader rejects the key before any password check.
func TestMD2SchemeFailsAsInJava(t *testing.T) {
	pki := testPKI(t)
	key := epkiPEM(t, oidOf("1.2.840.113549.1.5.1"), pbeParams{Salt: make([]byte, 8), Iterations: 1}, make([]byte, 16))
	_, err := ParseClientCertificate(mtlsDoc(t, pki.leaf.pem, key, "pw"), time.Now())
	wantKind(t, err, KindJavaUnsupportedPBE)
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n  ") + "\n"
}

func oneLine(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\n", " ")) }
