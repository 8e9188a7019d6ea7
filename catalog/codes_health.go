package catalog

// The health area: what the mapping reports about itself, its system logs
// (LoggingConfig) and its Kafka metrics (MetricsConfig), read from
// CloudWatch and set beside the live checks (reference section 8). All are
// warnings: they are the mapping's recent past, not a probe's verdict; the
// PROBLEM text a logged Kafka exception means is an argument ({problem}).
var healthCodes = []Entry{
	{Code: HEALTH101, Check: "health", Severity: SevWarn, Title: "the mapping's own system logs show Kafka errors",
		Cause:       "{count} {event_type} event(s) with {error_code} in the mapping's system logs between {first} and {last}: {what_it_means}; Lambda shows {problem} ({code}); {live}",
		Remediation: "the live check names the cause and the fix (esmdoctor explain {code}); the logs show the pollers' own view over the last {since}"},
	{Code: HEALTH102, Check: "health", Severity: SevWarn, Title: "the mapping's logs and the live checks disagree",
		Cause:       "{count} {event_type} event(s) with {error_code} in the mapping's system logs, the last at {last} ({code}: {problem}), but {live}",
		Remediation: "if the cause was fixed, the next logs will show no new {error_code} (rerun with a shorter --since); if it is intermittent or the pollers differ from esmdoctor, run as the execution role (--role-arn) and from the mapping's subnets (--in-vpc); esmdoctor explain {code}"},
	{Code: HEALTH103, Check: "health", Severity: SevWarn, Title: "the mapping's system logs show an error esmdoctor does not know",
		Cause:       "{count} {event_type} event(s) with {error_code} between {first} and {last}: {sample}",
		Remediation: "read the mapping's log stream (<date>/{uuid}) in {log_group} around {last}; the error code is a Kafka or Lambda exception class"},
	{Code: HEALTH104, Check: "health", Severity: SevWarn, Title: "the mapping's Kafka metrics show errors",
		Cause:       "over the last {since}: {metrics}",
		Remediation: "PollingErrorCount means the pollers cannot read (the live checks and the system logs say why), InvokeErrorCount that the function fails, CommitErrorCount that offsets are not committed (group ACLs), OnFailureDestinationDeliveryErrorCount that the on-failure destination rejects records"},
	{Code: HEALTH105, Check: "health", Severity: SevWarn, Title: "the mapping's offset lag is rising",
		Cause:       "over the last {since}: {metric}",
		Remediation: "the pollers fall behind: look for errors above, a slow or failing function, too few pollers (MaximumPollers, provisioned mode) or a too small BatchSize"},
	{Code: HEALTH106, Check: "health", Severity: SevWarn, Title: "the mapping's system logs could not be read",
		Cause:       "logs:{operation} on {log_group} as {caller} returned {api_code}: {detail}",
		Remediation: "allow esmdoctor's identity logs:DescribeLogStreams and logs:FilterLogEvents on arn:aws:logs:{region}:*:log-group:{log_group}:* (README: Reading a mapping's health)"},
	{Code: HEALTH107, Check: "health", Severity: SevWarn, Title: "the mapping's metrics could not be read",
		Cause:       "cloudwatch:GetMetricData as {caller} returned {api_code}: {detail}",
		Remediation: "allow esmdoctor's identity cloudwatch:GetMetricData (it takes no resource: \"Resource\": \"*\"; README: Reading a mapping's health)"},
	{Code: HEALTH108, Check: "health", Severity: SevWarn, Title: "the mapping's system logs are on but its function's log group does not exist",
		Cause:       "{log_group} does not exist in {region}, though the mapping's SystemLogLevel is {level}: the pollers write there with the execution role's logging permissions",
		Remediation: "give the execution role {role} logs:CreateLogGroup, logs:CreateLogStream and logs:PutLogEvents (the AWSLambdaBasicExecutionRole managed policy), or check the function's LoggingConfig.LogGroup"},
}
