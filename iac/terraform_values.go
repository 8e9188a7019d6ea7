package iac

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// The checks each unknown value blocks.
var (
	blocksSource  = []string{"cluster", "network", "permissions", "dns", "tcp", "tls", "sasl", "topic", "brokers", "group", "poll"}
	blocksRole    = []string{"permissions"}
	blocksNetwork = []string{"network"}
	blocksSecret  = []string{"secret", "network", "permissions"}
)

type reader struct {
	p      plan
	byAddr map[string]resource
}

// mapping reads the mapping's attributes and what is unknown of them.
func (r *reader) mapping(esm resource) Mapping {
	v := esm.Values
	m := Mapping{Address: esm.Address, Region: r.region(), EventSourceARN: str(v["event_source_arn"]), Topics: strs(v["topics"]),
		Function: str(v["function_name"])}
	for _, e := range list(v["self_managed_event_source"]) {
		for _, s := range strings.Split(str(mapOf(mapOf(e)["endpoints"])["KAFKA_BOOTSTRAP_SERVERS"]), ",") {
			if s = strings.TrimSpace(s); s != "" {
				m.Bootstrap = append(m.Bootstrap, s)
			}
		}
	}
	for _, a := range list(v["source_access_configuration"]) {
		m.AccessConfigs = append(m.AccessConfigs, [2]string{str(mapOf(a)["type"]), str(mapOf(a)["uri"])})
	}
	for _, k := range []string{"amazon_managed_kafka_event_source_config", "self_managed_kafka_event_source_config"} {
		for _, c := range list(v[k]) {
			m.ConsumerGroup = str(mapOf(c)["consumer_group_id"])
		}
	}
	m.Provisioned = len(list(v["provisioned_poller_config"])) > 0
	for _, d := range list(v["destination_config"]) {
		for _, f := range list(mapOf(d)["on_failure"]) {
			m.Destination = str(mapOf(f)["destination_arn"])
		}
	}
	m.Unknown = r.unknowns(esm.Address)
	r.registry(&m, esm)
	r.function(&m)
	r.plannedCluster(&m)
	r.plannedAccess(&m)
	return m
}

// plannedCluster reads the aws_msk_cluster an unknown event_source_arn
// refers to: with its subnets and security groups known, the cluster and
// network checks no longer wait for apply.
func (r *reader) plannedCluster(m *Mapping) {
	if m.EventSourceARN != "" {
		return
	}
	for _, ref := range r.references(m.Address, "event_source_arn") {
		c, ok := r.byAddr[strings.TrimSuffix(ref, ".arn")]
		if !ok || c.Type != "aws_msk_cluster" {
			continue
		}
		g := mapOf(first(c.Values["broker_node_group_info"]))
		pc := &Cluster{Address: c.Address, Subnets: strs(g["client_subnets"]), SecurityGroups: strs(g["security_groups"])}
		pn := r.newPlanned()
		for _, b := range r.blockExprs(c.Address, "broker_node_group_info") {
			subnets, ok1 := pn.resolve(b["client_subnets"].References, "aws_subnet")
			groups, ok2 := pn.resolve(b["security_groups"].References, "aws_security_group")
			if !ok1 || !ok2 {
				return // a subnet or group the plan creates in a new VPC, or with unknown rules
			}
			pc.Subnets, pc.SecurityGroups = append(pc.Subnets, subnets...), append(pc.SecurityGroups, groups...)
		}
		if len(pc.Subnets) == 0 || len(pc.SecurityGroups) == 0 {
			return // the network itself is unknown until apply
		}
		if len(pn.out.Subnets)+len(pn.out.Groups) > 0 {
			m.Planned = &pn.out
		}
		auth := mapOf(first(c.Values["client_authentication"]))
		sasl := mapOf(first(auth["sasl"]))
		pc.IAM, pc.SCRAM, pc.TLS = sasl["iam"] == true, sasl["scram"] == true, len(list(auth["tls"])) > 0
		m.Cluster = pc
		for i, u := range m.Unknown {
			if u.Field == m.Address+".event_source_arn" {
				m.Unknown[i].Blocks = without(u.Blocks, "cluster", "network")
			}
		}
		return
	}
}

