package checks

import (
	"net/netip"

	"github.com/esmdoctor/esmdoctor/secrets"
)

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }

func saslCreds(user string) *secrets.SASLCredentials {
	return &secrets.SASLCredentials{Username: user, Password: secrets.NewSecret("not-used-here")}
}
