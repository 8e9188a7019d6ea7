package checks

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/awsprobe"
)

func TestAPIViolations(t *testing.T) {
	many := make([]HostPort, 11)
	for i := range many {
		many[i] = HostPort{Host: fmt.Sprintf("b-%d.example.com", i), Port: 9096}
	}
	ok := Config{Bootstrap: []HostPort{{Host: "b-1.example.com", Port: 9096}, {Host: "10.0.0.1", Port: 9092}}, Topic: "orders", ConsumerGroup: "0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b"}
	cases := []struct {
		name   string
		change func(c *Config)
		want   string // "" for none
	}{
		{"valid", func(*Config) {}, ""},
		{"one-character topic", func(c *Config) { c.Topic = "t" }, ""},
		{"group with @ and /", func(c *Config) { c.ConsumerGroup = "team/orders@prod" }, ""},
		{"11 bootstrap servers", func(c *Config) { c.Bootstrap = many }, "KAFKA_BOOTSTRAP_SERVERS: 11 servers: a mapping lists 1 to 10"},
		{"IPv6 bootstrap", func(c *Config) { c.Bootstrap = []HostPort{{Host: "2001:db8::1", Port: 9092}} }, "[2001:db8::1]:9092: each server must match"},
		{"underscore in a host", func(c *Config) { c.Bootstrap = []HostPort{{Host: "my_broker.internal", Port: 9092}} }, "no '_'"},
		{"over 300 characters", func(c *Config) {
			c.Bootstrap = []HostPort{{Host: strings.Repeat("a", 63) + "." + strings.Repeat("b.", 130) + "com", Port: 9092}}
		}, "at most 300 characters"},
		{"topic starting with a dot", func(c *Config) { c.Topic = ".orders" }, "Topics: .orders: a topic must match"},
		{"group with spaces", func(c *Config) { c.ConsumerGroup = "my group id" }, "ConsumerGroupId: my group id: a ConsumerGroupId must match"},
		{"group over 200", func(c *Config) { c.ConsumerGroup = strings.Repeat("g", 201) }, "1 to 200 characters"},
		{"23 access configurations", func(c *Config) {
			c.AWS = &AWSConfig{}
			for i := 0; i < 23; i++ {
				c.AWS.AccessConfigs = append(c.AWS.AccessConfigs, awsprobe.AccessConfig{Type: "VPC_SUBNET", URI: fmt.Sprintf("subnet:subnet-%d", i)})
			}
		}, "SourceAccessConfigurations: 23 entries"},
	}
	for _, c := range cases {
		cfg := ok
		c.change(&cfg)
		s := &State{Cfg: cfg}
		o := runAPI(context.Background(), s)
		if c.want == "" {
			if o.Status != "pass" {
				t.Errorf("%s: %s %v", c.name, o.Status, o.Detail)
			}
			continue
		}
		if o.Code != "ESM-API-001" || !strings.Contains(strings.Join(o.Detail, "\n"), c.want) {
			t.Errorf("%s: %s %s %v, want ESM-API-001 with %q", c.name, o.Status, o.Code, o.Detail, c.want)
		}
	}
}
