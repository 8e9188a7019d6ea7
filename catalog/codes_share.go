package catalog

// shareCodes: Queue mode (ConsumptionMode Queue, self-managed Kafka): the
// mapping reads through a Kafka share group (KIP-932), which needs Kafka
// 4.2 or later with share groups enabled, and Read and Describe on the
// group and Read on the topic (reference section 8). Emitted by the group
// check in Queue mode. No PROBLEM text is documented for the cluster's
// version or features: Lambda's wording for them is unknown.
var shareCodes = []Entry{
	{Code: SHARE001, Check: "group", Severity: SevFail, Title: "the cluster is too old for Queue mode (share groups)",
		Cause:       "{broker} {detail}; Queue mode needs the share-group APIs at the versions Apache Kafka 4.2 serves (ShareGroupHeartbeat 76 v1, ShareGroupDescribe 77 v1, ShareFetch 78 v2, ShareAcknowledge 79 v2)",
		Remediation: "upgrade the cluster to Apache Kafka 4.2 or later and enable share groups (kafka-features ... upgrade --feature share.version=1), or use ConsumptionMode Stream: ConsumptionMode is set when the mapping is created and cannot be changed, so create a new mapping"},
	{Code: SHARE002, Check: "group", Severity: SevFail, Title: "share groups are not enabled on the cluster",
		Cause:       "{broker} serves the share-group APIs but the cluster's finalized share.version is {finalized} (it supports {supported}): share groups are off, as on a cluster upgraded to 4.2 rather than created on it, and every share-group request is answered UNSUPPORTED_VERSION",
		Remediation: "enable share groups once for the cluster, as an administrator: {features_fix}"},
	{Code: SHARE003, Check: "group", Severity: SevFail, Title: "principal lacks ACLs the Queue mapping needs on its share group",
		Problem: "P5", ErrorName: namedNotAuthorized,
		Cause:       "{principal} is missing: {missing} (a Queue mapping needs Read and Describe on its share group and Read on the topic)",
		Remediation: "{acl_fix}"},
	{Code: SHARE004, Check: "group", Severity: SevFail, Title: "the share group cannot be described",
		Problem: "P1", Cause: "share group {group}: {detail}",
		Remediation: "check the broker log: the share coordinator needs __consumer_offsets and __share_group_state with leaders (share.coordinator.state.topic.replication.factor must not exceed the broker count)"},
	{Code: SHARE005, Check: "group", Severity: SevFail, Title: "the group id is a consumer group's, not a share group's",
		Cause:       "{group} is a consumer group ({state}, protocol type {protocol}): the broker refuses share-group requests for it with GROUP_ID_NOT_FOUND (Kafka error 69), so Lambda's share consumer never joins",
		Remediation: "create the Queue mapping with a ConsumerGroupId no consumer group uses ({example}); ConsumerGroupId and ConsumptionMode cannot be changed after create"},
	{Code: SHARE006, Check: "group", Severity: SevFail, Title: "--join-group: joining the share group failed",
		Cause:       "share group {group}: ShareGroupHeartbeat returned Kafka error {kafka_code} {kafka_error}",
		Remediation: "check the broker log for the ShareGroupHeartbeat error"},
	{Code: SHARE101, Check: "group", Severity: SevWarn, Title: "Read on the share group could not be verified",
		Cause:       "share group {group}: {detail}",
		Remediation: "check the ACL with kafka-acls --list --group {group}, or rerun with --join-group on a group that already exists"},
}
