package iac

import (
	"fmt"
	"sort"
	"strings"
)

// cfnSource is one Kafka mapping in a template: an
// AWS::Lambda::EventSourceMapping, or a SAM function's MSK /
// SelfManagedKafka event.
type cfnSource struct {
	name     string         // logical id, or Function.Event for SAM
	props    map[string]any // the mapping's (or event's) Properties
	sam      string         // "MSK" or "SelfManagedKafka" for SAM events
	function string         // the SAM function's logical id
}

// FromCloudFormation reads a template's Kafka event source mapping (the
// only one, or the one named by resource: a logical id, or
// FunctionLogicalId.EventName for a SAM event). params are --parameter
// values; region resolves AWS::Region.
func FromCloudFormation(data []byte, resource string, params map[string]string, region string) (Mapping, error) {
	t, err := parseTemplate(data)
	if err != nil {
		return Mapping{}, err
	}
	res := mapOf(t["Resources"])
	if len(res) == 0 {
		return Mapping{}, fmt.Errorf("the template has no Resources")
	}
	r := &cfnResolver{params: map[string]string{}, region: region, resources: res}
	for name, p := range mapOf(t["Parameters"]) {
		if d, ok := mapOf(p)["Default"]; ok {
			r.params[name] = str(d)
		}
	}
	for k, v := range params {
		r.params[k] = v
	}
	src, err := pickSource(cfnSources(res), resource)
	if err != nil {
		return Mapping{}, err
	}
	return r.mapping(src, res), nil
}

