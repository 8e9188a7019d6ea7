package awsprobe

import (
	"context"
	"net/url"
	"sort"

	"github.com/esmdoctor/esmdoctor/netaudit"
)

// maxPrefixLists bounds the managed prefix lists read per audit: a VPC's
// rules rarely name more than a handful; the rest stay unread (their rules
// undecided, a warning).
const maxPrefixLists = 20

// prefixListPage is GetManagedPrefixListEntries' largest page.
const prefixListPage = 100

// prefixLists reads the entries of every managed prefix list the security
// groups and route tables reference (ec2:GetManagedPrefixListEntries), so
// the rules are evaluated by their CIDRs. A list esmdoctor may not read
// is left out, not a failure: its rules become warnings.
func (r *reader) prefixLists(ctx context.Context) {
	for i, id := range referencedLists(r.out.Net) {
		if i >= maxPrefixLists {
			r.out.Truncated = true
			return
		}
		var cidrs []string
		var page prefixListEntriesAnswer
		ok := r.paged(ctx, "GetManagedPrefixListEntries", url.Values{"PrefixListId": {id}}, min(r.size, prefixListPage), func() (any, func() string) {
			page = prefixListEntriesAnswer{}
			return &page, func() string {
				cidrs = append(cidrs, page.CIDRs...)
				return page.Next
			}
		})
		if !ok {
			code, _, _ := ErrorCode(r.out.Err)
			r.out.Unread = append(r.out.Unread, id+" ("+code+")")
			r.out.Operation, r.out.Err = "", nil
			continue
		}
		r.out.Net.PrefixLists[id] = prefixes(cidrs)
	}
}

// referencedLists are the prefix lists the snapshot's rules and routes name.
func referencedLists(n netaudit.Network) []string {
	seen := map[string]bool{}
	for _, g := range n.Groups {
		for _, rule := range append(append([]netaudit.Rule(nil), g.Ingress...), g.Egress...) {
			for _, pl := range rule.PrefixLists {
				seen[pl] = true
			}
		}
	}
	for _, t := range n.Tables {
		for _, rt := range t.Routes {
			if rt.PrefixList != "" {
				seen[rt.PrefixList] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}
