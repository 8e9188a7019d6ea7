// Command tbsetup is run by testbed/testbed.sh up. It waits until a broker answers a
// real Metadata request, then (mode setup) creates the test bed's topics and ACLs and
// produces a few records, all over the broker's SASL_PLAINTEXT admin listener as the
// super user. It reads names and credentials from the pending state file (-env).
//
//	tbsetup -env testbed/.run/testbed.env.pending -mode setup -pid 1234
//	tbsetup -mode wait -addr 127.0.0.1:19292 -pid 1235   (plaintext, no SASL)
//	tbsetup -env testbed/.run/testbed.env.pending -mode kafka4   (the kafka4 node, over its PLAINTEXT admin listener)
//	tbsetup -env testbed/.run/testbed.env.pending -mode kafka4off (the kafka4off node: share groups off)
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/IBM/sarama"
	"github.com/esmdoctor/esmdoctor/testbed/tbenv"
)

func main() {
	envPath := flag.String("env", "", "pending state file (KEY=VALUE) with ADMIN, ADMIN_USER, ADMIN_PASSWORD, topics, principals")
	mode := flag.String("mode", "setup", "wait: only wait for Metadata; setup: wait, then create topics, ACLs, records; kafka4: the same on the kafka4 node; registry: register schemas (Apicurio, moto's Glue) and produce records that reference them, printing their ids as state-file lines; kafka4off: the topic on the node with share groups off")
	addr := flag.String("addr", "", "broker address for -mode wait without -env (PLAINTEXT)")
	pid := flag.Int("pid", 0, "broker pid: give up at once if it dies")
	timeout := flag.Duration("timeout", 90*time.Second, "how long to wait for the broker")
	registryPid := flag.Int("registry-pid", 0, "-mode registry: the schema registry's pid: give up at once if it dies")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("tbsetup: ")

	cfg := sarama.NewConfig()
	cfg.ClientID = "esmdoctor-testbed-setup"
	cfg.Version = sarama.V3_9_0_0
	cfg.Net.DialTimeout = 3 * time.Second
	cfg.Net.ReadTimeout = 10 * time.Second
	cfg.Metadata.Retry.Max = 0
	var env tbenv.Env
	if *envPath != "" {
		var err error
		if env, err = tbenv.Parse(*envPath); err != nil {
			log.Fatal(err)
		}
		*addr = env.Get("ADMIN")
		cfg.Net.SASL.Enable = true
		cfg.Net.SASL.Mechanism = sarama.SASLTypePlaintext
		cfg.Net.SASL.User = env.Get("ADMIN_USER")
		cfg.Net.SASL.Password = env.Get("ADMIN_PASSWORD")
		if *mode == "kafka4" || *mode == "kafka4off" {
			// The kafka4 nodes' admin listener is PLAINTEXT (ANONYMOUS is a super user).
			*addr = env.Get("KAFKA4_PLAINTEXT")
			if *mode == "kafka4off" {
				*addr = env.Get("KAFKA4OFF_PLAINTEXT")
			}
			cfg.Net.SASL = sarama.NewConfig().Net.SASL
		}
	}
	if *addr == "" {
		log.Fatal("need -env or -addr")
	}

	start := time.Now()
	if err := waitMetadata(*addr, cfg, *pid, *timeout); err != nil {
		log.Fatalf("broker at %s not ready after %s: %v", *addr, time.Since(start).Round(time.Millisecond), err)
	}
	log.Printf("broker at %s answered Metadata after %s", *addr, time.Since(start).Round(time.Millisecond))
	if *mode == "wait" {
		return
	}
	if *mode == "kafka4" {
		if err := setupKafka4(*addr, cfg, env); err != nil {
			log.Fatal(err)
		}
		if err := setupShare(*addr, cfg, env); err != nil {
			log.Fatal(err)
		}
		return
	}
	if *mode == "kafka4off" {
		if err := setupKafka4Off(*addr, cfg, env); err != nil {
			log.Fatal(err)
		}
		return
	}
	if *mode == "registry" {
		if err := setupRegistry(*addr, cfg, env, *registryPid, *timeout); err != nil {
			log.Fatal(err)
		}
		return
	}
	if err := setup(*addr, cfg, env); err != nil {
		log.Fatal(err)
	}
}

