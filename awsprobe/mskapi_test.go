package awsprobe

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/encoding/httpbinding"
)

const (
	testClusterARN = "arn:aws:kafka:eu-west-1:123456789012:cluster/orders/0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b-2"
	testClusterEsc = "arn%3Aaws%3Akafka%3Aeu-west-1%3A123456789012%3Acluster%2Forders%2F0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b-2"
	testVpcConnARN = "arn:aws:kafka:eu-west-1:123456789012:vpc-connection/111122223333/orders/abcd-1"
)

// fakeMSK answers MSK's REST-JSON reads as the service does: GET, the ARN
// escaped as a path label, signed for "kafka"; an unknown ARN is a 404
// NotFoundException in X-Amzn-ErrorType. ListNodes gives two pages.
func fakeMSK(t *testing.T) *httptest.Server {
	answers := map[string]string{
		"/api/v2/clusters/" + testClusterEsc: `{"clusterInfo":{"clusterName":"orders","clusterType":"PROVISIONED","state":"ACTIVE",
			"provisioned":{"brokerNodeGroupInfo":{"clientSubnets":["subnet-a","subnet-b"],"securityGroups":["sg-1"]},
			"currentBrokerSoftwareInfo":{"kafkaVersion":"3.6.0"},"encryptionInfo":{"encryptionInTransit":{"clientBroker":"TLS_PLAINTEXT","inCluster":true}},
			"clientAuthentication":{"sasl":{"iam":{"enabled":true},"scram":{"enabled":false}},"tls":{"certificateAuthorityArnList":["arn:aws:acm-pca:x"]}}}}}`,
		"/v1/clusters/" + testClusterEsc + "/bootstrap-brokers": `{"bootstrapBrokerStringSaslIam":"b-1.orders:9098,b-2.orders:9098","bootstrapBrokerStringTls":"b-1.orders:9094",
			"bootstrapBrokerStringVpcConnectivitySaslIam":"b-1.orders:14001"}`,
		"/v1/clusters/" + testClusterEsc + "/nodes?maxResults=100": `{"nodeInfoList":[{"nodeType":"BROKER","brokerNodeInfo":{"brokerId":1.0,"attachedENIId":"eni-1",
			"clientSubnet":"subnet-a","clientVpcIpAddress":"10.0.1.7","endpoints":["b-1.orders"]}}],"nextToken":"page 2"}`,
		"/v1/clusters/" + testClusterEsc + "/nodes?maxResults=100&nextToken=page%202": `{"nodeInfoList":[{"nodeType":"BROKER","brokerNodeInfo":{"brokerId":2.0,
			"attachedENIId":"eni-2","clientSubnet":"subnet-b","clientVpcIpAddress":"10.0.2.7","endpoints":["b-2.orders"]}}]}`,
		"/v1/vpc-connection/" + label(testVpcConnARN): `{"vpcConnectionArn":"` + testVpcConnARN + `","targetClusterArn":"` + testClusterARN + `",
			"state":"AVAILABLE","authentication":"SASL_IAM","vpcId":"vpc-1","subnets":["subnet-x"],"securityGroups":["sg-x"]}`,
	}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.URL.EscapedPath()
		if r.URL.RawQuery != "" {
			key += "?" + r.URL.RawQuery
		}
		body, ok := answers[key]
		switch {
		case r.Method != http.MethodGet || !strings.Contains(r.Header.Get("Authorization"), "/eu-west-1/kafka/aws4_request"):
			t.Errorf("request %s %s %q", r.Method, key, r.Header.Get("Authorization"))
			w.WriteHeader(http.StatusBadRequest)
		case !ok:
			w.Header().Set("X-Amzn-ErrorType", "NotFoundException:http://internal.amazon.com/coral/com.amazonaws.kafka/")
			w.Header().Set("X-Amzn-Requestid", "req-404")
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"message":"The requested resource doesn't exist.","invalidParameter":"clusterArn"}`)
		default:
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, body)
		}
	}))
}

// TestMSKReads: the four MSK reads, decoded into what the checks read,
// and an unknown cluster's NotFoundException with the operation, the
// status and the request id, as the SDK's kafka client returned them.
func TestMSKReads(t *testing.T) {
	for _, arn := range []string{testClusterARN, testVpcConnARN, "a b+c%d~e"} {
		if got, want := label(arn), httpbinding.EscapePath(arn, true); got != want {
			t.Fatalf("label %q: %s, the SDK's %s", arn, got, want)
		}
	}
	srv := fakeMSK(t)
	defer srv.Close()
	sess := testSession(t, map[string]string{"AWS_REGION": "eu-west-1", "AWS_ENDPOINT_URL_KAFKA": srv.URL})
	ctx := context.Background()
	c := sess.readCluster(ctx, testClusterARN, "", 5*time.Second)
	if c.Err != nil || c.Name != "orders" || c.State != "ACTIVE" || c.Type != "PROVISIONED" || !c.IAM || c.SCRAM || !c.TLSAuth || c.Unauthenticated ||
		c.InTransit != "TLS_PLAINTEXT" || c.KafkaVersion != "3.6.0" || strings.Join(c.Subnets, ",") != "subnet-a,subnet-b" || c.SecurityGroups[0] != "sg-1" ||
		c.Bootstrap.SASLIAM != "b-1.orders:9098,b-2.orders:9098" || c.Bootstrap.TLS != "b-1.orders:9094" || c.Bootstrap.VpcSASLIAM != "b-1.orders:14001" || c.Endpoint != srv.URL {
		t.Fatalf("cluster %+v", c)
	}
	nodes, err := sess.BrokerNodes(ctx, testClusterARN, "eu-west-1", 5*time.Second)
	if err != nil || len(nodes) != 2 || nodes[1].ID != 2 || nodes[1].ENI != "eni-2" || nodes[1].IP.String() != "10.0.2.7" || nodes[0].Endpoints[0] != "b-1.orders" {
		t.Fatalf("nodes %+v, %v", nodes, err)
	}
	v, err := sess.VpcConnection(ctx, testVpcConnARN, 5*time.Second)
	if err != nil || v.State != "AVAILABLE" || v.Authentication != "SASL_IAM" || v.TargetClusterARN != testClusterARN || v.VPC != "vpc-1" || v.Subnets[0] != "subnet-x" {
		t.Fatalf("vpc connection %+v, %v", v, err)
	}
	c = sess.readCluster(ctx, testClusterARN+"x", "", 5*time.Second)
	code, msg, _ := ErrorCode(c.Err)
	var oe *smithy.OperationError
	var re *awshttp.ResponseError
	if code != "NotFoundException" || msg != "The requested resource doesn't exist." || c.Operation != "DescribeClusterV2" ||
		!errors.As(c.Err, &oe) || oe.Service() != "Kafka" || oe.Operation() != "DescribeClusterV2" ||
		!errors.As(c.Err, &re) || re.HTTPStatusCode() != 404 || re.ServiceRequestID() != "req-404" {
		t.Fatalf("not found: %v", c.Err)
	}
}

// testSession loads a session from static test credentials and env (no
// shared files, no other endpoint override).
func testSession(t *testing.T, env map[string]string) *Session {
	t.Helper()
	base := map[string]string{"AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "",
		"AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_PROFILE": "", "AWS_ENDPOINT_URL": ""}
	for k, v := range env {
		base[k] = v
	}
	for k, v := range base {
		t.Setenv(k, v)
	}
	sess, err := Load(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return sess
}
