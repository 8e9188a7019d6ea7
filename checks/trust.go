package checks

import (
	"crypto/x509"
	"encoding/pem"
	"io"
	"os"

	"github.com/esmdoctor/esmdoctor/jvmtls"
)

// testRootsEnv names a PEM file whose certificates join the public roots.
// It exists for tests only: they stand the test bed's privately issued
// broker in for MSK, whose certificates chain to public roots. Lambda has
// no such setting, and esmdoctor never reads this machine's trust store.
const testRootsEnv = "ESMDOCTOR_TEST_PUBLIC_ROOTS"

// maxRootsFile bounds that file.
const maxRootsFile = 1 << 20

// brokerRoots are the trust anchors broker certificates are verified
// against: the SERVER_ROOT_CA_CERTIFICATE certificates, or nil for the
// public roots (with the test roots, if any, added).
func brokerRoots(s *State) []*x509.Certificate {
	if s.Creds.Roots != nil {
		return s.Creds.Roots.Certs
	}
	extra := testRoots(os.Getenv(testRootsEnv))
	if len(extra) == 0 {
		return nil
	}
	return append(jvmtls.PublicRoots(), extra...)
}

func testRoots(path string) []*x509.Certificate {
	if path == "" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxRootsFile))
	if err != nil {
		return nil
	}
	var out []*x509.Certificate
	for block, rest := pem.Decode(data); block != nil; block, rest = pem.Decode(rest) {
		if c, err := x509.ParseCertificate(block.Bytes); err == nil {
			out = append(out, c)
		}
	}
	return out
}
