package netaudit

import "testing"

// FuzzParsePolicy feeds policy documents (IAM returns them URL-encoded;
// endpoint policies come as JSON) to the parser and the evaluator.
func FuzzParsePolicy(f *testing.F) {
	f.Add(lambdaTrust)
	f.Add(mskExecutionRole)
	f.Add(`{"Statement":{"Effect":"Deny","NotAction":"s3:*","NotResource":["arn:*"],"Principal":{"AWS":"*"},"Condition":{"Null":{"a":"b"}}}}`)
	f.Fuzz(func(t *testing.T, doc string) {
		p, err := ParsePolicy(doc)
		if err != nil {
			return
		}
		_, _ = Evaluate([]NamedPolicy{{Name: "p", Policy: p}}, "kafka-cluster:Connect", "arn:aws:kafka:us-east-1:1:cluster/a/b")
		_ = trustFindings(Role{ARN: "arn:aws:iam::1:role/r", Name: "r", Trust: doc})
	})
}
