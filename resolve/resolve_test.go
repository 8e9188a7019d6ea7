package resolve

import (
	"errors"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/awsprobe"
)

const (
	uuid   = "0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b"
	scram  = "arn:aws:secretsmanager:us-east-1:123456789012:secret:AmazonMSK_x-AbCdEf"
	msk    = "arn:aws:kafka:us-east-1:123456789012:cluster/orders/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-2"
	fnARN  = "arn:aws:lambda:us-east-1:123456789012:function:orders"
	esmARN = "arn:aws:lambda:eu-west-1:123456789012:event-source-mapping:" + uuid
)

// A mapping read from Lambda resolves with the rules flags follow.
func TestFromMapping(t *testing.T) {
	aw := AWS{Options: awsprobe.Options{Region: "us-east-1"}}
	got, err := FromMapping(awsprobe.Mapping{UUID: uuid, FunctionARN: fnARN, Bootstrap: []string{"b-1:9096", "b-2:9096"}, Topics: []string{"orders"},
		AccessConfigs: []awsprobe.AccessConfig{{Type: TypeSCRAM512, URI: scram}, {Type: TypeSubnet, URI: "subnet:subnet-1"}}}, aw)
	if err != nil {
		t.Fatal(err)
	}
	if got.Auth != AuthSCRAM512 || got.Secret == nil || got.Secret.ARN != scram || len(got.Bootstrap) != 2 || got.ConsumerGroup != uuid ||
		got.Topic != "orders" || got.AWS == nil || got.AWS.EventSourceARN != "" || len(got.AWS.AccessConfigs) != 2 {
		t.Fatalf("self-managed target %+v aws %+v", got, got.AWS)
	}
	got, err = FromMapping(awsprobe.Mapping{UUID: uuid, FunctionARN: fnARN, EventSourceARN: msk, Topics: []string{"orders"}, ConsumerGroupID: "g"}, aw)
	if err != nil || got.AWS.EventSourceARN != msk || got.Auth != "" || !strings.Contains(got.AuthReason, "cluster check") || got.ConsumerGroup != "g" {
		t.Fatalf("MSK target %+v %v", got, err)
	}
	for _, c := range []struct {
		m    awsprobe.Mapping
		want string
	}{
		{awsprobe.Mapping{UUID: uuid, EventSourceARN: msk}, "the mapping names no topic"},
		{awsprobe.Mapping{UUID: uuid, EventSourceARN: msk, Topics: []string{"a b"}}, "the mapping's topic"},
		{awsprobe.Mapping{UUID: uuid, EventSourceARN: msk, Topics: []string{"t"}, AccessConfigs: []awsprobe.AccessConfig{{Type: "KERBEROS"}}},
			`the mapping's SourceAccessConfigurations: "KERBEROS": unknown Type`},
		{awsprobe.Mapping{UUID: uuid, Bootstrap: []string{"nohost"}, Topics: []string{"t"}}, "the mapping's SelfManagedEventSource"},
	} {
		_, err := FromMapping(c.m, aw)
		var ie *InputError
		if err == nil || errors.As(err, &ie) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want a plain error containing %q", c.m, err, c.want)
		}
	}
}

// An ARN's Region is its call's; a --region that contradicts it is refused.
func TestResolveMappingRegions(t *testing.T) {
	tg, err := resolveInputs(Inputs{ESM: esmARN})
	if err != nil || tg.AWS.ESM != uuid || tg.AWS.Options.Region != "eu-west-1" || tg.AWS.RegionFrom != RegionFromESM {
		t.Fatalf("%+v %v", tg.AWS, err)
	}
	tg, err = resolveInputs(Inputs{Function: fnARN, Region: "us-east-1"})
	if err != nil || tg.AWS.Function != fnARN || tg.AWS.RegionFrom != RegionFromFunc {
		t.Fatalf("%+v %v", tg.AWS, err)
	}
	for _, in := range []Inputs{{ESM: esmARN, Region: "us-east-1"}, {Function: fnARN, Region: "eu-west-1"}} {
		_, err := resolveInputs(in)
		var ie *InputError
		if !errors.As(err, &ie) || ie.Input != "--region" || !strings.Contains(ie.Msg, "contradicts the") {
			t.Errorf("%+v: %v", in, err)
		}
	}
	if _, err := resolveInputs(Inputs{ESM: uuid, Topic: "t"}); err == nil || err.Error() != "--topic: not with --esm or --function, which read it from the mapping" {
		t.Errorf("--esm with --topic: %v", err)
	}
}

// The topic-name and hostname rules as Kafka and DNS lists write them
// (they were regular expressions: ^[a-zA-Z0-9._-]{1,249}$ and {1,253}).
func TestNameRules(t *testing.T) {
	long := func(n int) string { return strings.Repeat("a", n) }
	for _, c := range []struct {
		name        string
		topic, host bool
	}{
		{"orders", true, true}, {"a.b_c-D9", true, true}, {"", false, false},
		{long(249), true, true}, {long(250), false, true}, {long(253), false, true}, {long(254), false, false},
		{"a b", false, false}, {"a/b", false, false}, {"ö", false, false}, {"a\x00", false, false}, {"a:1", false, false},
	} {
		if got := isTopicName(c.name); got != c.topic {
			t.Errorf("isTopicName(%q) = %v, want %v", c.name, got, c.topic)
		}
		if got := isHostname(c.name); got != c.host {
			t.Errorf("isHostname(%q) = %v, want %v", c.name, got, c.host)
		}
	}
}
