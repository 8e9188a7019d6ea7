package integration

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/esmdoctor/esmdoctor/awsprobe"
	"github.com/esmdoctor/esmdoctor/catalog"
	"github.com/esmdoctor/esmdoctor/checks"
	"github.com/esmdoctor/esmdoctor/testbed/awsfake"
	"github.com/esmdoctor/esmdoctor/testbed/iamtoken"
)

// iamCfg is a run against the test bed's IAM listener (OAUTHBEARER with MSK
// IAM tokens, validated for us-east-1), given by its brokers as with
// --bootstrap-servers and --auth iam.
func iamCfg(a awsBed, mod ...func(*checks.AWSConfig)) checks.Config {
	return checks.Config{Bootstrap: a.hostPorts(a.Get("IAM")), Topic: a.Get("TOPIC"), Auth: checks.AuthIAM,
		CA: a.ca("CA_PEM"), ConsumerGroup: a.group(), AWS: awsConfig(mod...)}
}

const allPass = "mapping=skip api=pass sts=pass secret=pass cluster=skip network=skip permissions=skip dns=pass tcp=pass tls=pass token=skip sasl=pass topic=pass brokers=pass group=pass poll=pass registry=skip lambda-endpoint=pass health=skip"

func TestAWSIAMTokenAccepted(t *testing.T) {
	a := requireAWS(t)
	rs := runAWS(t, iamCfg(a))
	wantStatuses(t, rs, allPass)
	sasl := find(t, rs, "sasl")
	if !strings.Contains(strings.Join(sasl.Detail, "\n"), "login as arn:aws:sts::"+motoAccount+":user/moto accepted") {
		t.Fatalf("sasl detail %v", sasl.Detail)
	}
}

// The broker rejects these tokens with Kafka error 58; each must fail at
// sasl with its own cause and the PROBLEM text Lambda shows.
func TestAWSIAMTokenRejected(t *testing.T) {
	a := requireAWS(t)
	akid, secret := a.Get("IAM_ACCESS_KEY_ID"), a.Get("IAM_SECRET_ACCESS_KEY")
	token := func(region string, at time.Time, key string) checks.TokenFunc {
		return func(context.Context) (string, error) { return iamtoken.Generate(region, akid, key, at) }
	}
	cases := []struct {
		name string
		mod  func(*checks.AWSConfig)
		env  [2]string
		code string
		want string // in the cause
	}{
		{name: "signed with another secret key", env: [2]string{"AWS_SECRET_ACCESS_KEY", secret + "x"}, code: "ESM-SASL-010",
			want: "was rejected too, so the connection-rate quota is not the cause"},
		{name: "expired", mod: func(c *checks.AWSConfig) { c.IAMToken = token(awsRegion, time.Now().Add(-16*time.Minute), secret) },
			code: "ESM-SASL-012", want: "and expired at"},
		{name: "another Region", mod: func(c *checks.AWSConfig) { c.IAMToken = token("eu-west-1", time.Now(), secret) },
			code: "ESM-SASL-011", want: "signed for eu-west-1, but the cluster is in us-east-1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.env[0] != "" {
				t.Setenv(c.env[0], c.env[1])
			}
			var mods []func(*checks.AWSConfig)
			if c.mod != nil {
				mods = append(mods, c.mod)
			}
			rs := runAWS(t, iamCfg(a, mods...))
			wantStatuses(t, rs, "mapping=skip api=pass sts=pass secret=pass cluster=skip network=skip permissions=skip dns=pass tcp=pass tls=pass token=skip sasl=fail("+c.code+") topic=skip brokers=skip group=skip poll=skip registry=skip lambda-endpoint=pass health=skip")
			r := find(t, rs, "sasl")
			wantProblem(t, r, "P4")
			wantNoPlaceholder(t, r)
			if !strings.Contains(r.Cause(), c.want) {
				t.Fatalf("cause %q lacks %q", r.Cause(), c.want)
			}
		})
	}
}

// An IAM identity without the kafka-cluster permissions (the test bed's
// no-ACL key) fails at topic, and the cause names the action and the exact
// topic ARN a policy must allow.
func TestAWSIAMTopicDenied(t *testing.T) {
	a := requireAWS(t)
	t.Setenv("AWS_ACCESS_KEY_ID", a.Get("IAM_NOACL_ACCESS_KEY_ID"))
	t.Setenv("AWS_SECRET_ACCESS_KEY", a.Get("IAM_NOACL_SECRET_ACCESS_KEY"))
	arn := a.clusterARN("iam-noacl")
	a.fake.AddCluster(awsfake.Cluster{ARN: arn, Name: "iam-noacl", IAM: true, Subnets: []string{"subnet-a"}, SecurityGroups: []string{"sg-a"},
		Bootstrap: awsfake.Bootstrap{SASLIAM: a.Get("IAM")}})
	cfg := iamCfg(a, func(c *checks.AWSConfig) { c.EventSourceARN = arn })
	cfg.Bootstrap, cfg.Auth = nil, ""
	rs := runAWS(t, cfg)
	wantStatuses(t, rs, "mapping=skip api=pass sts=pass secret=pass cluster=pass network=fail(ESM-NET-015) permissions=skip dns=pass tcp=pass tls=pass token=skip sasl=pass topic=fail(ESM-TOPIC-005) brokers=skip group=skip poll=skip registry=skip lambda-endpoint=pass health=skip")
	r := find(t, rs, "topic")
	wantProblem(t, r, "P5")
	wantNoPlaceholder(t, r)
	topicARN := strings.Replace(arn, ":cluster/", ":topic/", 1) + "/" + a.Get("TOPIC")
	if !strings.Contains(r.Cause(), "the policy lacks kafka-cluster:DescribeTopic on "+topicARN) {
		t.Fatalf("cause %q", r.Cause())
	}
	if !strings.Contains(r.Remediation(), `"kafka-cluster:ReadData"`) || !strings.Contains(r.Remediation(), arn) {
		t.Fatalf("fix %q", r.Remediation())
	}
}