func first(v any) any {
	if l := list(v); len(l) > 0 {
		return l[0]
	}
	return nil
}

func without(l []string, drop ...string) []string {
	var out []string
	for _, x := range l {
		keep := true
		for _, d := range drop {
			keep = keep && x != d
		}
		if keep {
			out = append(out, x)
		}
	}
	return out
}

// unknowns lists the mapping's attributes known only after apply.
func (r *reader) unknowns(addr string) []Unknown {
	au := r.afterUnknown(addr)
	var out []Unknown
	for _, f := range []struct {
		attr   string
		blocks []string
	}{{"event_source_arn", blocksSource}, {"self_managed_event_source", blocksSource}, {"topics", []string{"permissions", "topic", "group", "poll"}},
		{"source_access_configuration", blocksSecret}, {"function_name", blocksRole}, {"destination_config", blocksNetwork}} {
		if unknownIn(au[f.attr]) {
			out = append(out, Unknown{Field: addr + "." + f.attr, Why: r.why(addr, f.attr), Blocks: f.blocks})
		}
	}
	return out
}

// function finds the function in the plan (by name, or by the reference
// of an unknown function_name) and its execution role.
func (r *reader) function(m *Mapping) {
	fnAddr := ""
	for addr, res := range r.byAddr {
		if res.Type != "aws_lambda_function" {
			continue
		}
		if name := str(res.Values["function_name"]); name != "" && (name == m.Function || strings.HasSuffix(m.Function, ":function:"+name)) {
			fnAddr = addr
		}
		for _, ref := range r.references(m.Address, "function_name") {
			if ref == addr {
				fnAddr = addr
			}
		}
	}
	if fnAddr == "" {
		return
	}
	fn := r.byAddr[fnAddr]
	if m.Function == "" {
		m.Function = str(fn.Values["function_name"])
	}
	m.Role = str(fn.Values["role"])
	if m.Role == "" && unknownIn(r.afterUnknown(fnAddr)["role"]) {
		m.Unknown = append(m.Unknown, Unknown{Field: fnAddr + ".role", Why: r.why(fnAddr, "role"), Blocks: blocksRole})
	}
	// The function_name was only unknown because the function is new: its
	// name is in the plan, so it no longer blocks anything.
	var keep []Unknown
	for _, u := range m.Unknown {
		if u.Field != m.Address+".function_name" || m.Function == "" {
			keep = append(keep, u)
		}
	}
	m.Unknown = keep
}

func (r *reader) afterUnknown(addr string) map[string]any {
	for _, c := range r.p.Changes {
		if c.Address == addr {
			return c.Change.AfterUnknown
		}
	}
	return nil
}

// why explains an unknown value by the references of its expression.
func (r *reader) why(addr, attr string) string {
	refs := r.references(addr, attr)
	if len(refs) == 0 {
		return "known after apply"
	}
	return "known after apply (" + strings.Join(refs, ", ") + ")"
}

// references are an attribute's expression references in the root
// module's configuration, most specific first.
func (r *reader) references(addr, attr string) []string {
	for _, c := range r.p.Configuration.Root.Resources {
		if c.Address != addr {
			continue
		}
		var e struct {
			References []string `json:"references"`
		}
		_ = json.Unmarshal(c.Expressions[attr], &e)
		refs := append([]string(nil), e.References...)
		sort.SliceStable(refs, func(i, j int) bool { return strings.Count(refs[i], ".") > strings.Count(refs[j], ".") })
		return refs
	}
	return nil
}

// region is the AWS provider's region, when the configuration gives it as
// a constant.
func (r *reader) region() string {
	for _, p := range r.p.Configuration.Providers {
		if p.Name != "aws" {
			continue
		}
		var e struct {
			Constant string `json:"constant_value"`
		}
		if json.Unmarshal(p.Expressions["region"], &e) == nil && e.Constant != "" {
			return e.Constant
		}
	}
	return ""
}

// unknownIn says whether an after_unknown value marks something unknown.
func unknownIn(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case []any:
		for _, e := range x {
			if unknownIn(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if unknownIn(e) {
				return true
			}
		}
	}
	return false
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

func strs(v any) []string {
	var out []string
	for _, e := range list(v) {
		if s := str(e); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func mapOf(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}
