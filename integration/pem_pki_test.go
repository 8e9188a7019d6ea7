package integration

import (
	"crypto/rand"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// pemPKI is the key material the PEM agreement cases are built from,
// generated with openssl at test time (nothing expires, nothing is stored):
// a root CA, an intermediate, an impostor intermediate with the same name
// and another key, client leaves of every key type, and the broker's
// certificate. Fields hold PEM text.
type pemPKI struct {
	dir string
	t   *testing.T

	root, inter, wrongInter         string // certificates
	leafR, leafRKey                 string // RSA client issued by the root
	leafI, leafIKey                 string // RSA client issued by the intermediate
	leafEC, leafECKey               string // EC P-256 client, issued by the root
	leafEd, leafEdKey               string // Ed25519 client, issued by the root
	leafDSA, leafDSAKey             string // DSA client, issued by the root
	leafServerOnly, leafServerOKey  string // RSA client whose EKU is serverAuth only
	leafUnderLeaf, leafUnderLeafKey string // RSA client issued by leafR, which is no CA
	otherKey                        string // an RSA key no certificate belongs to
	server, serverKey               string // broker: SAN localhost, issued by the root
}

const (
	caExt     = "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"
	clientExt = "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n"
)

// openssl runs openssl in dir and returns its standard output.
func openssl(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("openssl", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("openssl %s: %v: %s", strings.Join(args, " "), err, stderr)
	}
	return string(out)
}

// tryOpenssl is openssl that reports failure instead of failing the test.
func tryOpenssl(dir string, args ...string) (string, bool) {
	cmd := exec.Command("openssl", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	return string(out), err == nil
}

func newPemPKI(t *testing.T) *pemPKI {
	p := &pemPKI{dir: t.TempDir(), t: t}
	p.key("root", "RSA")
	p.root = p.selfSigned("root", "/CN=esm-pem-root")
	p.key("inter", "RSA")
	p.inter = p.issue("inter", "/CN=esm-pem-intermediate", "root", caExt)
	p.key("wrong-inter", "RSA")
	p.wrongInter = p.issue("wrong-inter", "/CN=esm-pem-intermediate", "root", caExt)
	p.leafRKey = p.key("leaf-r", "RSA")
	p.leafR = p.issue("leaf-r", "/CN=esm-pem-client", "root", clientExt)
	p.leafIKey = p.key("leaf-i", "RSA")
	p.leafI = p.issue("leaf-i", "/CN=esm-pem-client-via-intermediate", "inter", clientExt)
	p.leafECKey = p.key("leaf-ec", "EC")
	p.leafEC = p.issue("leaf-ec", "/CN=esm-pem-client-ec", "root", clientExt)
	p.leafEdKey = p.key("leaf-ed", "ED25519")
	p.leafEd = p.issue("leaf-ed", "/CN=esm-pem-client-ed25519", "root", clientExt)
	p.leafDSAKey = p.key("leaf-dsa", "DSA")
	p.leafDSA = p.issue("leaf-dsa", "/CN=esm-pem-client-dsa", "root", clientExt)
	p.leafServerOKey = p.key("leaf-so", "RSA")
	p.leafServerOnly = p.issue("leaf-so", "/CN=esm-pem-client-serverauth", "root", "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
	p.leafUnderLeafKey = p.key("leaf-ul", "RSA")
	p.leafUnderLeaf = p.issue("leaf-ul", "/CN=esm-pem-client-under-a-leaf", "leaf-r", clientExt)
	p.otherKey = p.key("other", "RSA")
	p.serverKey = p.key("server", "RSA")
	p.server = p.issue("server", "/CN=localhost", "root", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
	return p
}

// key generates name.key (PKCS#8, unencrypted) and returns it.
func (p *pemPKI) key(name, alg string) string {
	out := name + ".key"
	switch alg {
	case "RSA":
		openssl(p.t, p.dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", out)
	case "EC":
		openssl(p.t, p.dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", out)
	case "ED25519":
		openssl(p.t, p.dir, "genpkey", "-algorithm", "ED25519", "-out", out)
	case "DSA":
		openssl(p.t, p.dir, "genpkey", "-genparam", "-algorithm", "DSA", "-pkeyopt", "dsa_paramgen_bits:2048", "-out", name+".param")
		openssl(p.t, p.dir, "genpkey", "-paramfile", name+".param", "-out", out)
	}
	return p.read(out)
}

func (p *pemPKI) selfSigned(name, subject string) string {
	openssl(p.t, p.dir, "req", "-x509", "-new", "-key", name+".key", "-subj", subject, "-days", "30",
		"-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", name+".pem")
	return p.read(name + ".pem")
}

// issue signs name.key's certificate with issuer's key and returns it.
func (p *pemPKI) issue(name, subject, issuer, ext string) string {
	p.write(name+".ext", ext)
	openssl(p.t, p.dir, "req", "-new", "-key", name+".key", "-subj", subject, "-out", name+".csr")
	openssl(p.t, p.dir, "x509", "-req", "-in", name+".csr", "-CA", issuer+".pem", "-CAkey", issuer+".key",
		"-CAcreateserial", "-days", "30", "-extfile", name+".ext", "-out", name+".pem")
	return p.read(name + ".pem")
}

func (p *pemPKI) read(name string) string {
	data, err := os.ReadFile(filepath.Join(p.dir, name))
	if err != nil {
		p.t.Fatal(err)
	}
	return string(data)
}

func (p *pemPKI) write(name, data string) {
	if err := os.WriteFile(filepath.Join(p.dir, name), []byte(data), 0o600); err != nil {
		p.t.Fatal(err)
	}
}

// topk8 encrypts key with password and the given openssl pkcs8 options
// (-v1 ALG, -v2 CIPHER, -scrypt...), retrying with the legacy provider;
// ok is false when this openssl cannot produce the scheme at all.
func (p *pemPKI) topk8(key, password string, opts ...string) (string, bool) {
	p.write("in.key", key)
	args := append([]string{"pkcs8", "-topk8", "-in", "in.key", "-passout", "pass:" + password}, opts...)
	if out, ok := tryOpenssl(p.dir, args...); ok {
		return out, true
	}
	return tryOpenssl(p.dir, append(args, "-provider", "legacy", "-provider", "default")...)
}

// syntheticEPKI is an ENCRYPTED PRIVATE KEY whose algorithm is the PBES1
// scheme oid (PBEParameter: 8-byte salt, 2048 iterations) over random data.
func syntheticEPKI(t *testing.T, oid string) string {
	var id asn1.ObjectIdentifier
	for _, part := range strings.Split(oid, ".") {
		n, err := strconv.Atoi(part)
		if err != nil {
			t.Fatal(err)
		}
		id = append(id, n)
	}
	salt, data := make([]byte, 8), make([]byte, 1232)
	_, _ = rand.Read(salt)
	_, _ = rand.Read(data)
	params, err := asn1.Marshal(struct {
		Salt       []byte
		Iterations int
	}{salt, 2048})
	if err != nil {
		t.Fatal(err)
	}
	der, err := asn1.Marshal(struct {
		Algo pkix.AlgorithmIdentifier
		Data []byte
	}{pkix.AlgorithmIdentifier{Algorithm: id, Parameters: asn1.RawValue{FullBytes: params}}, data})
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: der}))
}

// traditional converts a PKCS#8 key to OpenSSL's traditional form
// (PKCS#1 for RSA, SEC1 for EC).
func (p *pemPKI) traditional(key string) string {
	p.write("in.key", key)
	return openssl(p.t, p.dir, "pkey", "-in", "in.key", "-traditional")
}

// ecParams is an EC PARAMETERS block, as openssl ecparam writes before a key.
func (p *pemPKI) ecParams() string {
	return openssl(p.t, p.dir, "ecparam", "-name", "prime256v1")
}