// ---------------------------------------------------------------- STS (moto)

func scramCfg(a awsBed, mod ...func(*checks.AWSConfig)) checks.Config {
	return checks.Config{Bootstrap: a.hostPorts(a.Get("SASL_SSL")), Topic: a.Get("TOPIC"), Auth: checks.AuthSCRAM512,
		Secret: saslDoc(a.Get("SCRAM_USER"), a.Get("SCRAM_PASSWORD")), CA: a.ca("CA_PEM"), ConsumerGroup: a.group(), AWS: awsConfig(mod...)}
}

func TestAWSSTSIdentity(t *testing.T) {
	a := requireAWS(t)
	rs := runAWS(t, scramCfg(a))
	wantStatuses(t, rs, allPass)
	r := find(t, rs, "sts")
	if r.Args["account"] != motoAccount || r.Args["arn"] != "arn:aws:sts::"+motoAccount+":user/moto" {
		t.Fatalf("sts args %v", r.Args)
	}
}

func TestAWSSTSAssumeRole(t *testing.T) {
	a := requireAWS(t)
	role := "arn:aws:iam::" + motoAccount + ":role/esm-exec-" + a.tag
	rs := runAWS(t, scramCfg(a, func(c *checks.AWSConfig) {
		c.Options.RoleARN = role
		c.Function = &awsprobe.Function{Name: "f", Role: role}
	}))
	wantStatuses(t, rs, strings.Replace(allPass, "permissions=skip", "permissions=fail(ESM-PERM-008)", 1))
	r := find(t, rs, "sts")
	want := "arn:aws:sts::" + motoAccount + ":assumed-role/esm-exec-" + a.tag + "/esmdoctor"
	if r.Args["arn"] != want || !strings.Contains(strings.Join(r.Detail, "\n"), "this is the function's execution role") {
		t.Fatalf("sts %v %v", r.Args, r.Detail)
	}
}

// The identity caveat: esmdoctor is not the function's execution role.
func TestAWSSTSNotTheExecutionRole(t *testing.T) {
	a := requireAWS(t)
	role := "arn:aws:iam::" + motoAccount + ":role/orders-consumer"
	rs := runAWS(t, scramCfg(a, func(c *checks.AWSConfig) { c.Function = &awsprobe.Function{Name: "f", Role: role} }))
	wantStatuses(t, rs, strings.NewReplacer("mapping=skip api=pass sts=pass", "mapping=skip api=pass sts=warn(ESM-STS-101)", "permissions=skip", "permissions=fail(ESM-PERM-008)").Replace(allPass))
	r := find(t, rs, "sts")
	wantNoPlaceholder(t, r)
	if !strings.Contains(r.Cause(), "esmdoctor ran as arn:aws:sts::"+motoAccount+":user/moto, but the mapping uses the function's execution role "+role) {
		t.Fatalf("cause %q", r.Cause())
	}
}

func TestAWSSTSUnreachable(t *testing.T) {
	a := requireAWS(t)
	dead := "http://" + closedPort(t)
	t.Setenv("AWS_ENDPOINT_URL_STS", dead)
	rs := runAWS(t, scramCfg(a))
	wantStatuses(t, rs, "mapping=skip api=pass sts=fail(ESM-STS-006) secret=skip cluster=skip network=skip permissions=skip dns=skip tcp=skip tls=skip token=skip sasl=skip topic=skip brokers=skip group=skip poll=skip registry=skip lambda-endpoint=fail(ESM-LAMBDA-001) health=skip")
	for _, id := range []string{"sts", "lambda-endpoint"} {
		r := find(t, rs, id)
		wantProblem(t, r, "P2")
		wantNoPlaceholder(t, r)
		if !strings.Contains(r.Cause(), "connection refused") {
			t.Fatalf("%s cause %q", id, r.Cause())
		}
	}
}

