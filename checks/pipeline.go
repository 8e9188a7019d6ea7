package checks

// Pipeline returns the checks in the order the mapping performs its setup
// sequence (shared/reference/esm-problems.md section 1). Every id appears
// in every report, in this order. mapping comes first: with --esm or
// --function the target (brokers or cluster, topic, secrets) is what it
// reads. health comes last: it sets the mapping's own logs beside the
// verdicts of the live checks.
func Pipeline() []Check {
	return []Check{
		mappingCheck,
		apiCheck,
		stsCheck,
		secretCheck,
		clusterCheck,
		networkCheck,
		permissionsCheck,
		dnsCheck,
		tcpCheck,
		tlsCheck,
		tokenCheck,
		saslCheck,
		topicCheck,
		brokersCheck,
		groupCheck,
		pollCheck,
		registryCheck,
		lambdaEndpointCheck,
		healthCheck,
	}
}

// IDs returns the check ids in pipeline order.
func IDs() []string {
	var ids []string
	for _, c := range Pipeline() {
		ids = append(ids, c.ID)
	}
	return ids
}
