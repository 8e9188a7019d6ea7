package awsprobe

import "testing"

func TestContextForKMSKeys(t *testing.T) {
	c := contextFor("arn:aws:kms:eu-west-1:123456789012:key/k-1")
	if len(c) != 1 || *c[0].ContextKeyName != "kms:ViaService" || c[0].ContextKeyValues[0] != "secretsmanager.eu-west-1.amazonaws.com" {
		t.Fatalf("%+v", c)
	}
	if c := contextFor("arn:aws:kafka:us-east-1:1:cluster/a/b"); c != nil {
		t.Fatalf("context for a cluster: %+v", c)
	}
	if RoleName("arn:aws:iam::1:role/path/to/r") != "r" {
		t.Fatal("role name with a path")
	}
}