// cfnSources lists the Kafka mappings of a template.
func cfnSources(res map[string]any) []cfnSource {
	var out []cfnSource
	for name, v := range res {
		props := mapOf(mapOf(v)["Properties"])
		switch mapOf(v)["Type"] {
		case "AWS::Lambda::EventSourceMapping":
			if props["Topics"] != nil || props["SelfManagedEventSource"] != nil || props["AmazonManagedKafkaEventSourceConfig"] != nil {
				out = append(out, cfnSource{name: name, props: props})
			}
		case "AWS::Serverless::Function":
			for ev, e := range mapOf(props["Events"]) {
				if typ := str(mapOf(e)["Type"]); typ == "MSK" || typ == "SelfManagedKafka" {
					out = append(out, cfnSource{name: name + "." + ev, props: mapOf(mapOf(e)["Properties"]), sam: typ, function: name})
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func pickSource(all []cfnSource, name string) (cfnSource, error) {
	var names []string
	for _, s := range all {
		if s.name == name {
			return s, nil
		}
		names = append(names, s.name)
	}
	switch {
	case name != "":
		return cfnSource{}, fmt.Errorf("the template has no Kafka event source mapping named %s (it has: %s)", name, join(names))
	case len(all) == 1:
		return all[0], nil
	case len(all) == 0:
		return cfnSource{}, fmt.Errorf("the template has no Kafka event source mapping (AWS::Lambda::EventSourceMapping, or a SAM MSK / SelfManagedKafka event)")
	}
	return cfnSource{}, fmt.Errorf("the template has %d Kafka event source mappings; choose one with --cloudformation-resource: %s", len(all), strings.Join(names, ", "))
}

func join(l []string) string {
	if len(l) == 0 {
		return "none"
	}
	return strings.Join(l, ", ")
}

// mapping reads the source's properties, each unknown one noted with the
// checks it blocks.
func (r *cfnResolver) mapping(s cfnSource, res map[string]any) Mapping {
	m := Mapping{Address: s.name, Region: r.region}
	p := s.props
	field := func(name string) string { return "Resources." + s.name + ".Properties." + name }
	if s.sam != "" {
		ev := strings.TrimPrefix(s.name, s.function+".")
		field = func(name string) string {
			return "Resources." + s.function + ".Properties.Events." + ev + ".Properties." + name
		}
	}
	note := func(name, why string, blocks []string) {
		if why != "" {
			m.Unknown = append(m.Unknown, Unknown{Field: field(name), Why: why, Blocks: blocks})
		}
	}
	var why string
	if s.sam == "SelfManagedKafka" {
		m.Bootstrap, why = r.strs(p["KafkaBootstrapServers"])
		note("KafkaBootstrapServers", why, blocksSource)
	} else if p["SelfManagedEventSource"] != nil {
		m.Bootstrap, why = r.strs(mapOf(mapOf(p["SelfManagedEventSource"])["Endpoints"])["KafkaBootstrapServers"])
		note("SelfManagedEventSource", why, blocksSource)
	} else {
		prop := "EventSourceArn"
		if s.sam == "MSK" {
			prop = "Stream"
		}
		m.EventSourceARN, why = r.str(p[prop])
		blocks := blocksSource
		if why != "" {
			m.Planned = r.withPlanned(func() { m.Cluster = r.plannedCluster(p[prop], res) })
			if m.Cluster == nil {
				m.Planned = nil
			}
			if m.Cluster != nil {
				blocks = without(blocksSource, "cluster", "network")
			}
		}
		note(prop, why, blocks)
	}
	m.Topics, why = r.strs(p["Topics"])
	note("Topics", why, []string{"permissions", "topic", "group", "poll"})
	if planned := r.withPlanned(func() { r.accessConfigs(&m, p, note) }); planned != nil {
		m.Planned = planned
	}
	r.extras(&m, s, p, note)
	r.registry(&m, s, p, note)
	r.role(&m, s, res, note)
	return m
}

// plannedCluster reads the AWS::MSK::Cluster a source refers to (Ref or
// Fn::GetAtt ...Arn), when its subnets and security groups are known.
func (r *cfnResolver) plannedCluster(src any, res map[string]any) *Cluster {
	ref := mapOf(src)
	name, _ := ref["Ref"].(string)
	if att := list(ref["Fn::GetAtt"]); len(att) == 2 && str(att[1]) == "Arn" {
		name = str(att[0])
	}
	def := mapOf(res[name])
	if def["Type"] != "AWS::MSK::Cluster" {
		return nil
	}
	props := mapOf(def["Properties"])
	g := mapOf(props["BrokerNodeGroupInfo"])
	subnets, why1 := r.strs(g["ClientSubnets"])
	groups, why2 := r.strs(g["SecurityGroups"])
	if why1+why2 != "" || len(subnets) == 0 || len(groups) == 0 {
		return nil
	}
	auth := mapOf(props["ClientAuthentication"])
	sasl := mapOf(auth["Sasl"])
	return &Cluster{Address: name, Subnets: subnets, SecurityGroups: groups, IAM: mapOf(sasl["Iam"])["Enabled"] == true,
		SCRAM: mapOf(sasl["Scram"])["Enabled"] == true, TLS: auth["Tls"] != nil}
}

func (r *cfnResolver) accessConfigs(m *Mapping, p map[string]any, note func(string, string, []string)) {
	for _, a := range list(p["SourceAccessConfigurations"]) {
		typ, why1 := r.str(mapOf(a)["Type"])
		uri, why2 := r.str(mapOf(a)["URI"])
		if why1+why2 != "" {
			note("SourceAccessConfigurations", why1+why2, blocksSecret)
			continue
		}
		m.AccessConfigs = append(m.AccessConfigs, [2]string{typ, uri})
	}
}

// extras reads the group (and a SAM event's consumption mode),
// provisioned pollers and destination.
func (r *cfnResolver) extras(m *Mapping, s cfnSource, p map[string]any, note func(string, string, []string)) {
	var why string
	if s.sam != "" {
		m.ConsumerGroup, why = r.str(p["ConsumerGroupId"])
	} else {
		cfg := p["AmazonManagedKafkaEventSourceConfig"]
		if cfg == nil {
			cfg = p["SelfManagedKafkaEventSourceConfig"]
		}
		m.ConsumerGroup, why = r.str(mapOf(cfg)["ConsumerGroupId"])
	}
	note("ConsumerGroupId", why, []string{"permissions", "group"})
	if s.sam == "SelfManagedKafka" {
		// SAM documents ConsumptionMode (Stream or Queue) on the
		// SelfManagedKafka event; CloudFormation's and Terraform's
		// references name no such property, so it is read here only.
		m.ConsumptionMode, why = r.str(p["ConsumptionMode"])
		note("ConsumptionMode", why, []string{"api", "group", "poll"})
	}
	m.Provisioned = p["ProvisionedPollerConfig"] != nil
	if d := mapOf(mapOf(p["DestinationConfig"])["OnFailure"])["Destination"]; d != nil {
		m.Destination, why = r.str(d)
		note("DestinationConfig", why, blocksNetwork)
	}
}

// role finds the execution role of the mapping's function, when the
// template defines the function.
func (r *cfnResolver) role(m *Mapping, s cfnSource, res map[string]any, note func(string, string, []string)) {
	fn := s.function
	if fn == "" {
		ref := mapOf(s.props["FunctionName"])
		fn, _ = ref["Ref"].(string)
		if fn == "" {
			m.Function, _ = r.str(s.props["FunctionName"])
		}
	}
	def := mapOf(res[fn])
	if def == nil {
		return
	}
	props := mapOf(def["Properties"])
	m.Function, _ = r.str(props["FunctionName"])
	if props["Role"] == nil {
		if def["Type"] == "AWS::Serverless::Function" {
			m.Unknown = append(m.Unknown, Unknown{Field: "Resources." + fn + ".Properties.Role", Why: "SAM creates the function's role at deploy", Blocks: blocksRole})
		}
		return
	}
	var why string
	m.Role, why = r.str(props["Role"])
	if why != "" {
		m.Unknown = append(m.Unknown, Unknown{Field: "Resources." + fn + ".Properties.Role", Why: why, Blocks: blocksRole})
	}
}
