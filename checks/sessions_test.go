package checks

import (
	"testing"

	"github.com/esmdoctor/esmdoctor/secrets"
)

// A connection is shared only between runs whose handshake and login
// would answer alike: another password, user, mode or step budget is
// another connection; token logins and runs without Sessions share none.
func TestSessionKeys(t *testing.T) {
	pool := &Sessions{}
	state := func(auth Auth, user, password string) *State {
		s := &State{Cfg: Config{Auth: auth, Sessions: pool}, Step: 7500000000}
		s.Creds.SASL = &secrets.SASLCredentials{Username: user, Password: secrets.NewSecret(password)}
		return s
	}
	key := func(s *State) sessionKey {
		k, ok := s.sessionKey("b-1:9096")
		if !ok {
			t.Fatalf("%s: no key", s.auth())
		}
		return k
	}
	base := key(state(AuthSCRAM512, "alice", "pw-1"))
	if base != key(state(AuthSCRAM512, "alice", "pw-1")) {
		t.Fatal("the same login gave two keys")
	}
	other := state(AuthSCRAM512, "alice", "pw-1")
	other.Step *= 2
	for name, s := range map[string]*State{"password": state(AuthSCRAM512, "alice", "pw-2"), "user": state(AuthSCRAM512, "bob", "pw-1"),
		"mechanism": state(AuthSCRAM256, "alice", "pw-1"), "budget": other} {
		if key(s) == base {
			t.Errorf("another %s, the same key", name)
		}
	}
	if k, _ := state(AuthSCRAM512, "alice", "pw-1").sessionKey("b-2:9096"); k == base {
		t.Error("another broker, the same key")
	}
	for _, a := range []Auth{AuthIAM, AuthOAuth, AuthIAMOAuth} {
		if _, ok := state(a, "", "").sessionKey("b-1:9096"); ok {
			t.Errorf("%s: a token login is shared", a)
		}
	}
	alone := state(AuthSCRAM512, "alice", "pw-1")
	alone.Cfg.Sessions = nil
	if _, ok := alone.sessionKey("b-1:9096"); ok {
		t.Error("a run without Sessions shares")
	}
}
