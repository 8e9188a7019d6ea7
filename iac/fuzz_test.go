package iac

import (
	"os"
	"testing"
)

// FuzzCloudFormation feeds templates (JSON and YAML, with short-form tags
// and aliases) to the reader: it must return a mapping or an error, never
// panic or run away.
func FuzzCloudFormation(f *testing.F) {
	for _, name := range []string{"template-msk.yaml", "template-sam.json", "template-msk-new-network.yaml", "plan-msk-new-network.json"} {
		if data, err := os.ReadFile("testdata/" + name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("Resources:\n  M: &a\n    Type: AWS::Lambda::EventSourceMapping\n    Properties: {Topics: [!Sub '${x}'], EventSourceArn: !Join [':', [*a]]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = FromCloudFormation(data, "", map[string]string{"x": "y", "VpcId": "vpc-1", "RouteTableId": "rtb-1"}, "us-east-1")
		_, _ = FromTerraformPlan(data, "")
	})
}
