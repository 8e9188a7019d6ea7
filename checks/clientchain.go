package checks

import (
	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/secrets"
)

// clientDescription names the client certificate esmdoctor presented, for
// the tls check's causes. When the secret's chain stops at a certificate
// that is not self-signed it says so: a broker that trusts only the root
// rejects a leaf sent without its intermediate, and the secret check's
// ESM-SECRET-103 warning is then the cause.
func clientDescription(cc *secrets.ClientCertificate) string {
	d := "client certificate " + cc.Chain[0].Subject.String()
	if note := cc.IncompleteChain(); note != "" {
		d += "; " + note + " (" + catalog.SECRET103 + "): unless the broker trusts that issuer itself, the chain is incomplete"
	}
	return d
}
