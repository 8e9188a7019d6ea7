package integration

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/model"
)

// TestIncompleteClientChain: the test bed's mTLS listener trusts only its
// root CA. A client certificate for esm-mtls issued by an intermediate
// (made here, signed with the test bed's CA key, in a temporary directory)
// connects when the secret carries the intermediate, and is rejected by
// the broker when the secret holds the leaf alone: the secret check warns
// (ESM-SECRET-103) and the tls failure (ESM-TLS-004, P10a) names where the
// chain stops instead of only blaming the broker's truststore. kcat,
// kafka-python and the Java client, given the same secret, agree.
func TestIncompleteClientChain(t *testing.T) {
	b := requireBed(t)
	dir := t.TempDir()
	caPEM := b.Get("CA_PEM")
	for _, f := range []string{"ca.pem", "ca.key"} {
		data, err := os.ReadFile(filepath.Join(filepath.Dir(caPEM), f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	p := &pemPKI{dir: dir, t: t}
	p.key("inter", "RSA")
	inter := p.issue("inter", "/CN=esm-mtls-intermediate", "ca", caExt)
	leafKey := p.key("leaf", "RSA")
	leaf := p.issue("leaf", "/CN="+b.Get("MTLS_PRINCIPAL"), "inter", clientExt)
	root := p.read("ca.pem")

	tests := []struct {
		name      string
		chain     string
		secret    model.Status
		secretCde string
		issuer    string // the issuer the warning names
		failCheck string
		failCode  string
	}{
		{"leaf, intermediate and root", leaf + inter + root, model.Pass, "", "", "", ""},
		{"leaf and intermediate", leaf + inter, model.Warn, "ESM-SECRET-103", "CN=esmdoctor testbed CA", "", ""},
		{"leaf only", leaf, model.Warn, "ESM-SECRET-103", "CN=esm-mtls-intermediate", "tls", "ESM-TLS-004"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, _ := json.Marshal(map[string]string{"certificate": tt.chain, "privateKey": leafKey})
			cfg := checks.Config{Bootstrap: b.hostPorts(b.Get("MTLS")), Topic: b.Get("TOPIC"), Auth: checks.AuthMTLS,
				Secret: &checks.SecretDoc{Source: "secret:intermediate-client", Data: data}, CA: b.ca("CA_PEM"),
				ConsumerGroup: b.Get("ESM_UUID"), Timeout: matrixTimeout}
			rs := checks.Run(context.Background(), cfg, nil)
			defer clientChainPeers(t, b, cfg, tt.failCheck == "")
			sec := resultOf(rs, "secret")
			if sec.Status != tt.secret || sec.Code != tt.secretCde {
				t.Fatalf("secret %s %s, want %s %s\n%s", sec.Status, sec.Code, tt.secret, tt.secretCde, dump(rs))
			}
			if tt.secretCde != "" && !strings.Contains(sec.Cause(), "issued by "+tt.issuer) {
				t.Errorf("secret warning does not name the missing issuer: %s", sec.Cause())
			}
			first, failed := firstFailure(rs)
			if tt.failCheck == "" {
				if failed {
					t.Fatalf("want no failure, got %s %s\n%s", first.ID, first.Code, dump(rs))
				}
				return
			}
			if first.ID != tt.failCheck || first.Code != tt.failCode {
				t.Fatalf("first failure %s %s, want %s %s\n%s", first.ID, first.Code, tt.failCheck, tt.failCode, dump(rs))
			}
			e, _ := first.Entry()
			if e.Problem != "P10a" {
				t.Errorf("PROBLEM %s, want P10a", e.Problem)
			}
			if c := first.Cause(); !strings.Contains(c, "the chain sent ends at CN=esm-mtls, issued by CN=esm-mtls-intermediate") {
				t.Errorf("tls cause does not name where the chain stops: %s", c)
			}
			if r := first.Remediation(); !strings.Contains(r, "add the missing intermediate certificates") {
				t.Errorf("tls fix does not give the secret-side fix: %s", r)
			}
			t.Logf("tls cause: %s", first.Cause())
		})
	}
}

// clientChainPeers consumes with kcat, kafka-python and the Java client
// using the same secret: each must consume exactly when esmdoctor passes.
func clientChainPeers(t *testing.T, b bed, cfg checks.Config, want bool) {
	s := settingsFor(t, cfg)
	for _, run := range []func(*testing.T, clientSettings) peerOutcome{runKcat, runKafkaPython, runJava(b)} {
		waitGroupEmpty(t, b, s.Group)
		if o := run(t, s); o.Consumed != want {
			t.Errorf("%s consumed=%v, want %v (%s)", o.Peer, o.Consumed, want, o.Detail)
		}
	}
}

// resultOf returns the result of check id.
func resultOf(rs []model.Result, id string) model.Result {
	for _, r := range rs {
		if r.ID == id {
			return r
		}
	}
	return model.Result{}
}
