package catalog

// iamOAuthCodes: IAM outbound identity federation (IAM_OAUTHBEARER_AUTH on a
// self-managed source). The mapping asks sts:GetWebIdentityToken, as its
// execution role, for a JWT whose audience is OAUTHBEARER_AUDIENCE and logs
// in with it over SASL/OAUTHBEARER; the brokers validate it against the
// account's AWS issuer (https://<id>.tokens.sts.global.api.aws, keys at
// /.well-known/jwks.json) and name the client User:<role ARN>. Lambda
// documents no PROBLEM text for the token request; a rejected login shows
// "SASL authentication failed".
var iamOAuthCodes = []Entry{
	{Code: TOKEN050, Check: "token", Severity: SevFail, Title: "IAM outbound identity federation is not enabled in the account",
		Cause:       "sts:GetWebIdentityToken at {endpoint} as {caller}: {api_code}: account {caller_account} has not enabled outbound identity federation, so STS issues no web identity tokens",
		Remediation: "enable it once for the account: aws iam enable-outbound-web-identity-federation (it answers the account's issuer URL, https://<id>.tokens.sts.global.api.aws; the brokers must trust its /.well-known/jwks.json)"},
	{Code: TOKEN051, Check: "token", Severity: SevFail, Title: "the role may not call sts:GetWebIdentityToken",
		Cause:       "sts:GetWebIdentityToken at {endpoint} as {caller}: {api_code}: {detail}",
		Remediation: "allow sts:GetWebIdentityToken in the policy of {holder} (the mapping asks for the token as the function's execution role; the condition key sts:IdentityTokenAudience can pin the audience {audience}), and check that no service control policy or permissions boundary denies it"},
	{Code: TOKEN052, Check: "token", Severity: SevFail, Title: "the STS endpoint does not serve GetWebIdentityToken",
		Cause:       "sts:GetWebIdentityToken at {endpoint}: {api_code}: {detail}",
		Remediation: "the global endpoint (sts.amazonaws.com) does not serve GetWebIdentityToken: use the Region's endpoint, sts.{region}.amazonaws.com (drop a global AWS_ENDPOINT_URL_STS or sts_regional_endpoints=legacy); the mapping itself always uses its Region's endpoint"},
	{Code: TOKEN053, Check: "token", Severity: SevFail, Title: "GetWebIdentityToken request failed",
		Cause:       "sts:GetWebIdentityToken at {endpoint} as {caller} for audience {audience}: {api_code}: {detail}",
		Remediation: "{fix}"},
	{Code: TOKEN054, Check: "token", Severity: SevFail, Title: "STS endpoint unreachable for GetWebIdentityToken",
		Cause:       "sts:GetWebIdentityToken at {endpoint}: {detail}",
		Remediation: "run esmdoctor where HTTPS to the regional STS endpoint works; the mapping's own network needs it too (provisioned mode excepted): a NAT gateway route, or an interface VPC endpoint for sts"},
	{Code: TOKEN055, Check: "token", Severity: SevFail, Title: "STS answered a token that is not a signed JWT",
		Cause:       "sts:GetWebIdentityToken at {endpoint} answered a token esmdoctor cannot read as a signed JWT ({detail})",
		Remediation: "check that AWS_ENDPOINT_URL_STS (or the profile's endpoint_url) names a real STS endpoint: a proxy or stand-in answered"},
	{Code: TOKEN056, Check: "permissions", Severity: SevFail, Title: "the execution role's policies do not allow sts:GetWebIdentityToken",
		Cause:       "{role} may not: {missing}",
		Remediation: "grant it (IAM_OAUTHBEARER_AUTH needs it; the condition key sts:IdentityTokenAudience can pin the audience): {cli_fix}"},
	{Code: TOKEN150, Check: "token", Severity: SevWarn, Title: "the token names another identity than the function's execution role",
		Cause:       "the web identity token's subject is {subject}, but the function runs as {role}: the brokers name the mapping User:{role}, and this run checked User:{subject}",
		Remediation: "rerun with --role-arn {role} to request the token as the execution role, as the mapping does"},
	{Code: SASL030, Check: "sasl", Severity: SevFail, Title: "brokers rejected the AWS-issued token",
		Problem: "P4", ErrorName: namedSASL,
		Cause:       "{addr}: SASL/OAUTHBEARER login with the token STS issued to {sub} (issuer {iss}, audience {aud}, key {kid} {alg}, expiring {exp}) rejected: Kafka error 58 SASL_AUTHENTICATION_FAILED{broker_message}; Kafka's validator answers every failed validation alike (invalid_token), so either the listener does not trust this issuer's keys or it expects another audience",
		Remediation: "on the brokers' OAUTHBEARER listener: sasl.oauthbearer.jwks.endpoint.url={iss}/.well-known/jwks.json (listed in the JVM property org.apache.kafka.sasl.oauthbearer.allowed.urls), sasl.oauthbearer.expected.audience including {aud} (or set the mapping's OAUTHBEARER_AUDIENCE to the audience the brokers expect), and sasl.oauthbearer.expected.issuer, if set, equal to {iss}; the broker's log names the failed validation"},
}
