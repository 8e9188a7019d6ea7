package esmhealth

import (
	"strings"

	"github.com/esmdoctor/esmdoctor/catalog"
)

// Known is what esmdoctor knows about a Kafka exception class logged in a
// system event's errorCode: the live checks that test the same thing and
// the code (whose catalog entry carries the PROBLEM text).
type Known struct {
	Checks  []string
	Code    catalog.Code
	Meaning string
}

// Lookup maps an errorCode's Kafka exception class (fully qualified or
// not) to esmdoctor's checks and codes.
func Lookup(errorCode string) (Known, bool) {
	name := errorCode
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	switch name {
	case "TopicAuthorizationException":
		return Known{[]string{"topic", "poll"}, catalog.TOPIC002, "the principal may not describe or read the topic"}, true
	case "GroupAuthorizationException":
		return Known{[]string{"group"}, catalog.GROUP001, "the principal may not use the consumer group"}, true
	case "ClusterAuthorizationException":
		return Known{[]string{"group"}, catalog.GROUP001, "the principal lacks a cluster permission (DescribeConfigs)"}, true
	case "SaslAuthenticationException":
		return Known{[]string{"sasl"}, catalog.SASL001, "the broker rejected the SASL login"}, true
	case "SslAuthenticationException":
		return Known{[]string{"tls"}, catalog.TLS001, "the TLS handshake failed (certificate trust or client certificate)"}, true
	case "TimeoutException":
		return Known{[]string{"tcp", "topic"}, catalog.TCP002, "the pollers reached no broker in time (network path, security groups, advertised listeners)"}, true
	case "UnknownTopicOrPartitionException":
		return Known{[]string{"topic"}, catalog.TOPIC001, "the topic does not exist"}, true
	}
	return Known{}, false
}