func alive(pid int) bool {
	return pid == 0 || syscall.Kill(pid, 0) == nil
}

// waitMetadata sends Metadata requests until one lists at least one broker and a controller.
func waitMetadata(addr string, cfg *sarama.Config, pid int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var last error
	for time.Now().Before(deadline) {
		if !alive(pid) {
			return fmt.Errorf("broker process %d exited (last error: %v)", pid, last)
		}
		b := sarama.NewBroker(addr)
		if err := b.Open(cfg); err != nil {
			last = err
		} else {
			md, err := b.GetMetadata(&sarama.MetadataRequest{Version: 7})
			_ = b.Close()
			switch {
			case err != nil:
				last = err
			case len(md.Brokers) == 0 || md.ControllerID < 0:
				last = fmt.Errorf("metadata has %d brokers, controller %d", len(md.Brokers), md.ControllerID)
			default:
				return nil
			}
		}
		time.Sleep(250 * time.Millisecond)
	}
	return last
}

// esmACLs are the ACLs the Lambda ESM needs, keyed by a short name used in the
// "esm-no-<name>" users that lack exactly one of them.
type grant struct {
	name string
	rt   sarama.AclResourceType
	res  string
	op   sarama.AclOperation
}

func esmGrants(env tbenv.Env) []grant {
	var g []grant
	g = append(g, grant{"cluster-describeconfigs", sarama.AclResourceCluster, "kafka-cluster", sarama.AclOperationDescribeConfigs})
	for _, grp := range []string{env.Get("GROUP"), env.Get("ESM_UUID")} {
		g = append(g, grant{"group-describe", sarama.AclResourceGroup, grp, sarama.AclOperationDescribe},
			grant{"group-read", sarama.AclResourceGroup, grp, sarama.AclOperationRead})
	}
	for _, topic := range []string{env.Get("TOPIC"), env.Get("MISSING_TOPIC")} {
		g = append(g, grant{"topic-describe", sarama.AclResourceTopic, topic, sarama.AclOperationDescribe},
			grant{"topic-read", sarama.AclResourceTopic, topic, sarama.AclOperationRead})
	}
	return g
}

