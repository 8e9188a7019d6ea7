package catalog

// apiCodes: what Lambda's CreateEventSourceMapping API would refuse.
// Registered first: the api check runs before every other.
var apiCodes = []Entry{
	{Code: API001, Check: "api", Severity: SevFail, Title: "Lambda's API would refuse this setting",
		Cause:       "{field}: {value}: {rule}",
		Remediation: "{fix}; CreateEventSourceMapping rejects the mapping otherwise, so no connection is ever attempted"},
}
