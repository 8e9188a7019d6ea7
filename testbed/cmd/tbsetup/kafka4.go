package main

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/IBM/sarama"
	"github.com/esmdoctor/esmdoctor/testbed/tbenv"
)

// setupKafka4 prepares the kafka4 node: the ESM topic (3 partitions, 6
// records) and the ESM ACLs (DescribeConfigs on the cluster, Describe and
// Read on the topic and on both ESM groups) for KAFKA4_FULL_ACL_PRINCIPALS
// (the OAuth principals: the token's sub).
func setupKafka4(addr string, cfg *sarama.Config, env tbenv.Env) error {
	adm, err := sarama.NewClusterAdmin([]string{addr}, cfg)
	if err != nil {
		return fmt.Errorf("kafka4 admin client: %w", err)
	}
	defer adm.Close()
	topic := env.Get("TOPIC")
	err = adm.CreateTopic(topic, &sarama.TopicDetail{NumPartitions: 3, ReplicationFactor: 1}, false)
	if err != nil && !errors.Is(err, sarama.ErrTopicAlreadyExists) {
		return fmt.Errorf("kafka4: create topic %s: %w", topic, err)
	}
	var acls []*sarama.ResourceAcls
	for _, p := range list(env.Get("KAFKA4_FULL_ACL_PRINCIPALS")) {
		for _, g := range esmGrants(env) {
			acls = append(acls, &sarama.ResourceAcls{
				Resource: sarama.Resource{ResourceType: g.rt, ResourceName: g.res, ResourcePatternType: sarama.AclPatternLiteral},
				Acls:     []*sarama.Acl{{Principal: "User:" + p, Host: "*", Operation: g.op, PermissionType: sarama.AclPermissionAllow}},
			})
		}
	}
	if len(acls) > 0 {
		if err := adm.CreateACLs(acls); err != nil {
			return fmt.Errorf("kafka4: create ACLs: %w", err)
		}
	}
	if err := kafka4Coordinator(addr, cfg, []string{env.Get("GROUP"), env.Get("ESM_UUID")}); err != nil {
		return err
	}
	n, err := produceOrders(addr, cfg, topic)
	if err != nil {
		return fmt.Errorf("kafka4: %w", err)
	}
	log.Printf("kafka4: created topic %s (3 partitions), %d ACL bindings, %d records", topic, len(acls), n)
	return nil
}

// kafka4Coordinator waits until each group's coordinator answers
// (FindCoordinator creates __consumer_offsets), so a test's first group
// request does not meet COORDINATOR_LOAD_IN_PROGRESS.
func kafka4Coordinator(addr string, cfg *sarama.Config, groups []string) error {
	b := sarama.NewBroker(addr)
	if err := b.Open(cfg); err != nil {
		return err
	}
	defer b.Close()
	deadline := time.Now().Add(60 * time.Second)
	for _, g := range groups {
		for {
			fc, err := b.FindCoordinator(&sarama.FindCoordinatorRequest{Version: 2, CoordinatorKey: g, CoordinatorType: sarama.CoordinatorGroup})
			if err == nil && fc.Err == sarama.ErrNoError {
				dg, err := b.DescribeGroups(&sarama.DescribeGroupsRequest{Version: 1, Groups: []string{g}})
				if err == nil && len(dg.Groups) == 1 && dg.Groups[0].Err == sarama.ErrNoError {
					break
				}
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("kafka4: group coordinator for %s not ready", g)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	return nil
}

// produceOrders writes two records to each of the topic's 3 partitions.
func produceOrders(addr string, cfg *sarama.Config, topic string) (int, error) {
	pcfg := *cfg
	pcfg.Producer.Return.Successes = true
	pcfg.Producer.RequiredAcks = sarama.WaitForAll
	pcfg.Producer.Partitioner = sarama.NewManualPartitioner
	pcfg.Producer.Retry.Max = 10
	pcfg.Producer.Retry.Backoff = 200 * time.Millisecond
	pcfg.Metadata.Retry.Max = 10
	prod, err := sarama.NewSyncProducer([]string{addr}, &pcfg)
	if err != nil {
		return 0, fmt.Errorf("producer: %w", err)
	}
	defer prod.Close()
	var msgs []*sarama.ProducerMessage
	for p := int32(0); p < 3; p++ {
		for i := 0; i < 2; i++ {
			msgs = append(msgs, &sarama.ProducerMessage{Topic: topic, Partition: p,
				Key:   sarama.StringEncoder(fmt.Sprintf("order-%d-%d", p, i)),
				Value: sarama.StringEncoder(fmt.Sprintf(`{"order":%d,"partition":%d}`, int(p)*2+i, p))})
		}
	}
	if err := prod.SendMessages(msgs); err != nil {
		return 0, fmt.Errorf("produce: %w", err)
	}
	return len(msgs), nil
}
