package main

import (
	"slices"
	"strings"
	"sync"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/redact"
	"github.com/esmdoctor/esmdoctor/vpcprobe"
	"github.com/urfave/cli/v2"
)

// probeGroup is the mappings one probe function checks: those sharing
// subnets, security groups and role.
type probeGroup struct {
	net   inVPCNetwork
	idx   []int // entries of the scan
	cfgs  []checks.Config
	reads []*mappingRead
}

// groupKey identifies a network and role regardless of order.
func groupKey(n inVPCNetwork) string {
	sub, sg := slices.Sorted(slices.Values(n.subnets)), slices.Sorted(slices.Values(n.securityGroups))
	return strings.Join(sub, ",") + "|" + strings.Join(sg, ",") + "|" + n.role
}

// scanInVPC checks the mappings inside their VPCs: one probe function per
// distinct (subnets, security groups, role), groups run --parallel at a
// time, each function checking its mappings. Mappings without subnets
// (reached from outside any VPC) are checked from here.
func scanInVPC(c *cli.Context, sess *awsprobe.Session, ms []awsprobe.Mapping, s *model.Scan, red *redact.Redactor, n int) error {
	zipped, arch, err := probeBundle(c)
	if err != nil {
		return err
	}
	groups, order, local := groupMappings(c, sess, ms, s)
	creator, _ := sess.CallerARN(c.Context)
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for _, key := range order {
		wg.Add(1)
		go func(g *probeGroup) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			lookupZones(c, sess, &g.net, checks.StepBudget(c.Duration("timeout")))
			runGroup(c, sess, g, ms, s, vpcprobe.Spec{Role: g.net.role, Subnets: g.net.subnets, SecurityGroups: g.net.securityGroups,
				Zip: zipped, Arch: arch, Creator: creator})
		}(groups[key])
	}
	for i, why := range local {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			s.Entries[i] = scanOne(c, sess, ms[i], red, shared{})
			if r := s.Entries[i].Report; r != nil {
				r.Notes = append([]string{"checked from here, not inside a VPC: " + why}, r.Notes...)
			}
		}()
	}
	wg.Wait()
	return nil
}

// groupMappings reads each mapping here and groups it by network and role;
// mappings that cannot be read, or name no subnets, are checked from here
// (local: the reason per entry); other problems become error entries.
func groupMappings(c *cli.Context, sess *awsprobe.Session, ms []awsprobe.Mapping, s *model.Scan) (map[string]*probeGroup, []string, map[int]string) {
	groups := map[string]*probeGroup{}
	var order []string
	local := map[int]string{}
	for i, m := range ms {
		base := checks.Config{Timeout: c.Duration("timeout"), Verbose: c.Bool("verbose"),
			AWS: &checks.AWSConfig{Options: awsprobe.Options{Region: sess.Region, Profile: sess.Profile}, RegionFrom: "--region", Session: sess, ESM: m.UUID}}
		res, facts := checks.ReadMapping(c.Context, base)
		if facts == nil {
			local[i] = "the mapping could not be read (see the mapping check)"
			continue
		}
		read := &mappingRead{result: res, facts: facts}
		cfg := configFromFacts(base, facts)
		net, err := probeNetwork(c, cfg, read)
		switch {
		case err != nil && len(net.subnets) == 0 && cfg.AWS.EventSourceARN == "":
			local[i] = "the mapping names no subnets"
			continue
		case err != nil:
			s.Entries[i] = entryOf(m, nil, err.Error())
			continue
		}
		key := groupKey(net)
		g, ok := groups[key]
		if !ok {
			g = &probeGroup{net: net}
			groups[key] = g
			order = append(order, key)
		}
		g.idx, g.cfgs, g.reads = append(g.idx, i), append(g.cfgs, cfg), append(g.reads, read)
	}
	return groups, order, local
}

// runGroup runs one probe function for a group and fills its entries.
func runGroup(c *cli.Context, sess *awsprobe.Session, g *probeGroup, ms []awsprobe.Mapping, s *model.Scan, spec vpcprobe.Spec) {
	b := vpcprobe.Batch{Version: vpcprobe.PayloadVersion, Parallel: min(8, len(g.cfgs))}
	for _, cfg := range g.cfgs {
		p, err := vpcprobe.FromConfig(cfg, g.net.role, g.net.provisioned)
		if err != nil {
			failGroup(g, ms, s, err.Error())
			return
		}
		b.Runs = append(b.Runs, p)
	}
	spec.Timeout = vpcprobe.BatchTimeout(b)
	if t := c.Duration("probe-timeout"); t > 0 {
		spec.Timeout = t
	}
	out, err := vpcprobe.RunBatch(c.Context, sess, spec, b)
	if err != nil {
		failGroup(g, ms, s, err.Error())
		return
	}
	reps, errs, err := vpcprobe.DecodeBatch(out.Report, len(b.Runs))
	if err != nil {
		failGroup(g, ms, s, err.Error())
		return
	}
	for j, i := range g.idx {
		if reps[j] == nil {
			s.Entries[i] = entryOf(ms[i], nil, "in the probe function: "+errs[j])
			continue
		}
		markVantage(reps[j], g.cfgs[j], g.net, out)
		g.reads[j].splice(reps[j])
		s.Entries[i] = entryOf(ms[i], reps[j], "")
	}
}

func failGroup(g *probeGroup, ms []awsprobe.Mapping, s *model.Scan, msg string) {
	for _, i := range g.idx {
		s.Entries[i] = entryOf(ms[i], nil, msg)
	}
}
