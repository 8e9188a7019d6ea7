package lab

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/fixtures"
	"github.com/twmb/franz-go/pkg/kfake"
)

// Lab is a running scenario: its brokers (or its fake ports) and the
// configuration that points esmdoctor at them.
type Lab struct {
	// Config points at the scenario: bootstrap servers, topic, auth mode,
	// secrets and consumer group. Timeout is left zero for the caller.
	Config checks.Config
	// Secrets lists every secret value the scenario uses (passwords, key
	// PEM, key password), for the redactor.
	Secrets []string

	clusters  []*kfake.Cluster
	closers   []func()
	admin     *adminAccess // superuser access to the scenario's cluster, if any
	closeOnce sync.Once
}

// Start brings scenario name up on 127.0.0.1 ephemeral ports and returns
// a configuration that points at it. The caller must Close the Lab.
func Start(ctx context.Context, name string) (*Lab, error) {
	return start(ctx, name)
}

// start is Start with extra kfake options for the scenario's cluster
// (tests use them to observe the brokers).
func start(ctx context.Context, name string, extra ...kfake.Opt) (*Lab, error) {
	s, ok := lookupSpec(name)
	if !ok {
		return nil, fmt.Errorf("unknown lab scenario %q (esmdoctor lab --list shows them)", name)
	}
	return startSpec(ctx, s, extra...)
}

// startSpec brings up any spec, listed or not (tests run variants).
func startSpec(ctx context.Context, s spec, extra ...kfake.Opt) (*Lab, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b, err := newBuilder(s.Name, extra)
	if err != nil {
		return nil, fmt.Errorf("lab %s: %w", s.Name, err)
	}
	if err := s.up(ctx, b); err != nil {
		b.lab.Close()
		return nil, fmt.Errorf("lab %s: %w", s.Name, err)
	}
	return b.lab, nil
}

// Close stops every broker and listener of the scenario; it is safe to
// call more than once.
func (l *Lab) Close() {
	l.closeOnce.Do(func() {
		for i := len(l.closers) - 1; i >= 0; i-- {
			l.closers[i]()
		}
		for _, c := range l.clusters {
			c.Close()
		}
	})
}

func (l *Lab) onClose(fn func()) { l.closers = append(l.closers, fn) }

// addSecrets records secret values for the redactor.
func (l *Lab) addSecrets(values ...string) { l.Secrets = append(l.Secrets, values...) }

// builder holds what every scenario draws on: a CA, generated passwords,
// the lab being built and the caller's extra kfake options.
type builder struct {
	name  string
	lab   *Lab
	ca    *fixtures.CA
	extra []kfake.Opt
	// admin is the superuser the lab seeds records with; user is the
	// mapping's principal.
	admin, user credentials
}

type credentials struct{ name, pass string }

func newBuilder(name string, extra []kfake.Opt) (*builder, error) {
	ca, err := fixtures.NewCA("esmdoctor lab CA (" + name + ")")
	if err != nil {
		return nil, err
	}
	b := &builder{name: name, lab: &Lab{}, ca: ca, extra: extra,
		admin: credentials{"lab-admin", newPassword()}, user: credentials{"lambda-esm", newPassword()}}
	b.lab.addSecrets(b.admin.pass, b.user.pass)
	return b, nil
}

// newPassword is a fresh random password; long enough that the redactor
// never confuses it with ordinary report text.
func newPassword() string {
	p := make([]byte, 12)
	_, _ = rand.Read(p) // crypto/rand.Read never fails (Go 1.24+)
	return "lab-" + hex.EncodeToString(p)
}

// source names a secret document of this scenario.
func (b *builder) source(what string) string { return "lab:" + b.name + " " + what }
