package checks

import (
	"context"
	"fmt"
	"github.com/esmdoctor/esmdoctor/catalog"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/esmdoctor/esmdoctor/probe"
)

var tcpCheck = Check{
	ID:    "tcp",
	Title: "can open TCP connections to the bootstrap brokers",
	Needs: []string{"dns"},
	Run:   runTCP,
}

func runTCP(ctx context.Context, s *State) Outcome {
	type target struct{ server, addr int }
	var addrs []string
	var targets []target
	ok := make([]bool, len(s.bootstrap()))
	var detail []string
	for i, hp := range s.bootstrap() {
		if s.borrowForTCP(hp.String(), s.Resolved[i]) {
			ok[i] = true
			detail = append(detail, fmt.Sprintf("%s (%s): connected (%s)", hp, s.Resolved[i][0], sharedNote))
			continue
		}
		for _, ip := range s.Resolved[i] {
			addrs = append(addrs, net.JoinHostPort(ip.String(), strconv.Itoa(hp.Port)))
			targets = append(targets, target{server: i})
		}
	}
	obs := probe.DialAll(ctx, addrs, s.Step)
	var firstFail *Outcome
	for j, o := range obs {
		hp := s.bootstrap()[targets[j].server]
		if o.Err == nil {
			ok[targets[j].server] = true
			detail = append(detail, fmt.Sprintf("%s (%s): connected in %s", hp, o.Addr, o.Elapsed))
			continue
		}
		f := classifyDial(o.Err, o.Addr, hp.Port, s.auth(), s.Step)
		detail = append(detail, fmt.Sprintf("%s (%s): %s after %s", hp, o.Addr, catalogTitle(f.Code), o.Elapsed))
		if firstFail == nil {
			firstFail = &f
		}
	}
	s.Reachable = nil
	for i, hp := range s.bootstrap() {
		if ok[i] {
			s.Reachable = append(s.Reachable, hp.String())
		}
	}
	if hint := portsHint(s.auth(), s.bootstrap()[0].Port); hint != "" && firstFail == nil {
		detail = append(detail, "note: "+strings.TrimPrefix(hint, "; "))
	}
	switch {
	case firstFail == nil:
		return pass(detail...)
	case len(s.Reachable) == 0:
		return firstFail.withDetail(detail...)
	}
	failed := 0
	for _, o := range obs {
		if o.Err != nil {
			failed++
		}
	}
	return warn(catalog.TCP101, Args{"reachable": fmt.Sprint(len(s.Reachable)), "total": fmt.Sprint(len(s.bootstrap())),
		"failed": fmt.Sprint(failed), "addresses": fmt.Sprint(len(obs)),
		"detail": catalogTitle(firstFail.Code) + " at " + firstFail.Args["addr"]}, detail...)
}

// classifyDial maps a failed TCP connect to a code.
func classifyDial(err error, addr string, port int, auth Auth, budget time.Duration) Outcome {
	args := Args{"addr": addr, "port": fmt.Sprint(port), "budget": budget.String(), "ports_hint": portsHint(auth, port), "detail": shortErr(err, "")}
	switch {
	case isRefused(err):
		return fail(catalog.TCP001, args)
	case isUnreachable(err):
		return fail(catalog.TCP003, args)
	case isTimeout(err):
		return fail(catalog.TCP002, args)
	}
	return fail(catalog.TCP003, args)
}