func TestAWSSTSNoCredentials(t *testing.T) {
	a := requireAWS(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	rs := runAWS(t, scramCfg(a))
	r := find(t, rs, "sts")
	if r.Code != "ESM-STS-001" {
		t.Fatalf("sts %s %s %v", r.Status, r.Code, r.Detail)
	}
	wantProblem(t, r, "")
	if find(t, rs, "secret").Reason != "requires sts (failed: ESM-STS-001)" {
		t.Fatalf("secret not blocked by sts: %+v", find(t, rs, "secret"))
	}
}

// ---------------------------------------------------------------- Secrets Manager (moto)

// fromSecretsManager makes a config read its secrets from Secrets Manager,
// as a mapping's SourceAccessConfigurations do.
func fromSecretsManager(cfg checks.Config, secretARN, caARN string, extra ...awsprobe.AccessConfig) checks.Config {
	cfg.Secret, cfg.CA, cfg.CAIsSecret = nil, nil, false
	var acs []awsprobe.AccessConfig
	if secretARN != "" {
		cfg.Secret = &checks.SecretDoc{Source: secretARN, ARN: secretARN}
		acs = append(acs, awsprobe.AccessConfig{Type: "SASL_SCRAM_512_AUTH", URI: secretARN})
	}
	if caARN != "" {
		cfg.CA, cfg.CAIsSecret = &checks.SecretDoc{Source: caARN, ARN: caARN}, true
		acs = append(acs, awsprobe.AccessConfig{Type: "SERVER_ROOT_CA_CERTIFICATE", URI: caARN})
	}
	cfg.AWS.AccessConfigs = append(acs, extra...)
	return cfg
}

func TestAWSSecretsPresent(t *testing.T) {
	a := requireAWS(t)
	password := a.Get("SCRAM_PASSWORD")
	scram := a.secret(t, awsRegion, "esm-scram", scramJSON(a.Get("SCRAM_USER"), password), "")
	ca := a.secret(t, awsRegion, "esm-root-ca", a.caJSON(), "")
	cfg := fromSecretsManager(scramCfg(a), scram, ca,
		awsprobe.AccessConfig{Type: "VPC_SUBNET", URI: "subnet:subnet-0abc"}, awsprobe.AccessConfig{Type: "VPC_SECURITY_GROUP", URI: "security_group:sg-0def"})
	var learned []string
	cfg.Redact = func(v ...string) { learned = append(learned, v...) }
	rs := runAWS(t, cfg)
	wantStatuses(t, rs, strings.Replace(allPass, "network=skip", "network=fail(ESM-NET-015)", 1))
	detail := strings.Join(find(t, rs, "secret").Detail, "\n")
	for _, want := range []string{scram + ": read from Secrets Manager at " + a.moto, ca + ": read from Secrets Manager", "encrypted with the default key aws/secretsmanager"} {
		if !strings.Contains(detail, want) {
			t.Errorf("secret detail lacks %q:\n%s", want, detail)
		}
	}
	if reason := find(t, rs, "cluster").Reason; !strings.Contains(reason, "subnets subnet-0abc and security groups sg-0def") {
		t.Errorf("cluster reason %q", reason)
	}
	if !contains(learned, password) || !contains(learned, a.Get("IAM_SECRET_ACCESS_KEY")) {
		t.Errorf("the fetched password and the AWS secret key were not handed to the redactor")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestAWSSecretsFailures(t *testing.T) {
	a := requireAWS(t)
	wrongShape := a.secret(t, awsRegion, "esm-wrong-shape", `{"user":"esm-ok","pass":"x"}`, "")
	otherRegion := a.secret(t, "eu-west-1", "esm-elsewhere", scramJSON("esm-ok", "x"), "")
	cases := []struct {
		name, arn, code string
		problem         catalog.ProblemID
		want            string
	}{
		{"missing", a.missingSecretARN("esm-missing"), "ESM-SECRET-013", "", "Secrets Manager in us-east-1 has no such secret (ResourceNotFoundException)"},
		{"wrong shape", wrongShape, "ESM-SECRET-001", "P4", wrongShape + ": "},
		{"another Region", otherRegion, "ESM-SECRET-016", "", otherRegion + " lives in eu-west-1, the function in us-east-1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rs := runAWS(t, fromSecretsManager(scramCfg(a), c.arn, ""))
			// dns and tcp do not need the secret: they still run.
			wantStatuses(t, rs, "mapping=skip api=pass sts=pass secret=fail("+c.code+") cluster=skip network=skip permissions=skip dns=pass tcp=pass tls=skip token=skip sasl=skip topic=skip brokers=skip group=skip poll=skip registry=skip lambda-endpoint=pass health=skip")
			r := find(t, rs, "secret")
			wantProblem(t, r, c.problem)
			wantNoPlaceholder(t, r)
			if !strings.Contains(r.Cause(), c.want) {
				t.Fatalf("cause %q lacks %q", r.Cause(), c.want)
			}
		})
	}
}

// mskSCRAM is an MSK cluster with SASL/SCRAM whose bootstrap string is the
// test bed's SASL_SSL listener. The broker certificate comes from the test
// bed's private CA, which a real MSK cluster would not use: the CA is given
// as a local trust anchor, never as a SERVER_ROOT_CA_CERTIFICATE access
// configuration (MSK rejects those).
func mskSCRAM(a awsBed, name, secretARN string) checks.Config {
	arn := a.clusterARN(name)
	a.fake.AddCluster(awsfake.Cluster{ARN: arn, Name: name, SCRAM: true, IAM: true, Subnets: []string{"subnet-1", "subnet-2"}, SecurityGroups: []string{"sg-msk"},
		Bootstrap: awsfake.Bootstrap{SASLSCRAM: a.Get("SASL_SSL"), SASLIAM: a.Get("IAM")}})
	cfg := fromSecretsManager(scramCfg(a, func(c *checks.AWSConfig) { c.EventSourceARN = arn }), secretARN, "")
	cfg.Bootstrap, cfg.CA = nil, a.ca("CA_PEM")
	return cfg
}

func TestAWSMSKSCRAMSecretRules(t *testing.T) {
	a := requireAWS(t)
	cred := scramJSON(a.Get("SCRAM_USER"), a.Get("SCRAM_PASSWORD"))
	cmk := "arn:aws:kms:us-east-1:" + motoAccount + ":key/1234abcd-12ab-34cd-56ef-1234567890ab"
	noPrefix := a.secret(t, awsRegion, "esm-scram", cred, cmk)
	defaultKey := a.secret(t, awsRegion, "AmazonMSK_esm-default-key", cred, "")
	good := a.secret(t, awsRegion, "AmazonMSK_esm", cred, cmk)

	rs := runAWS(t, mskSCRAM(a, "scram-noprefix", noPrefix))
	wantStatuses(t, rs, "mapping=skip api=pass sts=pass secret=fail(ESM-SECRET-018) cluster=pass network=fail(ESM-NET-015) permissions=skip dns=pass tcp=pass tls=skip token=skip sasl=skip topic=skip brokers=skip group=skip poll=skip registry=skip lambda-endpoint=pass health=skip")
	wantProblem(t, find(t, rs, "secret"), "P4")

	rs = runAWS(t, mskSCRAM(a, "scram-default-key", defaultKey))
	wantStatuses(t, rs, "mapping=skip api=pass sts=pass secret=fail(ESM-SECRET-019) cluster=pass network=fail(ESM-NET-015) permissions=skip dns=pass tcp=pass tls=skip token=skip sasl=skip topic=skip brokers=skip group=skip poll=skip registry=skip lambda-endpoint=pass health=skip")
	if r := find(t, rs, "secret"); !strings.Contains(r.Cause(), "encrypted with the default key aws/secretsmanager") {
		t.Fatalf("cause %q", r.Cause())
	}

	// The same cluster also enables IAM: a SCRAM secret wins (Lambda's preference).
	rs = runAWS(t, mskSCRAM(a, "scram-good", good))
	wantStatuses(t, rs, strings.Replace(allPass, "cluster=skip network=skip", "cluster=pass network=fail(ESM-NET-015)", 1))
	detail := strings.Join(find(t, rs, "cluster").Detail, "\n")
	if !strings.Contains(detail, "listener: sasl-scram-512 (BootstrapBrokerStringSaslScram), bootstrap "+a.Get("SASL_SSL")) ||
		!strings.Contains(detail, "subnets subnet-1, subnet-2, security groups sg-msk (the cluster's; the function's own VPC settings do not apply)") {
		t.Fatalf("cluster detail:\n%s", detail)
	}
}

// ---------------------------------------------------------------- MSK (awsfake)

// mskCluster registers c (with a fresh ARN unless it has one) in the fake
// and returns its ARN.
func mskCluster(t *testing.T, a awsBed, c awsfake.Cluster) string {
	t.Helper()
	if c.ARN == "" {
		c.ARN = a.clusterARN(fmt.Sprintf("c%d", time.Now().UnixNano()%1e9))
	}
	if c.Name == "" {
		c.Name = "orders"
	}
	a.fake.AddCluster(c)
	return c.ARN
}

// mskConfig is a run against the MSK cluster arn with an optional secret
// access configuration; the test bed's private CA is a local trust anchor
// (see mskSCRAM).
func mskConfig(a awsBed, arn string, secret *awsprobe.AccessConfig, mod ...func(*checks.AWSConfig)) checks.Config {
	cfg := checks.Config{Topic: a.Get("TOPIC"), CA: a.ca("CA_PEM"), ConsumerGroup: a.group(),
		AWS: awsConfig(append([]func(*checks.AWSConfig){func(x *checks.AWSConfig) { x.EventSourceARN = arn }}, mod...)...)}
	if secret != nil {
		cfg.Secret = &checks.SecretDoc{Source: secret.URI, ARN: secret.URI}
		cfg.AWS.AccessConfigs = []awsprobe.AccessConfig{*secret}
		cfg.Auth = map[string]checks.Auth{"SASL_SCRAM_512_AUTH": checks.AuthSCRAM512, "CLIENT_CERTIFICATE_TLS_AUTH": checks.AuthMTLS}[secret.Type]
	}
	return cfg
}

func TestAWSMSKClusterAuthModes(t *testing.T) {
	a := requireAWS(t)
	mtlsSecret := &awsprobe.AccessConfig{Type: "CLIENT_CERTIFICATE_TLS_AUTH", URI: a.secret(t, awsRegion, "esm-mtls", a.mtlsJSON(t), "")}
	net := func(c awsfake.Cluster) awsfake.Cluster {
		c.Subnets, c.SecurityGroups = []string{"subnet-1"}, []string{"sg-1"}
		return c
	}
	clusterPass := strings.Replace(allPass, "cluster=skip network=skip", "cluster=pass network=fail(ESM-NET-015)", 1)
	anonymous := "mapping=skip api=pass sts=pass secret=pass cluster=pass network=fail(ESM-NET-015) permissions=skip dns=pass tcp=pass tls=%s token=skip sasl=skip topic=fail(ESM-TOPIC-002) brokers=skip group=skip poll=skip registry=skip lambda-endpoint=pass health=skip"
	cases := []struct {
		name     string
		cluster  awsfake.Cluster
		secret   *awsprobe.AccessConfig
		listener string // in the cluster check's detail
		want     string
	}{
		{"iam provisioned", net(awsfake.Cluster{IAM: true, TLSAuth: true, Bootstrap: awsfake.Bootstrap{SASLIAM: a.Get("IAM"), TLS: a.Get("MTLS")}}), nil,
			"listener: iam (BootstrapBrokerStringSaslIam), bootstrap " + a.Get("IAM"), clusterPass},
		{"iam serverless", net(awsfake.Cluster{Type: "SERVERLESS", IAM: true, Bootstrap: awsfake.Bootstrap{SASLIAM: a.Get("IAM")}}), nil,
			"listener: iam (BootstrapBrokerStringSaslIam)", clusterPass},
		{"mtls before iam", net(awsfake.Cluster{IAM: true, TLSAuth: true, Bootstrap: awsfake.Bootstrap{SASLIAM: a.Get("IAM"), TLS: a.Get("MTLS")}}), mtlsSecret,
			"listener: mtls (BootstrapBrokerStringTls), bootstrap " + a.Get("MTLS"), strings.Replace(clusterPass, "sasl=pass", "sasl=skip", 1)},
		// Unauthenticated listeners: the broker names the client
		// User:ANONYMOUS, which has no ACLs in the test bed.
		{"unauthenticated tls", net(awsfake.Cluster{Unauthenticated: true, Bootstrap: awsfake.Bootstrap{TLS: a.Get("SSL"), Plaintext: a.Get("PLAINTEXT")}}), nil,
			"listener: tls (BootstrapBrokerStringTls)", fmt.Sprintf(anonymous, "pass")},
		{"plaintext", net(awsfake.Cluster{Unauthenticated: true, InTransit: "PLAINTEXT", Bootstrap: awsfake.Bootstrap{Plaintext: a.Get("PLAINTEXT")}}), nil,
			"listener: none (BootstrapBrokerString)", fmt.Sprintf(anonymous, "skip")},
		{"two brokers in the bootstrap string", net(awsfake.Cluster{IAM: true, Bootstrap: awsfake.Bootstrap{SASLIAM: a.Get("IAM") + ",127.0.0.1:" + port(a.Get("IAM"))}}), nil,
			"bootstrap " + a.Get("IAM") + ",127.0.0.1:" + port(a.Get("IAM")), clusterPass},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rs := runAWS(t, mskConfig(a, mskCluster(t, a, c.cluster), c.secret))
			wantStatuses(t, rs, c.want)
			if d := strings.Join(find(t, rs, "cluster").Detail, "\n"); !strings.Contains(d, c.listener) {
				t.Fatalf("cluster detail lacks %q:\n%s", c.listener, d)
			}
		})
	}
}

