package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/IBM/sarama"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	gluetypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/esmdoctor/esmdoctor/testbed/tbenv"
	"github.com/hamba/avro/v2"
	"google.golang.org/protobuf/encoding/protowire"
)

// The schema registry's part of the test bed: the schemas registered in
// Apicurio (Confluent-compatible API) and in moto's Glue, and one topic per
// scenario on the main broker whose records reference them.
const (
	orderAvro  = `{"type":"record","name":"Order","namespace":"esmdoctor.testbed","fields":[{"name":"id","type":"long"},{"name":"item","type":"string"}]}`
	orderProto = `syntax = "proto3"; package esmdoctor.testbed; message Order { int64 id = 1; string item = 2; }`
	orderJSON  = `{"type":"object","required":["id","item"],"properties":{"id":{"type":"integer"},"item":{"type":"string"}}}`
	unknownID  = 4242 // an id the fresh registry never hands out
	glueName   = "esm-registry"
	topicAvro  = "registry-avro"
	topicJSON  = "registry-json"
	topicProto = "registry-protobuf"
	topicUnkn  = "registry-unknown-id"
	topicMism  = "registry-mismatch"
	topicGlue  = "registry-glue"
	topicGlueU = "registry-glue-unknown"
)

// setupRegistry waits for the registry, registers the schemas, creates the
// registry topics with Read and Describe for the SCRAM user (a prefixed
// ACL on "registry-"), produces the records and prints the state-file lines.
func setupRegistry(addr string, cfg *sarama.Config, env tbenv.Env, pid int, timeout time.Duration) error {
	url, user, pass := env.Get("REGISTRY_URL"), env.Get("REGISTRY_USER"), env.Get("REGISTRY_PASSWORD")
	if err := waitRegistry(url, user, pass, pid, timeout); err != nil {
		return err
	}
	avroID, err := register(url, user, pass, topicAvro+"-value", orderAvro, "")
	if err != nil {
		return err
	}
	jsonID, err := register(url, user, pass, topicJSON+"-value", orderJSON, "JSON")
	if err != nil {
		return err
	}
	protoID, err := register(url, user, pass, topicProto+"-value", orderProto, "PROTOBUF")
	if err != nil {
		return err
	}
	glueARN, versionID, err := glueSchema(env.Get("MOTO"), env.Get("IAM_REGION"))
	if err != nil {
		return err
	}
	if err := registryTopics(addr, cfg, env.Get("SCRAM_USER")); err != nil {
		return err
	}
	if err := produceRegistryRecords(addr, cfg, ids{avroID, jsonID, protoID}, versionID); err != nil {
		return err
	}
	log.Printf("registered Avro schema id %d, JSON Schema id %d, Protobuf schema id %d, Glue schema version %s; produced records on registry-* topics",
		avroID, jsonID, protoID, versionID)
	fmt.Printf("REGISTRY_AVRO_ID=%d\nREGISTRY_JSON_ID=%d\nREGISTRY_PROTOBUF_ID=%d\nREGISTRY_UNKNOWN_ID=%d\nGLUE_REGISTRY_ARN=%s\nGLUE_SCHEMA_VERSION_ID=%s\n",
		avroID, jsonID, protoID, unknownID, glueARN, versionID)
	for k, v := range map[string]string{"AVRO": topicAvro, "JSON": topicJSON, "PROTOBUF": topicProto, "UNKNOWN": topicUnkn, "MISMATCH": topicMism, "GLUE": topicGlue, "GLUE_UNKNOWN": topicGlueU} {
		fmt.Printf("REGISTRY_TOPIC_%s=%s\n", k, v)
	}
	return nil
}

