package awsfake

import (
	"fmt"
	"net/http"
	"strings"
)

// Mapping is a Kafka event source mapping as GetEventSourceMapping returns it.
type Mapping struct {
	UUID           string
	FunctionARN    string
	EventSourceARN string   // MSK; "" for self-managed
	Bootstrap      []string // self-managed KAFKA_BOOTSTRAP_SERVERS
	Topics         []string
	// AccessConfigs are Type, URI pairs.
	AccessConfigs         [][2]string
	ConsumerGroupID       string
	State                 string // Enabled (default)
	StateTransitionReason string
	LastProcessingResult  string
	Provisioned           bool // provisioned-mode pollers (ProvisionedPollerConfig)
	// Extra members (LoggingConfig, FilterCriteria, ProvisionedPollerConfig,
	// ...) are added to the JSON as given, replacing the defaults.
	Extra map[string]any
}

// AddMapping registers (or replaces) a mapping.
func (f *Fake) AddMapping(m Mapping) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if m.State == "" {
		m.State = "Enabled"
	}
	if _, ok := f.mappings[m.UUID]; !ok {
		f.order = append(f.order, m.UUID)
	}
	f.mappings[m.UUID] = m
}

// shape renders a mapping in Lambda's JSON (PascalCase members).
func (m Mapping) shape() map[string]any {
	region, account := "us-east-1", "123456789012"
	if p := strings.Split(m.FunctionARN, ":"); len(p) > 4 {
		region, account = p[3], p[4]
	}
	out := map[string]any{"UUID": m.UUID, "FunctionArn": m.FunctionARN, "Topics": m.Topics, "State": m.State,
		"StateTransitionReason": m.StateTransitionReason, "LastProcessingResult": m.LastProcessingResult,
		"EventSourceMappingArn": fmt.Sprintf("arn:aws:lambda:%s:%s:event-source-mapping:%s", region, account, m.UUID),
		"StartingPosition":      "LATEST", "BatchSize": 100, "LastModified": 1.7e9}
	var acs []map[string]string
	for _, ac := range m.AccessConfigs {
		acs = append(acs, map[string]string{"Type": ac[0], "URI": ac[1]})
	}
	if acs != nil {
		out["SourceAccessConfigurations"] = acs
	}
	if m.Provisioned {
		out["ProvisionedPollerConfig"] = map[string]any{"MinimumPollers": 1, "MaximumPollers": 200}
	}
	if m.EventSourceARN != "" {
		out["EventSourceArn"] = m.EventSourceARN
		out["AmazonManagedKafkaEventSourceConfig"] = map[string]any{"ConsumerGroupId": m.ConsumerGroupID}
	} else {
		out["SelfManagedEventSource"] = map[string]any{"Endpoints": map[string]any{"KAFKA_BOOTSTRAP_SERVERS": m.Bootstrap}}
		out["SelfManagedKafkaEventSourceConfig"] = map[string]any{"ConsumerGroupId": m.ConsumerGroupID}
	}
	for k, v := range m.Extra {
		out[k] = v
	}
	return out
}

func (f *Fake) getMapping(w http.ResponseWriter, r *http.Request, uuid string) {
	if f.reject(w, r, uuid) {
		return
	}
	f.mu.Lock()
	m, ok := f.mappings[uuid]
	f.mu.Unlock()
	if !ok {
		writeError(w, Failure{Status: http.StatusNotFound, Code: "ResourceNotFoundException", Message: "The resource you requested does not exist."})
		return
	}
	writeJSON(w, m.shape())
}

// AllMappings is the resource a failure injected for the account-wide
// ListEventSourceMappings (no FunctionName) is registered under.
const AllMappings = "event-source-mappings"

// listMappings serves ListEventSourceMappings filtered by FunctionName
// (a name or an ARN) and EventSourceArn, paginated (Marker, MaxItems;
// Lambda's default page holds 100 mappings).
func (f *Fake) listMappings(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	fn := q.Get("FunctionName")
	if fn != "" && f.reject(w, r, fn) {
		return
	}
	if fn == "" && f.reject(w, r, AllMappings) {
		return
	}
	pageSize := f.page(100)
	f.mu.Lock()
	defer f.mu.Unlock()
	var all []Mapping
	for _, id := range f.order {
		m := f.mappings[id]
		if fn != "" && m.FunctionARN != fn && !strings.HasSuffix(m.FunctionARN, ":function:"+fn) {
			continue
		}
		if src := q.Get("EventSourceArn"); src != "" && m.EventSourceARN != src {
			continue
		}
		all = append(all, m)
	}
	page, next, fl := paginate(len(all), q, pageSize)
	if fl != nil {
		writeError(w, *fl)
		return
	}
	list := []any{}
	for _, m := range all[page[0]:page[1]] {
		list = append(list, m.shape())
	}
	out := map[string]any{"EventSourceMappings": list}
	if next != "" {
		out["NextMarker"] = next
	}
	writeJSON(w, out)
}
