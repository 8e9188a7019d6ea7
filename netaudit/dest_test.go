package netaudit

import "testing"

const fnARN = "arn:aws:lambda:us-east-1:123456789012:function:orders-consumer"

// TestDestinationAndLogPermissions pins the actions and exact resources
// of on-failure destinations and of LoggingConfig, read from the role's
// policies.
func TestDestinationAndLogPermissions(t *testing.T) {
	bucketObjects := `{"Statement":[{"Effect":"Allow","Action":["s3:PutObject","s3:ListBucket"],"Resource":"arn:aws:s3:::orders-dlq"}]}`
	bucketBoth := `{"Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::orders-dlq/*"},{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::orders-dlq"}]}`
	basicLogs := `{"Statement":[{"Effect":"Allow","Action":"logs:CreateLogGroup","Resource":"arn:aws:logs:us-east-1:123456789012:*"},{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders-consumer:*"}]}`
	cases := []struct {
		name        string
		needs       Needs
		docs        []string
		code, cause string
		fix         string
	}{
		{name: "SQS queue without sqs:SendMessage", needs: Needs{Destination: "arn:aws:sqs:us-east-1:123456789012:orders-dlq"},
			docs: []string{`{"Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:123456789012:other"}]}`},
			code: "ESM-PERM-007", cause: "sqs:SendMessage on arn:aws:sqs:us-east-1:123456789012:orders-dlq", fix: `"Action":["sqs:SendMessage"]`},
		{name: "SNS topic allowed", needs: Needs{Destination: "arn:aws:sns:us-east-1:123456789012:orders-failed"},
			docs: []string{`{"Statement":[{"Effect":"Allow","Action":"sns:Publish","Resource":"arn:aws:sns:us-east-1:123456789012:orders-*"}]}`}},
		{name: "S3 PutObject granted on the bucket, not its objects", needs: Needs{Destination: "arn:aws:s3:::orders-dlq"}, docs: []string{bucketObjects},
			code: "ESM-PERM-007", cause: "s3:PutObject on arn:aws:s3:::orders-dlq/*", fix: `"Resource":"arn:aws:s3:::orders-dlq/*"`},
		{name: "S3 objects and bucket allowed", needs: Needs{Destination: "arn:aws:s3:::orders-dlq"}, docs: []string{bucketBoth}},
		{name: "Kafka destination on an IAM cluster without WriteData", needs: Needs{Destination: "kafka://orders-dlq", ClusterARN: clusterARN, IAM: true, Topic: "orders", Group: "g-1"},
			docs: []string{mskExecutionRole, dataPlane},
			code: "ESM-PERM-007", cause: "kafka-cluster:WriteData on arn:aws:kafka:us-east-1:123456789012:topic/orders/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-2/orders-dlq"},
		{name: "Kafka destination with SCRAM needs no IAM action", needs: Needs{Destination: "kafka://orders-dlq", ClusterARN: clusterARN, Topic: "orders"},
			docs: []string{mskExecutionRole}},
		{name: "logs on, role without logs actions", needs: Needs{LogGroup: LogGroupARN(fnARN, "")}, docs: []string{`{"Statement":[]}`},
			code: "ESM-PERM-104", cause: "logs:PutLogEvents on arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders-consumer:log-stream:*"},
		{name: "logs on, the documented per-function policy", needs: Needs{LogGroup: LogGroupARN(fnARN+":live", "")}, docs: []string{basicLogs}},
		{name: "logs to a custom log group the policy does not name", needs: Needs{LogGroup: LogGroupARN(fnARN, "/orders/esm")}, docs: []string{basicLogs},
			code: "ESM-PERM-104", cause: "logs:CreateLogStream on arn:aws:logs:us-east-1:123456789012:log-group:/orders/esm:log-stream:*"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := Permissions{Role: role(lambdaTrust, c.docs...), Required: Required(c.needs), SimulateErr: "AccessDenied"}
			fs := Worst(AnalyzeRole(p))
			if c.code == "" {
				// Read from the policies: only the "not simulated" warning.
				for _, f := range fs {
					if f.Status != Pass && f.Code != "ESM-PERM-101" {
						t.Fatalf("want no finding but PERM-101: %+v", f)
					}
				}
				return
			}
			assertFirst(t, fs, c.code, "", c.cause, c.fix)
		})
	}
}
