package checks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/probe"
)

// isSilent says whether a TLS observation is a server that accepted TCP and
// then never answered: no TLS answer, or no answer to the first Kafka
// request after the handshake.
func isSilent(o probe.TLSObservation) bool {
	err := o.Err
	if err == nil {
		err = o.PostErr
	}
	return err != nil && isTimeout(err)
}

// silentAmongHealthy turns a tls result whose only failures are silent
// servers, beside at least one that completed the handshake, into the
// ESM-TLS-102 warning, and drops the silent servers from s.Reachable so the
// later checks go through the healthy ones, as Kafka clients do: they
// bootstrap through any server that answers (a refusing one is the tcp
// check's ESM-TCP-101). ok is false when the rule does not apply.
func silentAmongHealthy(s *State, silent []string, failures, total int) (Outcome, bool) {
	if len(silent) == 0 || len(silent) != failures || failures == total {
		return Outcome{}, false
	}
	dropSilent(s, silent)
	return warn(catalog.TLS102, Args{"addr": strings.Join(silent, ", "), "budget": s.Step.String(),
		"reachable": fmt.Sprint(len(s.Reachable)), "total": fmt.Sprint(total)}), true
}

// dropSilent removes the silent servers from s.Reachable: later checks go
// through the servers that answer.
func dropSilent(s *State, silent []string) {
	s.Reachable = slices.DeleteFunc(s.Reachable, func(a string) bool { return slices.Contains(silent, a) })
}