func port(hostPort string) string { return hostPort[strings.LastIndex(hostPort, ":")+1:] }

func TestAWSMSKClusterFailures(t *testing.T) {
	a := requireAWS(t)
	scramSecret := &awsprobe.AccessConfig{Type: "SASL_SCRAM_512_AUTH",
		URI: a.secret(t, awsRegion, "AmazonMSK_esm-fallback", scramJSON(a.Get("SCRAM_USER"), a.Get("SCRAM_PASSWORD")), "arn:aws:kms:us-east-1:"+motoAccount+":key/k")}
	iamOnly := awsfake.Cluster{IAM: true, Bootstrap: awsfake.Bootstrap{SASLIAM: a.Get("IAM")}}
	stop := "mapping=skip api=pass sts=pass secret=%s cluster=fail(%s) network=skip permissions=skip dns=skip tcp=skip tls=skip token=skip sasl=skip topic=skip brokers=skip group=skip poll=skip registry=skip lambda-endpoint=pass health=skip"
	cases := []struct {
		name    string
		cluster awsfake.Cluster
		fail    *awsfake.Failure
		secret  *awsprobe.AccessConfig
		code    string
		problem catalog.ProblemID
		want    string
	}{
		{name: "never falls back from SCRAM to IAM", cluster: iamOnly, secret: scramSecret, code: "ESM-CLUSTER-006",
			want: "the mapping selects sasl-scram-512 because a SASL_SCRAM_512_AUTH secret is given (preferred to IAM), but the cluster enables IAM"},
		{name: "no bootstrap string for IAM", cluster: awsfake.Cluster{IAM: true, Bootstrap: awsfake.Bootstrap{TLS: a.Get("SSL")}}, code: "ESM-CLUSTER-007",
			want: "returned no BootstrapBrokerStringSaslIam string"},
		{name: "not active", cluster: awsfake.Cluster{State: "CREATING", IAM: true, Bootstrap: awsfake.Bootstrap{SASLIAM: a.Get("IAM")}}, code: "ESM-CLUSTER-005", problem: "P1",
			want: " is CREATING"},
		{name: "not found", code: "ESM-CLUSTER-001", want: "the MSK API in us-east-1 has no such cluster (NotFoundException)"},
		{name: "access denied", cluster: iamOnly, fail: &awsfake.Forbidden, code: "ESM-CLUSTER-002",
			want: "may not call kafka:DescribeClusterV2 on "},
		{name: "throttled", cluster: iamOnly, fail: &awsfake.Throttled, code: "ESM-CLUSTER-003",
			want: "kafka:DescribeClusterV2 on "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.cluster.ARN = a.clusterARN(strings.ReplaceAll(c.name, " ", "-"))
			if c.name != "not found" {
				a.fake.AddCluster(c.cluster)
			}
			if c.fail != nil {
				a.fake.Fail(c.cluster.ARN, *c.fail)
			}
			rs := runAWS(t, mskConfig(a, c.cluster.ARN, c.secret))
			wantStatuses(t, rs, fmt.Sprintf(stop, "pass", c.code))
			r := find(t, rs, "cluster")
			wantProblem(t, r, c.problem)
			wantNoPlaceholder(t, r)
			if !strings.Contains(r.Cause(), c.want) {
				t.Fatalf("cause %q lacks %q", r.Cause(), c.want)
			}
			if c.fail == &awsfake.Throttled && r.Args["api_code"] != "TooManyRequestsException" {
				t.Fatalf("api_code %q", r.Args["api_code"])
			}
		})
	}
}

