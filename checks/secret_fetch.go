package checks

import (
	"context"
	"fmt"
	"github.com/esmdoctor/esmdoctor/catalog"
	"strings"

	"github.com/esmdoctor/esmdoctor/awsprobe"
)

// mskSCRAMPrefix is the name prefix MSK requires of SCRAM secrets.
const mskSCRAMPrefix = "AmazonMSK_"

// fetchSecrets reads every secret the mapping names in Secrets Manager, as
// the mapping does with the execution role, and publishes the documents
// (Facts.Secrets) for the validation that follows and the later checks. ok is false with the
// failure when one cannot be read or breaks an MSK rule.
func fetchSecrets(ctx context.Context, s *State) ([]string, Outcome, bool) {
	var detail []string
	facts := &SecretFacts{}
	for _, slot := range []struct {
		doc    *SecretDoc
		into   **SecretDoc
		client bool
	}{{s.secretDoc(), &facts.Secret, true}, {s.caDoc(), &facts.CA, false}} {
		if slot.doc == nil || slot.doc.ARN == "" {
			continue
		}
		fetched, line, o, ok := fetchSecret(ctx, s, *slot.doc, slot.client)
		detail = append(detail, line...)
		if !ok {
			return nil, o.withDetail(detail...), false
		}
		*slot.into = fetched
	}
	s.Facts.Secrets = facts
	return detail, Outcome{}, true
}

// fetchSecret reads one secret and applies the Region and MSK SCRAM rules.
func fetchSecret(ctx context.Context, s *State, doc SecretDoc, client bool) (*SecretDoc, []string, Outcome, bool) {
	args := Args{"source": doc.ARN, "region": s.region(), "caller": s.caller()}
	arn, _ := awsprobe.ParseARN(doc.ARN)
	if arn.Region != "" && args["region"] != "" && arn.Region != args["region"] {
		return nil, nil, fail(catalog.SECRET016, otherRegion(s, args, arn.Region)), false
	}
	sess, err := s.session(ctx)
	if err != nil {
		args["operation"], args["api_code"], args["detail"], args["fix"] = "GetSecretValue", "no AWS configuration", shortErr(err, ""), "see the sts check"
		return nil, nil, fail(catalog.SECRET020, args), false
	}
	obs := sess.Secret(ctx, doc.ARN, arn.Region, s.Step)
	s.useEndpoint(awsprobe.SecretsManager, obs.Endpoint)
	s.redact(secretDocValues(obs.Value)...)
	line := []string{fmt.Sprintf("%s: read from Secrets Manager at %s (%s); encrypted with %s", doc.ARN, obs.Endpoint, obs.Elapsed, kmsName(obs))}
	if obs.Err != nil {
		return nil, nil, secretFetchFailure(obs, args, s), false
	}
	if obs.DescribeErr == nil {
		if s.AWS.secretKeys == nil {
			s.AWS.secretKeys = map[string]string{}
		}
		s.AWS.secretKeys[doc.ARN] = obs.KMSKeyID
	}
	if obs.Binary || obs.Value == nil {
		return nil, line, fail(catalog.SECRET001, Args{"source": doc.ARN, "detail": "holds SecretBinary, but Lambda reads the SecretString as JSON"}), false
	}
	if len(obs.Value) > awsprobe.MaxSecretBytes {
		return nil, line, fail(catalog.SECRET002, Args{"source": doc.ARN, "detail": "the SecretString is more than 65,536 bytes"}), false
	}
	if client && s.eventSourceARN() != "" && s.auth() == AuthSCRAM512 {
		if o, bad := mskSCRAMRules(obs, args); bad {
			return nil, line, o, false
		}
	}
	d := doc
	d.Data = obs.Value
	return &d, line, Outcome{}, true
}

