package awsprobe

import (
	"context"
	"sync"
	"time"
)

// mappingMemo keeps the account's mapping list of the session's Region
// once a listing succeeded: esmdoctor scan lists every mapping and then
// checks each, and a mapping in a poller group needs the same list again
// (its group's members); one listing serves them all. A failed listing is
// not kept, so the next caller tries again.
type mappingMemo struct {
	mu   sync.Mutex
	list []Mapping
	ok   bool
}

// AccountMappings lists every event source mapping of the account in the
// session's Region (ListEventSourceMappings, every page), once per
// session; callers must not modify the result.
func (s *Session) AccountMappings(ctx context.Context, budget time.Duration) ([]Mapping, error) {
	if s.listed == nil {
		return s.Mappings(ctx, "", budget)
	}
	s.listed.mu.Lock()
	defer s.listed.mu.Unlock()
	if s.listed.ok {
		return s.listed.list, nil
	}
	list, err := s.Mappings(ctx, "", budget)
	if err != nil {
		return nil, err
	}
	s.listed.list, s.listed.ok = list, true
	return list, nil
}