// The mapping's network is the cluster's: a function in other subnets gets
// a warning saying its own VPC settings do not apply.
func TestAWSMSKFunctionVPCDoesNotApply(t *testing.T) {
	a := requireAWS(t)
	cluster := awsfake.Cluster{IAM: true, Subnets: []string{"subnet-msk-1", "subnet-msk-2"}, SecurityGroups: []string{"sg-msk"}, Bootstrap: awsfake.Bootstrap{SASLIAM: a.Get("IAM")}}
	cfg := mskConfig(a, mskCluster(t, a, cluster), nil, func(c *checks.AWSConfig) {
		c.Function = &awsprobe.Function{Name: "orders-consumer", Role: "arn:aws:iam::" + motoAccount + ":role/x", Subnets: []string{"subnet-app"}, SecurityGroups: []string{"sg-app"}}
	})
	rs := runAWS(t, cfg)
	wantStatuses(t, rs, "mapping=skip api=pass sts=warn(ESM-STS-101) secret=pass cluster=warn(ESM-CLUSTER-102) network=fail(ESM-NET-015) permissions=fail(ESM-PERM-008) dns=pass tcp=pass tls=pass token=skip sasl=pass topic=pass brokers=pass group=pass poll=pass registry=skip lambda-endpoint=pass health=skip")
	r := find(t, rs, "cluster")
	wantNoPlaceholder(t, r)
	if !strings.Contains(r.Cause(), "function orders-consumer runs in subnets subnet-app with security groups sg-app, but the mapping's network interfaces sit in the cluster's subnets subnet-msk-1, subnet-msk-2 with its security groups sg-msk") {
		t.Fatalf("cause %q", r.Cause())
	}
}