// mskSCRAMRules are MSK's conditions on a SCRAM secret: the AmazonMSK_
// name prefix and a customer-managed KMS key.
func mskSCRAMRules(obs awsprobe.Secret, args Args) (Outcome, bool) {
	args["name"] = obs.Name
	switch {
	case !strings.HasPrefix(obs.Name, mskSCRAMPrefix):
		return fail(catalog.SECRET018, args), true
	case obs.DescribeErr == nil && defaultKMSKey(obs.KMSKeyID):
		return fail(catalog.SECRET019, args), true
	}
	return Outcome{}, false
}

// defaultKMSKey says whether a secret uses the AWS-managed key
// aws/secretsmanager (DescribeSecret leaves KmsKeyId empty for it).
func defaultKMSKey(id string) bool {
	return id == "" || id == "alias/aws/secretsmanager" || strings.HasSuffix(id, ":alias/aws/secretsmanager")
}

func kmsName(obs awsprobe.Secret) string {
	switch {
	case obs.DescribeErr != nil:
		if f, ok := apiError(obs.DescribeErr); ok {
			return "an unknown KMS key (DescribeSecret: " + f.Code + ")"
		}
		return "an unknown KMS key (DescribeSecret failed)"
	case defaultKMSKey(obs.KMSKeyID):
		return "the default key aws/secretsmanager"
	}
	return "KMS key " + obs.KMSKeyID
}

// kmsDenied says whether an access denial from GetSecretValue is about
// KMS rather than the secret. This is the one place esmdoctor reads an
// error message: Secrets Manager answers both a caller that may not read
// the secret and one that may read it but not decrypt it with the same
// code (AccessDeniedException) on the same resource (the secret), and no
// other field (status, error type, the KMS key DescribeSecret shows, which
// a caller without kms:Decrypt still sees) tells them apart; only the
// message names KMS ("Access to KMS is not allowed").
func kmsDenied(f apiFailure) bool {
	return strings.Contains(f.Message, "KMS")
}

// secretFetchFailure classifies a failed GetSecretValue.
func secretFetchFailure(obs awsprobe.Secret, args Args, s *State) Outcome {
	if o, ok := deadlineSkip(obs.Err, "secretsmanager:GetSecretValue"); ok {
		return o
	}
	args["operation"], args["endpoint"], args["kms_key"], args["kms_hint"] = "GetSecretValue", obs.Endpoint, kmsName(obs), ""
	if obs.DescribeErr == nil && !defaultKMSKey(obs.KMSKeyID) {
		args["kms_hint"] = "; the secret is encrypted with customer-managed key " + obs.KMSKeyID + ", so kms:Decrypt on it is needed too"
	}
	f, ok := apiError(obs.Err)
	if !ok {
		args["detail"] = shortErr(obs.Err, "")
		if d, isNet := networkDetail(obs.Err, s.Step); isNet {
			args["detail"] = d
			return fail(catalog.SECRET017, args)
		}
		args["api_code"], args["fix"] = "no answer", "see the sts check: no usable credentials"
		return fail(catalog.SECRET020, args)
	}
	args["api_code"], args["detail"] = f.Code, f.Message
	switch {
	case f.Code == codeNotFound:
		return fail(catalog.SECRET013, args)
	case f.Code == "DecryptionFailure" || f.Code == "KMSAccessDeniedException" || f.Code == "KMSDisabledException" || f.Code == "KMSInvalidStateException",
		accessDenied(f.Code) && kmsDenied(f):
		return fail(catalog.SECRET015, args)
	case accessDenied(f.Code):
		return fail(catalog.SECRET014, args)
	case throttled(f.Code):
		args["fix"] = "Secrets Manager throttled the call (" + retriedNote(obs.Err) + "): retry later, and lower the request rate of other callers"
	case f.Code == "InvalidRequestException":
		args["fix"] = "the secret is probably scheduled for deletion: restore it (aws secretsmanager restore-secret) or point the mapping at a live secret"
	default:
		args["fix"] = "look up " + f.Code + " in the Secrets Manager API reference for GetSecretValue"
	}
	return fail(catalog.SECRET020, args)
}
