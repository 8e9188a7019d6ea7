package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/IBM/sarama"
	"github.com/esmdoctor/esmdoctor/testbed/tbenv"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// setupShare prepares Queue mode's scenarios on the kafka4 node (after
// setupKafka4 made the topic): the share-group principals' ACLs, a share
// group that exists with no member (SHARE_EMPTY_GROUP, joined and left
// once), and a consumer group holding SHARE_STREAM_GROUP (one committed
// offset), which no share consumer may then use.
func setupShare(addr string, cfg *sarama.Config, env tbenv.Env) error {
	adm, err := sarama.NewClusterAdmin([]string{addr}, cfg)
	if err != nil {
		return fmt.Errorf("share: admin client: %w", err)
	}
	defer adm.Close()
	topic, user, noread := env.Get("TOPIC"), "User:"+env.Get("SHARE_USER"), "User:"+env.Get("SHARE_NOREAD_USER")
	// SHARE_USER's group grant is prefixed: SHARE_GROUP, SHARE_EMPTY_GROUP
	// and the Java peer's fresh groups all start with SHARE_GROUP.
	literal, prefixed := sarama.AclPatternLiteral, sarama.AclPatternPrefixed
	grants := []struct {
		principal string
		rt        sarama.AclResourceType
		name      string
		pattern   sarama.AclResourcePatternType
		op        sarama.AclOperation
	}{
		{user, sarama.AclResourceTopic, topic, literal, sarama.AclOperationRead},
		{user, sarama.AclResourceGroup, env.Get("SHARE_GROUP"), prefixed, sarama.AclOperationRead},
		{user, sarama.AclResourceGroup, env.Get("SHARE_STREAM_GROUP"), literal, sarama.AclOperationRead},
		{noread, sarama.AclResourceTopic, topic, literal, sarama.AclOperationRead},
		{noread, sarama.AclResourceGroup, env.Get("SHARE_GROUP"), literal, sarama.AclOperationDescribe},
	}
	var acls []*sarama.ResourceAcls
	for _, g := range grants {
		acls = append(acls, &sarama.ResourceAcls{
			Resource: sarama.Resource{ResourceType: g.rt, ResourceName: g.name, ResourcePatternType: g.pattern},
			Acls:     []*sarama.Acl{{Principal: g.principal, Host: "*", Operation: g.op, PermissionType: sarama.AclPermissionAllow}},
		})
	}
	if err := adm.CreateACLs(acls); err != nil {
		return fmt.Errorf("share: create ACLs: %w", err)
	}
	if err := joinAndLeaveShare(addr, env.Get("SHARE_EMPTY_GROUP"), topic); err != nil {
		return err
	}
	if err := commitOffset(addr, cfg, env.Get("SHARE_STREAM_GROUP"), topic); err != nil {
		return err
	}
	log.Printf("kafka4: share groups: %d ACL bindings, share group %s (empty), consumer group %s", len(acls), env.Get("SHARE_EMPTY_GROUP"), env.Get("SHARE_STREAM_GROUP"))
	return nil
}

// joinAndLeaveShare creates a share group with no member: one member
// joins (ShareGroupHeartbeat, epoch 0) and leaves (epoch -1), retried
// while the coordinator comes up.
func joinAndLeaveShare(addr, group, topic string) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr))
	if err != nil {
		return fmt.Errorf("share: client: %w", err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	member := "esmdoctor-testbed-setup"[:22]
	for {
		req := kmsg.NewPtrShareGroupHeartbeatRequest()
		req.GroupID, req.MemberID, req.MemberEpoch, req.SubscribedTopicNames = group, member, 0, []string{topic}
		res, err := req.RequestWith(ctx, cl)
		if err == nil && res.ErrorCode == 0 {
			leave := kmsg.NewPtrShareGroupHeartbeatRequest()
			leave.GroupID, leave.MemberID, leave.MemberEpoch = group, member, -1
			if _, err := leave.RequestWith(ctx, cl); err != nil {
				return fmt.Errorf("share: leave %s: %w", group, err)
			}
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("share: join %s: %v (error code %d)", group, err, code(res))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func code(res *kmsg.ShareGroupHeartbeatResponse) int16 {
	if res == nil {
		return -1
	}
	return res.ErrorCode
}

// commitOffset makes group a consumer group: one offset committed
// outside any generation, as a simple consumer does.
func commitOffset(addr string, cfg *sarama.Config, group, topic string) error {
	client, err := sarama.NewClient([]string{addr}, cfg)
	if err != nil {
		return fmt.Errorf("share: client: %w", err)
	}
	defer client.Close()
	deadline := time.Now().Add(60 * time.Second)
	for {
		err = commitOnce(client, group, topic)
		if err == nil || time.Now().After(deadline) {
			if err != nil {
				return fmt.Errorf("share: commit for %s: %w", group, err)
			}
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func commitOnce(client sarama.Client, group, topic string) error {
	coordinator, err := client.Coordinator(group)
	if err != nil {
		return err
	}
	req := &sarama.OffsetCommitRequest{Version: 2, ConsumerGroup: group, ConsumerGroupGeneration: -1, RetentionTime: -1}
	req.AddBlock(topic, 0, 1, 0, "")
	res, err := coordinator.CommitOffset(req)
	if err != nil {
		return err
	}
	if kerr := res.Errors[topic][0]; !errors.Is(kerr, sarama.ErrNoError) {
		return kerr
	}
	return nil
}

// setupKafka4Off makes the kafka4off node's topic and records.
func setupKafka4Off(addr string, cfg *sarama.Config, env tbenv.Env) error {
	adm, err := sarama.NewClusterAdmin([]string{addr}, cfg)
	if err != nil {
		return fmt.Errorf("kafka4off admin client: %w", err)
	}
	defer adm.Close()
	topic := env.Get("TOPIC")
	err = adm.CreateTopic(topic, &sarama.TopicDetail{NumPartitions: 3, ReplicationFactor: 1}, false)
	if err != nil && !errors.Is(err, sarama.ErrTopicAlreadyExists) {
		return fmt.Errorf("kafka4off: create topic %s: %w", topic, err)
	}
	n, err := produceOrders(addr, cfg, topic)
	if err != nil {
		return fmt.Errorf("kafka4off: %w", err)
	}
	log.Printf("kafka4off: created topic %s (3 partitions), %d records", topic, n)
	return nil
}