func setup(addr string, cfg *sarama.Config, env tbenv.Env) error {
	adm, err := sarama.NewClusterAdmin([]string{addr}, cfg)
	if err != nil {
		return fmt.Errorf("admin client: %w", err)
	}
	defer adm.Close()

	for _, tp := range []struct {
		name  string
		parts int32
	}{{env.Get("TOPIC"), 3}, {env.Get("FORBIDDEN_TOPIC"), 1}} {
		err := adm.CreateTopic(tp.name, &sarama.TopicDetail{NumPartitions: tp.parts, ReplicationFactor: 1}, false)
		if err != nil && !errors.Is(err, sarama.ErrTopicAlreadyExists) {
			return fmt.Errorf("create topic %s: %w", tp.name, err)
		}
	}

	// Principals with every ESM ACL, and one user per missing ACL name.
	full := list(env.Get("FULL_ACL_PRINCIPALS"))
	var acls []*sarama.ResourceAcls
	add := func(principal string, g grant) {
		acls = append(acls, &sarama.ResourceAcls{
			Resource: sarama.Resource{ResourceType: g.rt, ResourceName: g.res, ResourcePatternType: sarama.AclPatternLiteral},
			Acls:     []*sarama.Acl{{Principal: "User:" + principal, Host: "*", Operation: g.op, PermissionType: sarama.AclPermissionAllow}},
		})
	}
	grants := esmGrants(env)
	for _, p := range full {
		for _, g := range grants {
			add(p, g)
		}
	}
	for _, u := range list(env.Get("PARTIAL_ACL_USERS")) {
		// esm-no-<grant name>: all grants but that one; esm-no-topic-any / esm-no-group-any:
		// no Describe and no Read on topics / groups.
		missing := strings.TrimPrefix(u, "esm-no-")
		for _, g := range grants {
			if g.name == missing {
				continue
			}
			if kind, ok := strings.CutSuffix(missing, "-any"); ok && strings.HasPrefix(g.name, kind+"-") {
				continue
			}
			add(u, g)
		}
	}
	acls = append(acls, denyAndDescribeACLs(env)...)
	if err := adm.CreateACLs(acls); err != nil {
		return fmt.Errorf("create ACLs: %w", err)
	}
	log.Printf("created topics %s (3 partitions), %s (1 partition) and %d ACL bindings",
		env.Get("TOPIC"), env.Get("FORBIDDEN_TOPIC"), len(acls))

	if err := createUnicodeUsers(adm, env); err != nil {
		return err
	}

	// Create __consumer_offsets now and wait until the group coordinator has loaded it, so that
	// the first consumer of a test does not get NOT_COORDINATOR / COORDINATOR_LOAD_IN_PROGRESS.
	if err := waitCoordinator(addr, cfg, []string{env.Get("GROUP"), env.Get("ESM_UUID")}); err != nil {
		return err
	}

	// A few small records in every partition of the ESM topic (and one in forbidden).
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
	var msgs []*sarama.ProducerMessage
	for p := int32(0); p < 3; p++ {
		for i := 0; i < 2; i++ {
			msgs = append(msgs, &sarama.ProducerMessage{Topic: env.Get("TOPIC"), Partition: p,
				Key:   sarama.StringEncoder(fmt.Sprintf("order-%d-%d", p, i)),
				Value: sarama.StringEncoder(fmt.Sprintf(`{"order":%d,"partition":%d}`, int(p)*2+i, p))})
		}
	}
	msgs = append(msgs, &sarama.ProducerMessage{Topic: env.Get("FORBIDDEN_TOPIC"), Partition: 0, Value: sarama.StringEncoder("secret")})
	if err := prod.SendMessages(msgs); err != nil {
		return fmt.Errorf("produce: %w", err)
	}
	log.Printf("produced %d records", len(msgs))
	_ = os.Stdout.Sync()
	return nil
}

