package checks

import (
	"fmt"
	"strings"
)

// usualPorts are the MSK listener ports for each auth mode (esm-problems.md
// section 3); self-managed clusters often copy them.
var usualPorts = map[Auth][]int{
	AuthNone:      {9092},
	AuthTLS:       {9094, 9194},
	AuthMTLS:      {9094, 9194},
	AuthSCRAM512:  {9096, 9196},
	AuthSCRAM256:  {9096, 9196},
	AuthSASLPlain: {9096, 9196},
	AuthIAM:       {9098, 9198},
}

// portsHint says which ports would match the auth mode when port is not
// one of them; "" when it is.
func portsHint(a Auth, port int) string {
	ports := usualPorts[a]
	if len(ports) == 0 {
		// No MSK listener for the mode (OAUTHBEARER_AUTH and IAM_OAUTHBEARER_AUTH are
		// self-managed only): no usual port to compare with.
		return ""
	}
	for _, p := range ports {
		if p == port {
			return ""
		}
	}
	var s []string
	for _, p := range ports {
		s = append(s, fmt.Sprint(p))
	}
	return fmt.Sprintf("; port %d is not the usual port for --auth %s: MSK uses %s", port, a, strings.Join(s, " or "))
}