// ---------------------------------------------------------------- esmdoctor check --esm (the CLI)

// selfManagedMapping registers a self-managed mapping on the SASL_SSL
// listener whose SCRAM secret and root CA live in moto.
func selfManagedMapping(t *testing.T, a awsBed, uuid, fnARN, password, group string, extra ...map[string]any) {
	// The mapping's VPC in moto reaches the (loopback) brokers over a VPN,
	// whose far side the network check cannot read: it warns.
	v := a.newVPC(t)
	v.vpnRoute("127.0.0.0/8")
	scram := a.secret(t, awsRegion, "esm-scram-"+uuid[len(uuid)-2:], scramJSON(a.Get("SCRAM_USER"), password), "")
	ca := a.secret(t, awsRegion, "esm-ca-"+uuid[len(uuid)-2:], a.caJSON(), "")
	a.fake.AddMapping(awsfake.Mapping{UUID: uuid, FunctionARN: fnARN, Bootstrap: []string{a.Get("SASL_SSL")}, Topics: []string{a.Get("TOPIC")},
		ConsumerGroupID: group, LastProcessingResult: "OK", AccessConfigs: [][2]string{{"SASL_SCRAM_512_AUTH", scram}, {"SERVER_ROOT_CA_CERTIFICATE", ca},
			{"VPC_SUBNET", "subnet:" + v.Subnets[0]}, {"VPC_SECURITY_GROUP", "security_group:" + v.SG}}, Extra: firstOr(extra)})
}

// firstOr returns the first of the optional values, or nil.
func firstOr(extra []map[string]any) map[string]any {
	if len(extra) == 0 {
		return nil
	}
	return extra[0]
}