// waitRegistry polls GET /schemas/types until the registry answers 200.
func waitRegistry(url, user, pass string, pid int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		if !alive(pid) {
			return fmt.Errorf("schema registry (pid %d) exited", pid)
		}
		status, _, err := call(http.MethodGet, url+"/schemas/types", user, pass, nil)
		if err == nil && status == 200 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("schema registry at %s not ready after %s (HTTP %d, %v)", url, timeout, status, err)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// register adds a schema under subject and returns its id.
func register(url, user, pass, subject, schema, typ string) (uint32, error) {
	body := map[string]string{"schema": schema}
	if typ != "" {
		body["schemaType"] = typ
	}
	data, _ := json.Marshal(body)
	status, out, err := call(http.MethodPost, url+"/subjects/"+subject+"/versions", user, pass, data)
	if err != nil || status != 200 {
		return 0, fmt.Errorf("register %s: HTTP %d %s %v", subject, status, out, err)
	}
	var r struct {
		ID uint32 `json:"id"`
	}
	if err := json.Unmarshal(out, &r); err != nil || r.ID == 0 {
		return 0, fmt.Errorf("register %s: answer %s", subject, out)
	}
	return r.ID, nil
}

// call sends one request with basic auth and reads a bounded answer.
func call(method, url, user, pass string, body []byte) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.SetBasicAuth(user, pass)
	req.Header.Set("Content-Type", "application/vnd.schemaregistry.v1+json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	out, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	return res.StatusCode, out, err
}

// glueSchema creates (or finds) the Glue registry and its Avro schema in
// moto and returns the registry ARN and the schema version id.
func glueSchema(moto, region string) (string, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := glue.NewFromConfig(aws.Config{Region: region, BaseEndpoint: aws.String(moto),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTESTBED", "testbed-secret", "")})
	reg, err := c.CreateRegistry(ctx, &glue.CreateRegistryInput{RegistryName: aws.String(glueName)})
	var exists *gluetypes.AlreadyExistsException
	if err != nil && !errors.As(err, &exists) {
		return "", "", fmt.Errorf("glue CreateRegistry: %w", err)
	}
	arn := ""
	if reg != nil {
		arn = aws.ToString(reg.RegistryArn)
	}
	if arn == "" {
		g, err := c.GetRegistry(ctx, &glue.GetRegistryInput{RegistryId: &gluetypes.RegistryId{RegistryName: aws.String(glueName)}})
		if err != nil {
			return "", "", fmt.Errorf("glue GetRegistry: %w", err)
		}
		arn = aws.ToString(g.RegistryArn)
	}
	s, err := c.CreateSchema(ctx, &glue.CreateSchemaInput{RegistryId: &gluetypes.RegistryId{RegistryName: aws.String(glueName)},
		SchemaName: aws.String("orders"), DataFormat: gluetypes.DataFormatAvro, Compatibility: gluetypes.CompatibilityNone, SchemaDefinition: aws.String(orderAvro)})
	if err == nil {
		return arn, aws.ToString(s.SchemaVersionId), nil
	}
	if !errors.As(err, &exists) {
		return "", "", fmt.Errorf("glue CreateSchema: %w", err)
	}
	v, err := c.GetSchemaVersion(ctx, &glue.GetSchemaVersionInput{SchemaId: &gluetypes.SchemaId{RegistryName: aws.String(glueName), SchemaName: aws.String("orders")},
		SchemaVersionNumber: &gluetypes.SchemaVersionNumber{LatestVersion: true}})
	if err != nil {
		return "", "", fmt.Errorf("glue GetSchemaVersion: %w", err)
	}
	return arn, aws.ToString(v.SchemaVersionId), nil
}

// registryTopics creates the scenario topics (one partition each) and lets
// the SCRAM user read them.
func registryTopics(addr string, cfg *sarama.Config, user string) error {
	adm, err := sarama.NewClusterAdmin([]string{addr}, cfg)
	if err != nil {
		return fmt.Errorf("admin client: %w", err)
	}
	defer adm.Close()
	for _, t := range []string{topicAvro, topicJSON, topicProto, topicUnkn, topicMism, topicGlue, topicGlueU} {
		err := adm.CreateTopic(t, &sarama.TopicDetail{NumPartitions: 1, ReplicationFactor: 1}, false)
		if err != nil && !errors.Is(err, sarama.ErrTopicAlreadyExists) {
			return fmt.Errorf("create topic %s: %w", t, err)
		}
	}
	var acls []*sarama.ResourceAcls
	for _, op := range []sarama.AclOperation{sarama.AclOperationDescribe, sarama.AclOperationRead} {
		acls = append(acls, &sarama.ResourceAcls{
			Resource: sarama.Resource{ResourceType: sarama.AclResourceTopic, ResourceName: "registry-", ResourcePatternType: sarama.AclPatternPrefixed},
			Acls:     []*sarama.Acl{{Principal: "User:" + user, Host: "*", Operation: op, PermissionType: sarama.AclPermissionAllow}},
		})
	}
	return adm.CreateACLs(acls)
}

// ids are the schema ids the registry handed out.
type ids struct{ avro, json, proto uint32 }

// produceRegistryRecords writes each scenario's records.
func produceRegistryRecords(addr string, cfg *sarama.Config, id ids, versionID string) error {
	avroID, jsonID := id.avro, id.json
	sch := avro.MustParse(orderAvro)
	order := func(id int64) []byte {
		b, _ := avro.Marshal(sch, map[string]any{"id": id, "item": fmt.Sprintf("item-%d", id)})
		return b
	}
	known, err := glueHeader(versionID)
	if err != nil {
		return err
	}
	unknownGlue, _ := glueHeader("0badc0de-0000-4000-8000-000000000000")
	var msgs []*sarama.ProducerMessage
	add := func(topic, key string, value []byte) {
		msgs = append(msgs, &sarama.ProducerMessage{Topic: topic, Partition: 0, Key: sarama.StringEncoder(key), Value: sarama.ByteEncoder(value)})
	}
	for i := int64(1); i <= 3; i++ {
		add(topicAvro, fmt.Sprintf("order-%d", i), append(confluent(avroID), order(i)...))
		add(topicGlue, fmt.Sprintf("order-%d", i), append(append([]byte{}, known...), order(i)...))
	}
	add(topicJSON, "order-1", append(confluent(jsonID), `{"id":1,"item":"book"}`...))
	// Protobuf: the message-index path [0] (one 0 byte), then Order{id: 1, item: "book"}.
	proto := protowire.AppendVarint(protowire.AppendTag([]byte{0}, 1, protowire.VarintType), 1)
	add(topicProto, "order-1", append(confluent(id.proto), protowire.AppendString(protowire.AppendTag(proto, 2, protowire.BytesType), "book")...))
	add(topicUnkn, "order-1", append(confluent(avroID), order(1)...))
	add(topicUnkn, "order-2", append(confluent(unknownID), order(2)...))
	add(topicMism, "order-1", append(confluent(avroID), order(1)...))
	add(topicMism, "order-2", append(confluent(avroID), `{"id":"two","item":"not avro"}`...))
	add(topicGlueU, "order-1", append(unknownGlue, order(1)...))
	return produce(addr, cfg, msgs)
}

// confluent is the 5-byte magic-and-id prefix.
func confluent(id uint32) []byte {
	b := []byte{0, 0, 0, 0, 0}
	binary.BigEndian.PutUint32(b[1:], id)
	return b
}

// glueHeader is Glue's 18-byte header: version 3, no compression, the
// schema version id.
func glueHeader(versionID string) ([]byte, error) {
	raw, err := hex.DecodeString(strings.ReplaceAll(versionID, "-", ""))
	if err != nil || len(raw) != 16 {
		return nil, fmt.Errorf("glue schema version id %q is not a UUID", versionID)
	}
	return append([]byte{3, 0}, raw...), nil
}

// produce sends msgs, acknowledged by the leader.
func produce(addr string, cfg *sarama.Config, msgs []*sarama.ProducerMessage) error {
	pcfg := *cfg
	pcfg.Producer.Return.Successes = true
	pcfg.Producer.RequiredAcks = sarama.WaitForAll
	pcfg.Producer.Partitioner = sarama.NewManualPartitioner
	pcfg.Producer.Retry.Max = 10
	pcfg.Producer.Retry.Backoff = 200 * time.Millisecond
	pcfg.Metadata.Retry.Max = 10
	prod, err := sarama.NewSyncProducer([]string{addr}, &pcfg)
	if err != nil {
		return fmt.Errorf("producer: %w", err)
	}
	defer prod.Close()
	if err := prod.SendMessages(msgs); err != nil {
		return fmt.Errorf("produce: %w", err)
	}
	return nil
}
