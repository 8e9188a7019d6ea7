package catalog

// The mapping's processing settings that the mapping check weighs against
// AWS (reference section 8): the provisioned poller group's limits and an
// SQS, SNS or S3 on-failure destination. None stops the mapping reading,
// so all are warnings.
var mappingSettingsCodes = []Entry{
	{Code: MAPPING110, Check: "mapping", Severity: SevWarn, Title: "the poller group holds more than 100 mappings",
		Cause:       "poller group {group} holds {count} mappings with this one ({members}); a poller group takes at most 100",
		Remediation: "put this mapping in another poller group (aws lambda update-event-source-mapping --uuid UUID --provisioned-poller-config MinimumPollers=N,MaximumPollers=M,PollerGroupName=OTHER), or leave PollerGroupName out"},
	{Code: MAPPING111, Check: "mapping", Severity: SevWarn, Title: "the poller group's maximum pollers add up to more than 2000",
		Cause:       "the {count} mapping(s) of poller group {group} have MaximumPollers adding up to {sum} (this one {own}); a poller group's maximum pollers add up to at most 2000",
		Remediation: "lower MaximumPollers on the group's mappings (to at most their topics' partition counts, beyond which pollers idle) until they add up to 2000 or less, or move mappings to another poller group"},
	{Code: MAPPING112, Check: "mapping", Severity: SevWarn, Title: "the poller group could not be read",
		Cause:       "poller group {group}: lambda:ListEventSourceMappings returned {detail}; the group's limits (100 mappings, 2000 maximum pollers) are unchecked",
		Remediation: "allow lambda:ListEventSourceMappings for esmdoctor's identity (it lists the account's mappings of the Region to find the group's members), then rerun"},
	{Code: DEST101, Check: "mapping", Severity: SevWarn, Title: "the on-failure destination does not exist",
		Cause:       "the mapping's on-failure destination {destination}: {service} {operation} answered {api_code} ({detail}); records that exhaust their retries cannot be delivered there (OnFailureDestinationDeliveryErrorCount)",
		Remediation: "create it ({create}), or point DestinationConfig.OnFailure at one that exists (aws lambda update-event-source-mapping --uuid UUID --destination-config '{\"OnFailure\":{\"Destination\":\"ARN\"}}')"},
	{Code: DEST102, Check: "mapping", Severity: SevWarn, Title: "the on-failure destination is in another Region than the function",
		Cause:       "the mapping's on-failure destination {destination} is in {dest_region}, the function and its mapping in {region}: Lambda documents on-failure destinations in other accounts, not in other Regions, and the {service} VPC endpoint Lambda asks for in the cluster's VPC serves {region} only",
		Remediation: "use a destination in {region} (a queue, topic or bucket there)"},
	{Code: DEST103, Check: "mapping", Severity: SevWarn, Title: "the on-failure destination could not be checked",
		Cause:       "esmdoctor's identity read {destination} with {service} {operation} at {endpoint}: {detail}; whether it exists is unchecked",
		Remediation: "{fix}"},
	{Code: DEST104, Check: "mapping", Severity: SevWarn, Title: "the on-failure destination is not a kind Kafka mappings take",
		Cause:       "the mapping's on-failure destination {destination} is not an SQS queue, SNS topic, S3 bucket or kafka:// topic, the destinations Lambda takes for Kafka event sources",
		Remediation: "point DestinationConfig.OnFailure at an SQS queue, SNS topic or S3 bucket ARN, or kafka://TOPIC (provisioned mode)"},
}