func TestAWSCLISelfManagedMappings(t *testing.T) {
	a := requireAWS(t)
	fn, role := a.function(t, "orders-consumer")
	uuidGroup, customGroup, broken := a.uuid(1), a.uuid(2), a.uuid(3)
	selfManagedMapping(t, a, uuidGroup, fn, a.Get("SCRAM_PASSWORD"), "")
	selfManagedMapping(t, a, customGroup, fn, a.Get("SCRAM_PASSWORD"), a.group())
	selfManagedMapping(t, a, broken, fn, "not-the-password", "")
	healthy := "mapping=pass api=pass sts=pass secret=pass cluster=skip network=warn(ESM-NET-103) permissions=warn(ESM-PERM-101) dns=pass tcp=pass tls=pass token=skip sasl=pass topic=pass brokers=pass group=pass poll=pass registry=skip lambda-endpoint=pass health=skip"

	t.Run("UUID group", func(t *testing.T) {
		code, out, errOut := cliRun(t, nil, "check", "--esm", uuidGroup, "--role-arn", role, "-o", "json")
		r := parseReport(t, out)
		if code != 0 || r.statuses() != healthy {
			t.Fatalf("exit %d, statuses %s\n%s%s", code, r.statuses(), out, errOut)
		}
		if r.Target.ConsumerGroup != uuidGroup || r.Target.Auth != "sasl-scram-512" {
			t.Fatalf("target %+v", r.Target)
		}
		last := r.Checks[len(r.Checks)-2] // lambda-endpoint, before health
		if !strings.Contains(strings.Join(last.Detail, "\n"), "Invoke (DryRun) of "+fn+": HTTP 204") {
			t.Fatalf("lambda-endpoint detail %v", last.Detail)
		}
	})
	t.Run("custom group", func(t *testing.T) {
		code, out, _ := cliRun(t, nil, "check", "--esm", customGroup, "--role-arn", role, "-o", "json")
		if r := parseReport(t, out); code != 0 || r.Target.ConsumerGroup != a.group() {
			t.Fatalf("exit %d target %+v", code, r.Target)
		}
	})
	t.Run("broken: wrong password in the secret", func(t *testing.T) {
		code, out, _ := cliRun(t, nil, "check", "--esm", broken, "--role-arn", role, "-o", "json")
		r := parseReport(t, out)
		want := "mapping=pass api=pass sts=pass secret=pass cluster=skip network=warn(ESM-NET-103) permissions=warn(ESM-PERM-101) dns=pass tcp=pass tls=pass token=skip sasl=fail(ESM-SASL-001) topic=skip brokers=skip group=skip poll=skip registry=skip lambda-endpoint=pass health=skip"
		if code != 1 || r.statuses() != want || r.problem("sasl") != "PROBLEM: SASL authentication failed." {
			t.Fatalf("exit %d statuses %s\n%s", code, r.statuses(), out)
		}
	})
	t.Run("identity caveat without --role-arn", func(t *testing.T) {
		code, out, _ := cliRun(t, nil, "check", "--esm", uuidGroup, "-o", "json")
		r := parseReport(t, out)
		if code != 0 || r.Checks[2].Code != "ESM-STS-101" || !strings.Contains(r.Checks[2].Cause, "the mapping uses the function's execution role "+role) {
			t.Fatalf("exit %d sts %+v", code, r.Checks[2])
		}
	})
	t.Run("--function with several mappings asks which", func(t *testing.T) {
		code, out, errOut := cliRun(t, nil, "check", "--function", fn, "-o", "json")
		r := parseReport(t, out)
		m := r.Checks[0]
		if code != 1 || m.ID != "mapping" || m.Code != "ESM-MAPPING-008" || m.Problem != "" ||
			!strings.Contains(m.Cause, fn+" has 3 Kafka event source mappings: "+uuidGroup) || !strings.Contains(m.Cause, broken) {
			t.Fatalf("exit %d mapping %+v\n%s", code, m, errOut)
		}
	})
	t.Run("text report", func(t *testing.T) {
		code, out, _ := cliRun(t, nil, "check", "--esm", uuidGroup, "--role-arn", role, "--no-color")
		if code != 0 || !strings.Contains(out, "group:   "+uuidGroup) || strings.Contains(out, a.Get("SCRAM_PASSWORD")) {
			t.Fatalf("exit %d\n%s", code, out)
		}
	})
}