// list splits a comma-separated state-file value.
func list(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// waitCoordinator asks for each group's coordinator (which creates __consumer_offsets) and
// waits until DescribeGroups on it answers without a retriable coordinator error.
func waitCoordinator(addr string, cfg *sarama.Config, groups []string) error {
	b := sarama.NewBroker(addr)
	if err := b.Open(cfg); err != nil {
		return err
	}
	defer b.Close()
	deadline := time.Now().Add(60 * time.Second)
	for _, g := range groups {
		var last error
		for {
			if time.Now().After(deadline) {
				return fmt.Errorf("group coordinator for %s not ready: %v", g, last)
			}
			fc, err := b.FindCoordinator(&sarama.FindCoordinatorRequest{Version: 2, CoordinatorKey: g, CoordinatorType: sarama.CoordinatorGroup})
			if err == nil && fc.Err == sarama.ErrNoError {
				dg, err2 := b.DescribeGroups(&sarama.DescribeGroupsRequest{Version: 0, Groups: []string{g}})
				if err2 == nil && len(dg.Groups) == 1 && dg.Groups[0].Err == sarama.ErrNoError {
					break
				}
				err = err2
				if err == nil && len(dg.Groups) == 1 {
					err = dg.Groups[0].Err
				}
			} else if err == nil {
				err = fc.Err
			}
			last = err
			time.Sleep(200 * time.Millisecond)
		}
	}
	log.Printf("group coordinator ready for %s", strings.Join(groups, ", "))
	return nil
}

// denyAndDescribeACLs are the DENY bindings of DENY_TOPIC_READ_USERS (Read on the ESM topic, on
// top of every ALLOW they hold) and the ALLOW Describe on the cluster that lets
// DESCRIBE_ACLS_USERS list ACL bindings (DescribeAcls).
func denyAndDescribeACLs(env tbenv.Env) []*sarama.ResourceAcls {
	var out []*sarama.ResourceAcls
	for _, u := range list(env.Get("DENY_TOPIC_READ_USERS")) {
		out = append(out, &sarama.ResourceAcls{
			Resource: sarama.Resource{ResourceType: sarama.AclResourceTopic, ResourceName: env.Get("TOPIC"), ResourcePatternType: sarama.AclPatternLiteral},
			Acls:     []*sarama.Acl{{Principal: "User:" + u, Host: "*", Operation: sarama.AclOperationRead, PermissionType: sarama.AclPermissionDeny}},
		})
	}
	for _, u := range list(env.Get("DESCRIBE_ACLS_USERS")) {
		out = append(out, &sarama.ResourceAcls{
			Resource: sarama.Resource{ResourceType: sarama.AclResourceCluster, ResourceName: "kafka-cluster", ResourcePatternType: sarama.AclPatternLiteral},
			Acls:     []*sarama.Acl{{Principal: "User:" + u, Host: "*", Operation: sarama.AclOperationDescribe, PermissionType: sarama.AclPermissionAllow}},
		})
	}
	return out
}

// unicodePasswords are the SCRAM_UNICODE_USERS' passwords: each is one that SASLprep
// (RFC 4013) rejects or rewrites, while Kafka's Java client sends it as its UTF-8 bytes.
func unicodePasswords() map[string]string {
	return map[string]string{
		"esm-pw-emoji":    "esm-secret-\U0001F511", // unassigned in Unicode 3.2: SASLprep prohibits it
		"esm-pw-newline":  "esm-secret-1\n",        // ASCII control character: prohibited
		"esm-pw-nbsp":     "esm\u00a0secret",       // no-break space: SASLprep maps it to a space
		"esm-pw-ligature": "esm-secret-\ufb01le",   // U+FB01 "fi" ligature: NFKC turns it into "fi"
	}
}

// createUnicodeUsers creates the SCRAM-SHA-512 credentials of SCRAM_UNICODE_USERS from the raw
// UTF-8 bytes of their passwords (what kafka-configs/kafka-storage do) and writes each user's
// Secrets Manager document to SECRETS_DIR/<user>.json.
func createUnicodeUsers(adm sarama.ClusterAdmin, env tbenv.Env) error {
	users := list(env.Get("SCRAM_UNICODE_USERS"))
	dir := env.Get("SECRETS_DIR")
	if len(users) == 0 {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("secrets dir: %w", err)
	}
	var upserts []sarama.AlterUserScramCredentialsUpsert
	passwords := unicodePasswords()
	for _, u := range users {
		pw, ok := passwords[u]
		if !ok {
			return fmt.Errorf("no password defined for SCRAM_UNICODE_USERS entry %q", u)
		}
		upserts = append(upserts, sarama.AlterUserScramCredentialsUpsert{Name: u, Mechanism: sarama.SCRAM_MECHANISM_SHA_512,
			Iterations: 4096, Salt: []byte("esmdoctor-testbed-" + u), Password: []byte(pw)})
		doc, _ := json.Marshal(map[string]string{"username": u, "password": pw})
		if err := os.WriteFile(filepath.Join(dir, u+".json"), doc, 0o644); err != nil {
			return fmt.Errorf("secret of %s: %w", u, err)
		}
	}
	res, err := adm.UpsertUserScramCredentials(upserts)
	if err != nil {
		return fmt.Errorf("create SCRAM users %v: %w", users, err)
	}
	for _, r := range res {
		if r.ErrorCode != sarama.ErrNoError {
			return fmt.Errorf("create SCRAM user %s: %w", r.User, r.ErrorCode)
		}
	}
	log.Printf("created SCRAM-SHA-512 users with non-ASCII passwords: %s", strings.Join(users, ", "))
	return nil
}
