package resolve

import (
	"errors"
	"testing"

	"github.com/esmdoctor/esmdoctor/awsprobe"
)

// FuzzAccessConfiguration feeds the --source-access-configuration
// shorthand parser and the classification of the result: any input is
// either accepted or refused with an InputError, never a panic.
func FuzzAccessConfiguration(f *testing.F) {
	for _, s := range []string{
		"Type=SASL_SCRAM_512_AUTH,URI=arn:aws:secretsmanager:us-east-1:123456789012:secret:AmazonMSK_x-AbCdEf",
		"type=VPC_SUBNET,uri=subnet:subnet-0123456789abcdef0",
		"Type=VPC_SECURITY_GROUP,URI=security_group:sg-0123",
		"URI=arn:aws:secretsmanager:eu-west-1:1:secret:ca,Type=SERVER_ROOT_CA_CERTIFICATE",
		"Type=BASIC_AUTH", "Type=,URI=", "=,=", "Type=X,URI=arn:aws:kafka:::", "Type=BASIC_AUTH,URI=arn:aws:secretsmanager",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		ac, err := parseShorthand(raw)
		if err != nil {
			return
		}
		acc := access{list: []awsprobe.AccessConfig{ac}}
		if err := acc.classify(); err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("%q: error of type %T", raw, err)
			}
			return
		}
		if a, _ := acc.authFromType(); acc.authSecret != nil && a == "" {
			t.Fatalf("%q: secret type %q selects no auth mode", raw, acc.authSecret.Type)
		}
	})
}
