package catalog

import "strings"

// generic are the words explain shows for a template's run-time values:
// explain has no run, so "{addr}" reads "the broker (host:port)" instead
// of a raw placeholder. A test requires a word for every placeholder the
// registry uses.
var generic = map[string]string{
	"access_key":       "ACCESS_KEY_ID",
	"acl_fix":          "grant the missing ACLs with kafka-acls --add --allow-principal PRINCIPAL --operation OPERATION --topic TOPIC / --group GROUP / --cluster (the report prints the exact command for the ACLs that are missing; changes can take minutes to apply)",
	"actions":          "the kafka-cluster:* actions",
	"addr":             "HOST:PORT",
	"addresses":        "N",
	"alert":            "ALERT",
	"api_code":         "ERROR_CODE",
	"arn":              "CLUSTER_ARN",
	"auth":             "AUTH",
	"bootstrap":        "HOST:PORT",
	"broker_message":   " (and the broker's message, if any)",
	"budget":           "the step budget",
	"caller":           "CALLER_ARN",
	"cert":             "the certificate at fault (SUBJECT)",
	"cert_not_after":   "NOT_AFTER",
	"cert_not_before":  "NOT_BEFORE",
	"client":           "the client certificate (SUBJECT)",
	"clients":          " (their client ids)",
	"cluster_arn":      "the cluster ARN",
	"count":            "N",
	"destination":      "kafka://TOPIC",
	"detail":           "what was observed",
	"enabled":          "the mechanisms it enables",
	"endpoint":         "ENDPOINT",
	"failed":           "N",
	"field":            "BOOTSTRAP_FIELD",
	"fix":              "what the error AWS returned calls for (the report says it)",
	"function":         "FUNCTION",
	"function_network": "its VPC",
	"group":            "GROUP",
	"has":              "offers other listeners",
	"holder":           "the identity",
	"host":             "HOST",
	"iam_fix":          "add the missing kafka-cluster:* actions on the cluster, topic and group ARNs to the identity's IAM policy (the report prints the exact actions and ARNs)",
	"identity":         "IDENTITY",
	"issuer":           "ISSUER",
	"kafka_code":       "CODE",
	"kafka_error":      "NAME",
	"kms_hint":         "",
	"kms_key":          "KMS_KEY",
	"list":             "the mappings (UUID, source, topic, state)",
	"mechanism":        "MECHANISM",
	"members":          "N",
	"missing":          "the ACLs or permissions that are missing",
	"missing_issuer":   "ISSUER",
	"name":             "NAME",
	"node":             "N",
	"not_serving":      "its brokers do not serve clients, or MSK gives no bootstrap brokers until it is ACTIVE",
	"not_after":        "NOT_AFTER",
	"not_before":       "NOT_BEFORE",
	"now":              "the current time",
	"not_json":         "N",
	"offset":           "N",
	"others":           "N",
	"pollers":          "N",
	"operation":        "OPERATION",
	"partition":        "N",
	"partitions":       "P",
	"port":             "PORT",
	"ports_hint":       "; the report names the ports that match the auth mode",
	"principal":        "PRINCIPAL",
	"reachable":        "N",
	"region":           "REGION",
	"region_fix":       "",
	"region_from":      "the input that gave it",
	"resource":         "the resource ARN",
	"resource_region":  "another Region",
	"retry":            "a retry was rejected too",
	"role":             "ROLE_ARN",
	"rule":             "the API's rule",
	"sans":             "its subjectAltNames",
	"security_groups":  "SECURITY_GROUPS",
	"sent":             "its certificates (the report lists them)",
	"server":           "the resolver",
	"service":          "SERVICE",
	"signed_at":        "TIME",
	"sampled":          "N",
	"size":             "N",
	"source":           "SECRET",
	"state":            "STATE",
	"state_info":       "",
	"subject":          "SUBJECT",
	"subnets":          "SUBNETS",
	"suggest":          "the matching type",
	"suite":            "the negotiated version and suite",
	"token_region":     "another Region",
	"token_state":      "was expired or signed on a skewed clock",
	"top":              "the last certificate it sent",
	"topic":            "TOPIC",
	"total":            "N",
	"trust":            "the trusted CAs",
	"type":             "TYPE",
	"user":             "USER",
	"uuid":             "MAPPING_UUID",
	"value":            "VALUE",
	"wait":             "moments",
	"wanted":           "a listener",
	"why":              "of its access configurations",
}

// Generic renders a cause or fix template for explain: every run-time
// value becomes a generic word (upper-case names such as HOST:PORT, or a
// phrase), never a raw placeholder.
func Generic(tmpl string) string {
	// An optional hint some templates wrap in "(...)" or follow "; " with.
	return strings.NewReplacer("(; ", "(", "; ; ", "; ").Replace(Format(tmpl, generic))
}

// HasGeneric reports whether explain has a word for a placeholder.
func HasGeneric(name string) bool {
	_, ok := generic[name]
	return ok
}
