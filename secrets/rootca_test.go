package secrets

import (
	"crypto/x509"
	"testing"
	"time"
)

func TestParseRootCA(t *testing.T) {
	pki := testPKI(t)
	past := time.Now().Add(-48 * time.Hour)
	oldRoot := issue(t, "old root", nil, certOpts{isCA: true, notBefore: past, notAfter: past.Add(time.Hour)})
	newRoot := issue(t, "future root", nil, certOpts{isCA: true, notBefore: time.Now().Add(time.Hour)})
	tests := []struct {
		name  string
		pem   string
		want  Kind // 0: accepted
		warns []Kind
	}{
		{"one root", pki.root.pem, 0, nil},
		{"bundle", chainPEM(pki.root, pki.inter), 0, nil},
		{"self-signed server certificate", pki.leaf.pem, 0, []Kind{KindNotCA}},
		{"an expired root beside a valid one", chainPEM(oldRoot, pki.root), 0, []Kind{KindExpired}},
		// Java ignores a trust anchor's dates: a warning, never a rejection.
		{"only an expired root", oldRoot.pem, 0, []Kind{KindExpired}},
		{"only a future root", newRoot.pem, 0, []Kind{KindNotYetValid}},
		{"private key", pkcs8PEM(t, ecKey(t)), KindWrongPEMType, nil},
		{"key after the root", pki.root.pem + pkcs8PEM(t, ecKey(t)), KindWrongPEMType, nil},
		{"garbage", "not pem", KindNoPEM, nil},
		{"truncated", pki.root.pem[:100], KindNoPEM, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			secret := mustJSON(t, map[string]string{"certificate": tt.pem})
			for name, parse := range map[string]func() (*RootCA, error){
				"secret": func() (*RootCA, error) { return ParseRootCASecret(secret, time.Now()) },
				"file":   func() (*RootCA, error) { return ParseCAFile([]byte(tt.pem), time.Now()) },
			} {
				ca, err := parse()
				if tt.want != 0 {
					wantKind(t, err, tt.want)
					continue
				}
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				checkKinds(t, ca.Warnings, tt.warns)
				if len(ca.Certs) == 0 || ca.Pool == nil {
					t.Errorf("%s: empty result", name)
				}
			}
		})
	}
}

func checkKinds(t *testing.T, ws []Warning, want []Kind) {
	t.Helper()
	if len(ws) != len(want) {
		t.Fatalf("warnings %v, want kinds %v", ws, want)
	}
	for i := range ws {
		if ws[i].Kind != want[i] {
			t.Errorf("warning %d: %v, want %v", i, ws[i], want[i])
		}
	}
}

func TestRootCASecretDocument(t *testing.T) {
	for doc, want := range map[string]Kind{
		`{}`:                   KindMissingKey,
		`{"certificate": 1}`:   KindWrongType,
		`{"Certificate": "x"}`: KindMissingKey,
		`-----BEGIN`:           KindNotJSON,
	} {
		_, err := ParseRootCASecret([]byte(doc), time.Now())
		wantKind(t, err, want)
	}
}

// TestRootCAVerifiesChain checks the pool really anchors the test chain.
func TestRootCAVerifiesChain(t *testing.T) {
	pki := testPKI(t)
	ca, err := ParseCAFile([]byte(pki.root.pem), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	inters := x509.NewCertPool()
	inters.AddCert(pki.inter.cert)
	opts := x509.VerifyOptions{Roots: ca.Pool, Intermediates: inters,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	if _, err := pki.leaf.cert.Verify(opts); err != nil {
		t.Fatal(err)
	}
}