// An MSK mapping with IAM, read with --esm and with --function, reaching
// the real broker's IAM listener through the fake's bootstrap string. An
// MSK cluster's certificates chain to public roots, the test bed's to its
// own CA: ESMDOCTOR_TEST_PUBLIC_ROOTS adds that CA to the public roots
// (esmdoctor, like Lambda's JVM, never trusts SSL_CERT_FILE).
func TestAWSCLIMSKIAMMapping(t *testing.T) {
	a := requireAWS(t)
	fn, _ := a.function(t, "msk-consumer")
	v := a.newVPC(t)
	arn := mskCluster(t, a, awsfake.Cluster{IAM: true, Subnets: v.Subnets, SecurityGroups: []string{v.SG}, Bootstrap: awsfake.Bootstrap{SASLIAM: a.Get("IAM")}})
	id, gone := a.uuid(11), a.uuid(12)
	a.fake.AddMapping(awsfake.Mapping{UUID: id, FunctionARN: fn, EventSourceARN: arn, Topics: []string{a.Get("TOPIC")},
		LastProcessingResult: "PROBLEM: SASL authentication failed."})
	env := []string{"ESMDOCTOR_TEST_PUBLIC_ROOTS=" + a.Get("CA_PEM")}
	// The identity is the IAM listener's key (user/moto), not the function's
	// role: a warning, and still exit 0.
	want := "mapping=pass api=pass sts=warn(ESM-STS-101) secret=skip cluster=pass network=pass permissions=warn(ESM-PERM-101) dns=pass tcp=pass tls=pass token=skip sasl=pass topic=pass brokers=pass group=pass poll=pass registry=skip lambda-endpoint=pass health=skip"
	for _, args := range [][]string{{"--esm", id}, {"--function", fn}} {
		code, out, errOut := cliRun(t, env, append([]string{"check", "-o", "json"}, args...)...)
		r := parseReport(t, out)
		// The report's target shows what the cluster check resolved.
		if code != 0 || r.statuses() != want || r.Target.Auth != "iam" || r.Target.ConsumerGroup != id ||
			len(r.Target.Bootstrap) != 1 || r.Target.Bootstrap[0] != a.Get("IAM") {
			t.Fatalf("%v: exit %d statuses %s target %+v\n%s%s", args, code, r.statuses(), r.Target, out, errOut)
		}
	}

	// Nothing secret in a verbose report: not the secret access key, not a
	// token (a presigned URL, whose signature would show as X-Amz-Signature).
	_, verbose, errOut := cliRun(t, env, "check", "--esm", id, "--verbose", "--no-color")
	for _, leak := range []string{a.Get("IAM_SECRET_ACCESS_KEY"), "X-Amz-Signature=", "X-Amz-Credential="} {
		if strings.Contains(verbose+errOut, leak) {
			t.Fatalf("the report shows %q:\n%s", leak, verbose)
		}
	}

	// A mapping whose function was deleted: everything up to the broker
	// works, the Lambda endpoint's Invoke DryRun says the function is gone.
	a.fake.AddMapping(awsfake.Mapping{UUID: gone, FunctionARN: strings.Replace(fn, "msk-consumer", "deleted-consumer", 1), EventSourceARN: arn, Topics: []string{a.Get("TOPIC")}})
	code, out, _ := cliRun(t, env, "check", "--esm", gone, "-o", "json")
	r := parseReport(t, out)
	wantGone := "mapping=warn(ESM-MAPPING-101) api=pass sts=pass secret=skip cluster=pass network=pass permissions=skip dns=pass tcp=pass tls=pass token=skip sasl=pass topic=pass brokers=pass group=pass poll=pass registry=skip lambda-endpoint=fail(ESM-LAMBDA-003) health=skip"
	if code != 1 || r.statuses() != wantGone {
		t.Fatalf("exit %d statuses %s\n%s", code, r.statuses(), out)
	}
}

// A mapping that cannot be read is a result (the mapping check fails with
// its code, exit 1), not an input error; the checks that need the mapping
// are skipped, sts and lambda-endpoint still run.
func TestAWSCLIMappingErrors(t *testing.T) {
	a := requireAWS(t)
	denied, throttled := a.uuid(21), a.uuid(22)
	a.fake.Fail(denied, awsfake.AccessDenied)
	a.fake.Fail(throttled, awsfake.Throttled)
	a.fake.Fail("throttled-function", awsfake.Throttled)
	rest := " api=skip sts=pass secret=skip cluster=skip network=skip permissions=skip dns=skip tcp=skip tls=skip token=skip sasl=skip topic=skip brokers=skip group=skip poll=skip registry=skip lambda-endpoint=pass health=skip"
	for _, c := range []struct {
		args       []string
		code, want string
	}{
		{[]string{"--esm", a.uuid(20)}, "ESM-MAPPING-001", "lambda:GetEventSourceMapping in us-east-1: ResourceNotFoundException: no mapping " + a.uuid(20) + " there"},
		{[]string{"--esm", denied}, "ESM-MAPPING-002", "esmdoctor's own identity may not call lambda:GetEventSourceMapping on " + denied + " (AccessDeniedException"},
		{[]string{"--esm", throttled}, "ESM-MAPPING-003", "lambda:GetEventSourceMapping of " + throttled + " returned TooManyRequestsException: Rate exceeded"},
		{[]string{"--function", "throttled-function"}, "ESM-MAPPING-003", "lambda:ListEventSourceMappings of throttled-function returned TooManyRequestsException"},
		{[]string{"--function", "no-mappings-" + a.tag}, "ESM-MAPPING-007", "no-mappings-" + a.tag + " has no Kafka event source mapping in us-east-1 (0 other mapping(s))"},
	} {
		code, out, errOut := cliRun(t, nil, append([]string{"check", "-o", "json"}, c.args...)...)
		r := parseReport(t, out)
		m := r.Checks[0]
		if code != 1 || r.statuses() != "mapping=fail("+c.code+")"+rest || m.Problem != "" || !strings.Contains(m.Cause, c.want) {
			t.Errorf("%v: exit %d, statuses %s, mapping %+v; want %s with %q\n%s", c.args, code, r.statuses(), m, c.code, c.want, errOut)
		}
	}
}
