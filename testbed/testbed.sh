#!/usr/bin/env bash
# esmdoctor real-broker test bed: Apache Kafka 3.9 (KRaft, from Maven Central jars) with one
# listener per authentication mode, a second auto-create broker, and moto for the AWS APIs.
#
#   testbed/testbed.sh up       start everything (idempotent), write testbed/.run/testbed.env
#   testbed/testbed.sh down     stop what up started (pid files), remove testbed/.run, keep the cache
#   testbed/testbed.sh status   what runs
#   testbed/testbed.sh logs [N] last N (default 60) lines of every log
#   testbed/testbed.sh check    independent clients (kcat, kafka-python) against the running bed
#
# Ports/addresses can be overridden with env vars of the same name as the state-file keys when
# calling up, e.g. `SASL_SSL=localhost:29095 testbed/testbed.sh up`. See testbed/README.md.
set -euo pipefail

TB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$TB")
CACHE=$TB/.cache
RUN=$TB/.run
LOGS=$RUN/logs
PIDS=$RUN/pids
CERTS=$RUN/certs
STATE=$RUN/testbed.env

KAFKA_VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$TB/pom.xml")
JARS=$CACHE/kafka-$KAFKA_VERSION
RULER_VERSION=$(sed -n 's:.*<event-ruler.version>\(.*\)</event-ruler.version>.*:\1:p' "$TB/event-ruler/pom.xml")
RULER_JARS=$CACHE/event-ruler-$RULER_VERSION
# The schema registry (Apicurio, ports 19350-19359): testbed/registry.sh.
# shellcheck source=testbed/registry.sh
. "$TB/registry.sh"
# The second node, kafka4: Apache Kafka 4.2 (share groups, OAUTHBEARER against a JWKS).
KAFKA4_VERSION=$(sed -n 's:.*<kafka4.version>\(.*\)</kafka4.version>.*:\1:p' "$TB/kafka4/pom.xml")
KAFKA4_JARS=$CACHE/kafka-$KAFKA4_VERSION

# ---- addresses (host:port; the broker binds 127.0.0.1:<port> and advertises host:port) ----
: "${PLAINTEXT:=127.0.0.1:19092}"
: "${SSL:=localhost:19093}"
: "${MTLS:=localhost:19094}"
: "${SASL_SSL:=localhost:19095}"
: "${IAM:=localhost:19096}"
: "${SASL_SSL_SCRAM512_ONLY:=localhost:19097}"
: "${BADSAN:=localhost:19098}"
: "${ADVERTISED_BAD:=localhost:19099}"
: "${ADVERTISED_BAD_ADVERTISED:=broker-1.invalid:19099}"
: "${ADVERTISED_CLOSED:=localhost:19100}"
: "${ADVERTISED_CLOSED_ADVERTISED:=127.0.0.1:1}"
: "${CHAIN_LEAF_ONLY:=localhost:19101}"
: "${CONTROLLER:=127.0.0.1:19190}"
: "${ADMIN:=127.0.0.1:19191}"
: "${AUTOCREATE:=127.0.0.1:19292}"
: "${AUTOCREATE_CONTROLLER:=127.0.0.1:19293}"
: "${MOTO:=http://127.0.0.1:15000}"
# kafka4 (ports 19300-19349): 19300 PLAINTEXT (admin: User:ANONYMOUS is a super user there),
# 19309 its KRaft controller.
: "${KAFKA4_PLAINTEXT:=127.0.0.1:19300}"
: "${KAFKA4_CONTROLLER:=127.0.0.1:19309}"
# 19301 SASL_SSL OAUTHBEARER validated against the test IdP's JWKS (Kafka's own validator);
# 19310 the same, also requiring the SASL extensions logicalCluster and identityPoolId.
: "${KAFKA4_OAUTH:=localhost:19301}"
: "${KAFKA4_OAUTH_EXT:=localhost:19310}"
# The test OAuth 2.0 server (testbed/cmd/oauthidp), HTTPS with a certificate from CA_PEM.
: "${OAUTH_IDP:=localhost:19330}"
# Queue mode (share groups): 19303 SASL_SSL SCRAM-SHA-512 on kafka4 for the share-group
# principals; kafka4off, a second Kafka 4.2 node formatted with share.version=0 (share groups
# off, as on a cluster upgraded to 4.2): 19304 PLAINTEXT (ANONYMOUS super user), 19305 controller.
: "${KAFKA4_SHARE:=localhost:19303}"
: "${KAFKA4OFF_PLAINTEXT:=127.0.0.1:19304}"
: "${KAFKA4OFF_CONTROLLER:=127.0.0.1:19305}"
# 19302 SASL_SSL OAUTHBEARER validated against the JWKS of the IAM outbound identity federation
# keys (testbed/awsfake's sts:GetWebIdentityToken signs with them), served over HTTPS by
# testbed/cmd/wifjwks on AWS_WIF_JWKS.
: "${KAFKA4_IAM_OAUTH:=localhost:19302}"
: "${AWS_WIF_JWKS:=localhost:19349}"

# ---- names and credentials (a local test bed: nothing here is secret) ----
ADMIN_USER=admin
ADMIN_PASSWORD=admin-secret
SCRAM_PASSWORD=esm-secret-1
CLIENT_KEY_PASSWORD=esm-key-pass
TOPIC=orders
MISSING_TOPIC=ghost
FORBIDDEN_TOPIC=forbidden
GROUP=esmdoctor-probe
ESM_UUID=0f4b5c1e-7d2a-4a53-9c3e-8b1d2e3f4a5b
IAM_REGION=us-east-1
IAM_ACCESS_KEY_ID=AKIAESMDOCTORTESTBED
IAM_SECRET_ACCESS_KEY=esmdoctor/testbed+IamSecretKey0000000000
IAM_PRINCIPAL=esm-iam
IAM_NOACL_ACCESS_KEY_ID=AKIAESMDOCTORNOACL01
IAM_NOACL_SECRET_ACCESS_KEY=esmdoctor/testbed+NoAclSecretKey00000000
IAM_NOACL_PRINCIPAL=esm-iam-noacl
SCRAM512_USERS="esm-ok esm-no-cluster-describeconfigs esm-no-group-describe esm-no-group-read esm-no-topic-describe esm-no-topic-read esm-no-topic-any esm-no-group-any"
SCRAM256_USERS="esm-ok-256"
# DENY ACLs: every ESM ALLOW plus DENY Read on the topic; the -acls user may also describe ACLs
# (ALLOW Describe on the cluster), so it can see the DENY binding.
DENY_TOPIC_READ_USERS="esm-deny-topic-read esm-deny-topic-read-acls"
DESCRIBE_ACLS_USERS="esm-deny-topic-read-acls"
# SCRAM-SHA-512 users whose passwords SASLprep would reject or rewrite (emoji, trailing newline,
# no-break space, ligature): created by tbsetup (AlterUserScramCredentials over the raw UTF-8 bytes,
# as Kafka's Java tools do), each with its secret written to $RUN/secrets/<user>.json.
SCRAM_UNICODE_USERS="esm-pw-emoji esm-pw-newline esm-pw-nbsp esm-pw-ligature"
SCRAM512_USERS="$SCRAM512_USERS $DENY_TOPIC_READ_USERS"
FULL_ACL_PRINCIPALS="esm-ok esm-ok-256 esm-plain esm-mtls esm-mtls-inter $IAM_PRINCIPAL $DENY_TOPIC_READ_USERS $SCRAM_UNICODE_USERS"
# OAuth (kafka4): clients of the test IdP. Every client with a secret uses OAUTH_CLIENT_SECRET.
# esm-oauth: client credentials, scopes kafka and kafka.read; esm-oauth-nocc: JWT-bearer only
# (unauthorized_client for client credentials); esm-oauth-expired: its tokens expired 10
# minutes before they are issued (a wrong IdP clock); esm-oauth-noacl: no ACLs on kafka4;
# esm-oauth-jwt: JWT-bearer with OAUTH_JWT_CLIENT_KEY_PEM, as OAUTH_JWT_CLIENT_EMAIL.
OAUTH_ISSUER=https://$OAUTH_IDP
OAUTH_AUDIENCE=kafka4
OAUTH_OTHER_AUDIENCE=other-cluster
OAUTH_SCOPE=kafka
OAUTH_CLIENT_ID=esm-oauth
OAUTH_CLIENT_SECRET=esm-oauth-secret-1
OAUTH_NOCC_CLIENT_ID=esm-oauth-nocc
OAUTH_EXPIRED_CLIENT_ID=esm-oauth-expired
OAUTH_NOACL_CLIENT_ID=esm-oauth-noacl
OAUTH_JWT_CLIENT_ID=esm-oauth-jwt
OAUTH_JWT_CLIENT_EMAIL=esm-oauth-jwt@testbed.invalid
OAUTH_LOGICAL_CLUSTER=lkc-esm
OAUTH_IDENTITY_POOL=pool-esm
# IAM outbound identity federation (kafka4's IAMOAUTH listener): tokens for the audience
# AWS_WIF_AUDIENCE, whose sub is the execution role's ARN in moto's account. esm-iam-oauth has
# the ESM ACLs (User:<role ARN>), esm-iam-oauth-noacl none.
AWS_WIF_ACCOUNT=123456789012
AWS_WIF_AUDIENCE=kafka4-iam
AWS_WIF_ROLE=esm-iam-oauth
AWS_WIF_NOACL_ROLE=esm-iam-oauth-noacl
AWS_WIF_JWKS_URL=https://$AWS_WIF_JWKS/.well-known/jwks.json
KAFKA4_FULL_ACL_PRINCIPALS="$OAUTH_CLIENT_ID $OAUTH_EXPIRED_CLIENT_ID $OAUTH_JWT_CLIENT_ID arn:aws:iam::$AWS_WIF_ACCOUNT:role/$AWS_WIF_ROLE"
# URLs the kafka4 JVM may fetch JWKS from (Kafka 4's org.apache.kafka.sasl.oauthbearer.allowed.urls).
KAFKA4_ALLOWED_URLS="$OAUTH_ISSUER/oauth2/jwks $AWS_WIF_JWKS_URL"
# Share groups on kafka4 (SCRAM-SHA-512, SCRAM_PASSWORD, on KAFKA4_SHARE): SHARE_USER may Read
# the topic and SHARE_GROUP and SHARE_EMPTY_GROUP (Read implies Describe); SHARE_NOREAD_USER may
# Read the topic and only Describe SHARE_GROUP. SHARE_EMPTY_GROUP exists with no member (tbsetup
# joins and leaves it); SHARE_STREAM_GROUP is a consumer group (tbsetup commits an offset for it).
SHARE_USER=esm-share
SHARE_NOREAD_USER=esm-share-noread
SHARE_GROUP=orders-share
SHARE_EMPTY_GROUP=orders-share-empty
SHARE_STREAM_GROUP=orders-stream
PARTIAL_ACL_USERS="esm-no-cluster-describeconfigs esm-no-group-describe esm-no-group-read esm-no-topic-describe esm-no-topic-read esm-no-topic-any esm-no-group-any"

: "${KAFKA_HEAP:=-Xms256m -Xmx448m}"
: "${AUTOCREATE_HEAP:=-Xms64m -Xmx192m}"
: "${KAFKA4_HEAP:=-Xms128m -Xmx384m}"
: "${KAFKA4OFF_HEAP:=-Xms64m -Xmx256m}"
JVM_OPTS="-XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=64m -XX:MaxDirectMemorySize=128m -Djava.awt.headless=true"

port() { echo "${1##*:}"; }
host() { echo "${1%:*}"; }
now() { date +%s.%N; }
T_START=$(date +%s.%N)
say() { printf '\033[1mtestbed:\033[0m [%5.1fs] %s\n' "$(awk -v a="$T_START" -v b="$(date +%s.%N)" 'BEGIN {print b-a}')" "$*"; }
warn() { printf '\033[1;33mtestbed: WARNING:\033[0m %s\n' "$*" >&2; }

# die MESSAGE: loud failure with the tail of every log, non-zero exit.
die() {
  printf '\n\033[1;31mtestbed: FAILED: %s\033[0m\n' "$*" >&2
  if [ -d "$LOGS" ]; then
    local f
    for f in $(find "$LOGS" -type f -name '*.log' -o -type f -name '*.out' | sort); do
      [ -s "$f" ] || continue
      printf '\n----- tail -n 40 %s -----\n' "$f" >&2
      tail -n 40 "$f" >&2
    done
  fi
  printf '\n\033[1;31mtestbed: FAILED: %s (logs in %s; testbed/testbed.sh down cleans up)\033[0m\n' "$*" "$LOGS" >&2
  exit 1
}

pid_of() { [ -f "$PIDS/$1.pid" ] && cat "$PIDS/$1.pid"; }
alive() { local p; p=$(pid_of "$1") && [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
rss_mb() { awk '/^VmRSS:/ {printf "%d", $2/1024}' "/proc/$1/status" 2>/dev/null || echo 0; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---------------------------------------------------------------- install / cache
ensure_apt() {
  local missing=()
  command -v kcat >/dev/null 2>&1 || missing+=(kcat)
  # xmllint validates the JUnit report against its schema (report tests).
  command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
  dpkg-query -W -f='${Status}' python3-kafka 2>/dev/null | grep -q 'ok installed' || missing+=(python3-kafka)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "${TESTBED_SKIP_APT:-}" = 1 ]; then
    warn "not installing ${missing[*]} (TESTBED_SKIP_APT=1): kcat/kafka-python tests will fail"
    return 0
  fi
  local sudo=
  [ "$(id -u)" = 0 ] || sudo=sudo
  say "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq >"$CACHE/apt.log" 2>&1 || { cat "$CACHE/apt.log" >&2; die "apt-get update failed"; }
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >>"$CACHE/apt.log" 2>&1 ||
    { tail -20 "$CACHE/apt.log" >&2; die "apt-get install ${missing[*]} failed"; }
}

ensure_moto() {
  command -v moto_server >/dev/null 2>&1 && return 0
  say "moto_server not found: pip installing moto[server]==5.2.1"
  python3 -m pip install -q 'moto[server]==5.2.1' || die "cannot install moto"
  command -v moto_server >/dev/null 2>&1 || die "moto_server still not on PATH after pip install"
}

ensure_jars() {
  [ -f "$JARS/.complete" ] && return 0
  command -v mvn >/dev/null 2>&1 || die "mvn not found (needs Maven to fetch Kafka $KAFKA_VERSION)"
  say "resolving Kafka $KAFKA_VERSION jars from Maven Central into ${JARS#"$ROOT"/}"
  rm -rf "$JARS.tmp"
  mvn -q -B -f "$TB/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$JARS.tmp" >"$CACHE/mvn.log" 2>&1 || { tail -40 "$CACHE/mvn.log" >&2; die "mvn dependency:copy-dependencies failed"; }
  ls "$JARS.tmp"/kafka_2.13-"$KAFKA_VERSION".jar >/dev/null 2>&1 || die "kafka_2.13-$KAFKA_VERSION.jar missing after mvn"
  ls "$JARS.tmp"/slf4j-reload4j-*.jar >/dev/null 2>&1 || die "no SLF4J binding after mvn"
  rm -rf "$JARS"
  mv "$JARS.tmp" "$JARS"
  touch "$JARS/.complete"
}

# ensure_ruler_jars fetches event-ruler and its dependencies (Jackson) for
# the filter agreement peer, apart from the broker's jars.
ensure_ruler_jars() {
  [ -f "$RULER_JARS/.complete" ] && return 0
  command -v mvn >/dev/null 2>&1 || die "mvn not found (needs Maven to fetch event-ruler $RULER_VERSION)"
  say "resolving event-ruler $RULER_VERSION from Maven Central into ${RULER_JARS#"$ROOT"/}"
  mkdir -p "$CACHE"
  rm -rf "$RULER_JARS.tmp"
  mvn -q -B -f "$TB/event-ruler/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$RULER_JARS.tmp" >"$CACHE/mvn-event-ruler.log" 2>&1 || { tail -40 "$CACHE/mvn-event-ruler.log" >&2; die "mvn (event-ruler) failed"; }
  ls "$RULER_JARS.tmp"/event-ruler-"$RULER_VERSION".jar >/dev/null 2>&1 || die "event-ruler-$RULER_VERSION.jar missing after mvn"
  rm -rf "$RULER_JARS"
  mv "$RULER_JARS.tmp" "$RULER_JARS"
  touch "$RULER_JARS/.complete"
}

# ensure_kafka4_jars fetches Kafka 4.2 (kafka_2.13, kafka-tools and a Log4j 2
# SLF4J binding) for the kafka4 node, apart from the 3.9 broker's jars.
ensure_kafka4_jars() {
  [ -f "$KAFKA4_JARS/.complete" ] && return 0
  command -v mvn >/dev/null 2>&1 || die "mvn not found (needs Maven to fetch Kafka $KAFKA4_VERSION)"
  say "resolving Kafka $KAFKA4_VERSION jars from Maven Central into ${KAFKA4_JARS#"$ROOT"/}"
  mkdir -p "$CACHE"
  rm -rf "$KAFKA4_JARS.tmp"
  mvn -q -B -f "$TB/kafka4/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$KAFKA4_JARS.tmp" >"$CACHE/mvn-kafka4.log" 2>&1 || { tail -40 "$CACHE/mvn-kafka4.log" >&2; die "mvn (kafka4) failed"; }
  ls "$KAFKA4_JARS.tmp"/kafka_2.13-"$KAFKA4_VERSION".jar >/dev/null 2>&1 || die "kafka_2.13-$KAFKA4_VERSION.jar missing after mvn"
  ls "$KAFKA4_JARS.tmp"/log4j-slf4j-impl-*.jar >/dev/null 2>&1 || die "no SLF4J binding for Kafka $KAFKA4_VERSION after mvn"
  rm -rf "$KAFKA4_JARS"
  mv "$KAFKA4_JARS.tmp" "$KAFKA4_JARS"
  touch "$KAFKA4_JARS/.complete"
}

ensure_iam_classes() {
  local src=$TB/iam/esmdoctor/testbed/MskIamServerCallbackHandler.java sum
  sum=$(cat "$src" "$JARS"/kafka-clients-*.jar | sha256sum | cut -c1-12)
  IAM_CLASSES=$CACHE/iam-classes-$sum
  [ -f "$IAM_CLASSES/.complete" ] && return 0
  say "compiling the MSK IAM token validator"
  rm -rf "$IAM_CLASSES"
  mkdir -p "$IAM_CLASSES"
  javac -nowarn -d "$IAM_CLASSES" -cp "$JARS/*" "$src" || die "javac MskIamServerCallbackHandler failed"
  touch "$IAM_CLASSES/.complete"
}

# ensure_kafka4_classes compiles the kafka4 node's extension-requiring OAUTHBEARER validator.
ensure_kafka4_classes() {
  local src=$TB/kafka4/oauth/esmdoctor/testbed/RequireExtensionsValidatorCallbackHandler.java sum
  sum=$(cat "$src" "$KAFKA4_JARS"/kafka-clients-*.jar | sha256sum | cut -c1-12)
  KAFKA4_CLASSES=$CACHE/kafka4-classes-$sum
  [ -f "$KAFKA4_CLASSES/.complete" ] && return 0
  say "compiling the kafka4 OAUTHBEARER extension validator"
  rm -rf "$KAFKA4_CLASSES"
  mkdir -p "$KAFKA4_CLASSES"
  javac -nowarn -d "$KAFKA4_CLASSES" -cp "$KAFKA4_JARS/*" "$src" || die "javac RequireExtensionsValidatorCallbackHandler failed"
  touch "$KAFKA4_CLASSES/.complete"
}

ensure_tools() {
  command -v go >/dev/null 2>&1 || die "go not found"
  (cd "$ROOT" && go build -o "$CACHE/bin/" ./testbed/cmd/tbsetup ./testbed/cmd/mskiamtoken ./testbed/cmd/oauthidp ./testbed/cmd/wifjwks) ||
    die "go build testbed/cmd/tbsetup testbed/cmd/mskiamtoken testbed/cmd/oauthidp testbed/cmd/wifjwks failed"
  # The real AWS Lambda Runtime Interface Emulator (the --in-vpc tests run
  # esmdoctor as a function's bootstrap under it); pinned in testbed/rie.
  if [ ! -x "$CACHE/bin/aws-lambda-rie" ]; then
    local rie
    rie=$(cd "$ROOT" && sed -n 's/^\t*Version *= *"\(v[^"]*\)"$/\1/p' testbed/rie/rie.go)
    [ -n "$rie" ] || die "cannot read the emulator's version from testbed/rie/rie.go"
    say "building aws-lambda-rie $rie"
    (cd /tmp && GOBIN="$CACHE/bin" GOFLAGS= go install "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@$rie") ||
      die "go install aws-lambda-rie failed"
  fi
}

# ---------------------------------------------------------------- configuration
jaas_plain_admin="org.apache.kafka.common.security.plain.PlainLoginModule required username=\"$ADMIN_USER\" password=\"$ADMIN_PASSWORD\" user_$ADMIN_USER=\"$ADMIN_PASSWORD\";"
jaas_scram="org.apache.kafka.common.security.scram.ScramLoginModule required;"
jaas_plain_users="org.apache.kafka.common.security.plain.PlainLoginModule required user_esm-plain=\"$SCRAM_PASSWORD\";"

sasl_ssl_listener() { # sasl_ssl_listener LOWERNAME MECHANISMS...
  local l=$1 m
  shift
  echo "listener.name.$l.sasl.enabled.mechanisms=$(IFS=,; echo "$*")"
  for m in "$@"; do
    case $m in
      SCRAM-SHA-512) echo "listener.name.$l.scram-sha-512.sasl.jaas.config=$jaas_scram" ;;
      SCRAM-SHA-256) echo "listener.name.$l.scram-sha-256.sasl.jaas.config=$jaas_scram" ;;
      PLAIN) echo "listener.name.$l.plain.sasl.jaas.config=$jaas_plain_users" ;;
    esac
  done
}

write_main_config() {
  local d=$RUN/main
  mkdir -p "$d/data"
  cat >"$d/server.properties" <<EOF
# Generated by testbed/testbed.sh: the main test-bed broker (KRaft combined mode, one node).
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$(port "$CONTROLLER")
controller.listener.names=CONTROLLER
inter.broker.listener.name=INTERNAL
listeners=CONTROLLER://127.0.0.1:$(port "$CONTROLLER"),INTERNAL://127.0.0.1:$(port "$ADMIN"),PLAINTEXT://127.0.0.1:$(port "$PLAINTEXT"),SSL://127.0.0.1:$(port "$SSL"),MTLS://127.0.0.1:$(port "$MTLS"),SASL_SSL://127.0.0.1:$(port "$SASL_SSL"),IAM://127.0.0.1:$(port "$IAM"),SCRAM512://127.0.0.1:$(port "$SASL_SSL_SCRAM512_ONLY"),BADSAN://127.0.0.1:$(port "$BADSAN"),ADVBAD://127.0.0.1:$(port "$ADVERTISED_BAD"),ADVCLOSED://127.0.0.1:$(port "$ADVERTISED_CLOSED"),CHAINLEAF://127.0.0.1:$(port "$CHAIN_LEAF_ONLY")
advertised.listeners=INTERNAL://$ADMIN,PLAINTEXT://$PLAINTEXT,SSL://$SSL,MTLS://$MTLS,SASL_SSL://$SASL_SSL,IAM://$IAM,SCRAM512://$SASL_SSL_SCRAM512_ONLY,BADSAN://$BADSAN,ADVBAD://$ADVERTISED_BAD_ADVERTISED,ADVCLOSED://$ADVERTISED_CLOSED_ADVERTISED,CHAINLEAF://$CHAIN_LEAF_ONLY
listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,INTERNAL:SASL_PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,MTLS:SSL,SASL_SSL:SASL_SSL,IAM:SASL_SSL,SCRAM512:SASL_SSL,BADSAN:SSL,ADVBAD:SASL_SSL,ADVCLOSED:SASL_SSL,CHAINLEAF:SSL

# Controller and inter-broker traffic authenticate as the super user admin (SASL PLAIN):
# a PLAINTEXT one would be User:ANONYMOUS, which would then have to be a super user.
sasl.enabled.mechanisms=PLAIN
sasl.mechanism.controller.protocol=PLAIN
sasl.mechanism.inter.broker.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=$jaas_plain_admin
listener.name.internal.sasl.enabled.mechanisms=PLAIN
listener.name.internal.plain.sasl.jaas.config=$jaas_plain_admin

# TLS: PEM key stores (no JKS, no keystore password), private CA.
ssl.keystore.type=PEM
ssl.keystore.location=$CERTS/broker-keystore.pem
ssl.truststore.type=PEM
ssl.truststore.location=$CERTS/ca.pem
ssl.principal.mapping.rules=RULE:^CN=([^,]+).*\$/\$1/,DEFAULT
listener.name.mtls.ssl.client.auth=required
listener.name.badsan.ssl.keystore.type=PEM
listener.name.badsan.ssl.keystore.location=$CERTS/badsan-keystore.pem
# Leaf only, issued by the intermediate CA: the broker does not send its chain.
listener.name.chainleaf.ssl.keystore.type=PEM
listener.name.chainleaf.ssl.keystore.location=$CERTS/broker-inter-keystore.pem

$(sasl_ssl_listener sasl_ssl SCRAM-SHA-512 SCRAM-SHA-256 PLAIN)
$(sasl_ssl_listener scram512 SCRAM-SHA-512)
$(sasl_ssl_listener advbad SCRAM-SHA-512 SCRAM-SHA-256 PLAIN)
$(sasl_ssl_listener advclosed SCRAM-SHA-512 SCRAM-SHA-256 PLAIN)

# MSK IAM stand-in: OAUTHBEARER whose token is an MSK IAM SigV4 presigned URL (testbed/iam/).
listener.name.iam.sasl.enabled.mechanisms=OAUTHBEARER
listener.name.iam.oauthbearer.sasl.server.callback.handler.class=esmdoctor.testbed.MskIamServerCallbackHandler
listener.name.iam.oauthbearer.sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub="$ADMIN_USER" region="$IAM_REGION" clockSkewSeconds="300" secret_$IAM_ACCESS_KEY_ID="$IAM_SECRET_ACCESS_KEY" principal_$IAM_ACCESS_KEY_ID="$IAM_PRINCIPAL" secret_$IAM_NOACL_ACCESS_KEY_ID="$IAM_NOACL_SECRET_ACCESS_KEY" principal_$IAM_NOACL_ACCESS_KEY_ID="$IAM_NOACL_PRINCIPAL";

authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:$ADMIN_USER
allow.everyone.if.no.acl.found=false
auto.create.topics.enable=false

# Small machine.
log.dirs=$d/data
num.network.threads=2
num.io.threads=2
background.threads=4
num.recovery.threads.per.data.dir=1
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=5
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
group.initial.rebalance.delay.ms=0
log.retention.hours=24
log.segment.bytes=16777216
EOF
}

# write_single_node_config NAME CONTROLLER PLAINTEXT TITLE: the server.properties of a one-node
# KRaft cluster in $RUN/NAME with one PLAINTEXT listener and no authentication; the lines on
# stdin (what this node adds) are appended.
write_single_node_config() {
  local d=$RUN/$1
  mkdir -p "$d/data"
  {
    cat <<EOF
# Generated by testbed/testbed.sh: $4
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$(port "$2")
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listeners=CONTROLLER://127.0.0.1:$(port "$2"),PLAINTEXT://127.0.0.1:$(port "$3")
advertised.listeners=PLAINTEXT://$3
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$d/data
num.network.threads=1
num.io.threads=1
background.threads=2
num.recovery.threads.per.data.dir=1
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
log.segment.bytes=16777216
EOF
    cat
  } >"$d/server.properties"
}

write_autocreate_config() {
  write_single_node_config autocreate "$AUTOCREATE_CONTROLLER" "$AUTOCREATE" \
    "minimal broker with auto.create.topics.enable=true, no auth." <<EOF
auto.create.topics.enable=true
num.partitions=1
# Kafka's default initial rebalance delay (3s), kept on this broker so a
# test can prove --join-group waits for it.
group.initial.rebalance.delay.ms=3000
EOF
}

# kafka4_oauth_listener LOWERNAME HANDLERCLASS JWKS_URL AUDIENCE ISSUER [JAAS OPTIONS]: an
# OAUTHBEARER listener whose tokens are JWTs validated against JWKS_URL (an https one is fetched
# trusting CA_PEM, per the JAAS ssl.* options; add the URL to KAFKA4_ALLOWED_URLS), with that
# expected audience and issuer. The broker-side login module needs unsecuredLoginStringClaim_sub
# once it has any option.
kafka4_oauth_listener() {
  local l=$1 handler=$2 jwks=$3 aud=$4 iss=$5 extra=${6:-}
  cat <<EOF
listener.name.$l.sasl.enabled.mechanisms=OAUTHBEARER
listener.name.$l.oauthbearer.sasl.server.callback.handler.class=$handler
listener.name.$l.oauthbearer.sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub="kafka4" ssl.truststore.type="PEM" ssl.truststore.location="$CERTS/ca.pem" $extra;
listener.name.$l.sasl.oauthbearer.jwks.endpoint.url=$jwks
listener.name.$l.sasl.oauthbearer.expected.audience=$aud
listener.name.$l.sasl.oauthbearer.expected.issuer=$iss
EOF
}

# write_oauth_config writes the test IdP's registry ($RUN/oauth/idp.json) and the JWT-bearer
# client's key pair.
write_oauth_config() {
  local d=$RUN/oauth pub
  mkdir -p "$d"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$d/jwt-client.key" 2>/dev/null ||
    die "openssl genpkey (JWT-bearer client key) failed"
  pub=$(openssl pkey -in "$d/jwt-client.key" -pubout | awk '{printf "%s\\n", $0}')
  cat >"$d/idp.json" <<EOF
{
  "issuer": "$OAUTH_ISSUER",
  "audiences": ["$OAUTH_AUDIENCE", "$OAUTH_OTHER_AUDIENCE"],
  "clients": [
    {"id": "$OAUTH_CLIENT_ID", "secret": "$OAUTH_CLIENT_SECRET", "grants": ["client_credentials"], "scopes": ["$OAUTH_SCOPE", "kafka.read"], "audience": "$OAUTH_AUDIENCE"},
    {"id": "$OAUTH_NOCC_CLIENT_ID", "secret": "$OAUTH_CLIENT_SECRET", "grants": ["urn:ietf:params:oauth:grant-type:jwt-bearer"], "scopes": ["$OAUTH_SCOPE"], "audience": "$OAUTH_AUDIENCE"},
    {"id": "$OAUTH_EXPIRED_CLIENT_ID", "secret": "$OAUTH_CLIENT_SECRET", "grants": ["client_credentials"], "scopes": ["$OAUTH_SCOPE"], "audience": "$OAUTH_AUDIENCE", "lifetime_seconds": -600},
    {"id": "$OAUTH_NOACL_CLIENT_ID", "secret": "$OAUTH_CLIENT_SECRET", "grants": ["client_credentials"], "scopes": ["$OAUTH_SCOPE"], "audience": "$OAUTH_AUDIENCE"},
    {"id": "$OAUTH_JWT_CLIENT_ID", "grants": ["urn:ietf:params:oauth:grant-type:jwt-bearer"], "scopes": ["$OAUTH_SCOPE"], "audience": "$OAUTH_AUDIENCE",
     "email": "$OAUTH_JWT_CLIENT_EMAIL", "subject": "$OAUTH_JWT_CLIENT_ID", "public_key_pem": "$pub"}
  ]
}
EOF
}

start_oauth_idp() {
  setsid "$CACHE/bin/oauthidp" -addr "127.0.0.1:$(port "$OAUTH_IDP")" -config "$RUN/oauth/idp.json" \
    -signing-key "$RUN/oauth/signing.pem" -tls-cert "$CERTS/broker.crt" -tls-key "$CERTS/broker.key" \
    </dev/null >"$LOGS/oauthidp.log" 2>&1 &
  echo $! >"$PIDS/oauthidp.pid"
}

wait_oauth_idp() {
  local i
  for i in $(seq 1 80); do
    alive oauthidp || die "oauthidp exited"
    curl -sf -m 2 --cacert "$CERTS/ca.pem" "$OAUTH_ISSUER/oauth2/jwks" 2>/dev/null | grep -q '"kty"' && return 0
    sleep 0.25
  done
  die "oauthidp at $OAUTH_ISSUER did not serve its JWKS within 20 s"
}

# start_wif_jwks writes fresh web identity keys ($RUN/aws-wif/keys.pem, which every in-test
# awsfake signs with) and serves their JWKS over HTTPS for kafka4's IAMOAUTH listener.
start_wif_jwks() {
  mkdir -p "$RUN/aws-wif"
  setsid "$CACHE/bin/wifjwks" -gen -keys "$RUN/aws-wif/keys.pem" -addr "127.0.0.1:$(port "$AWS_WIF_JWKS")" \
    -cert "$CERTS/broker.crt" -key "$CERTS/broker.key" </dev/null >"$LOGS/wifjwks.log" 2>&1 &
  echo $! >"$PIDS/wifjwks.pid"
}

wait_wif_jwks() {
  local i
  for i in $(seq 1 80); do
    alive wifjwks || die "wifjwks exited: see $LOGS/wifjwks.log"
    curl -sf -m 2 --cacert "$CERTS/ca.pem" "$AWS_WIF_JWKS_URL" 2>/dev/null | grep -q '"kty"' && return 0
    sleep 0.25
  done
  die "wifjwks did not serve $AWS_WIF_JWKS_URL within 20 s"
}

# kafka4_iam_oauth_listener: the IAMOAUTH listener, Kafka's own validator against the web
# identity JWKS, with the audience and the account's (AWS-shaped) issuer pinned, as a broker
# trusting an account's IAM outbound identity federation is configured.
kafka4_iam_oauth_listener() {
  cat <<EOF
listener.name.iamoauth.sasl.enabled.mechanisms=OAUTHBEARER
listener.name.iamoauth.oauthbearer.sasl.server.callback.handler.class=org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler
listener.name.iamoauth.oauthbearer.sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub="kafka4" ssl.truststore.type="PEM" ssl.truststore.location="$CERTS/ca.pem";
listener.name.iamoauth.sasl.oauthbearer.jwks.endpoint.url=$AWS_WIF_JWKS_URL
listener.name.iamoauth.sasl.oauthbearer.expected.audience=$AWS_WIF_AUDIENCE
listener.name.iamoauth.sasl.oauthbearer.expected.issuer=$("$CACHE/bin/wifjwks" -issuer "$AWS_WIF_ACCOUNT")
EOF
}

# kafka4: Kafka 4.2, KRaft combined mode, one node. PLAINTEXT is both the admin and the
# inter-broker listener (its User:ANONYMOUS is a super user); every other listener is
# added by the feature that needs it (OAUTHBEARER, share-group principals, ...).
write_kafka4_config() {
  local d=$RUN/kafka4
  mkdir -p "$d/data"
  cat >"$d/server.properties" <<EOF
# Generated by testbed/testbed.sh: the Kafka $KAFKA4_VERSION node (KRaft combined mode, one node).
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$(port "$KAFKA4_CONTROLLER")
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listeners=CONTROLLER://127.0.0.1:$(port "$KAFKA4_CONTROLLER"),PLAINTEXT://127.0.0.1:$(port "$KAFKA4_PLAINTEXT"),OAUTH://127.0.0.1:$(port "$KAFKA4_OAUTH"),OAUTHEXT://127.0.0.1:$(port "$KAFKA4_OAUTH_EXT"),SHARE://127.0.0.1:$(port "$KAFKA4_SHARE"),IAMOAUTH://127.0.0.1:$(port "$KAFKA4_IAM_OAUTH")
advertised.listeners=PLAINTEXT://$KAFKA4_PLAINTEXT,OAUTH://$KAFKA4_OAUTH,OAUTHEXT://$KAFKA4_OAUTH_EXT,SHARE://$KAFKA4_SHARE,IAMOAUTH://$KAFKA4_IAM_OAUTH
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,OAUTH:SASL_SSL,OAUTHEXT:SASL_SSL,SHARE:SASL_SSL,IAMOAUTH:SASL_SSL

# TLS of the SASL_SSL listeners: the main broker's PEM key store (CA_PEM).
ssl.keystore.type=PEM
ssl.keystore.location=$CERTS/broker-keystore.pem

$(kafka4_oauth_listener oauth org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler \
    "$OAUTH_ISSUER/oauth2/jwks" "$OAUTH_AUDIENCE" "$OAUTH_ISSUER")
$(kafka4_oauth_listener oauthext esmdoctor.testbed.RequireExtensionsValidatorCallbackHandler \
    "$OAUTH_ISSUER/oauth2/jwks" "$OAUTH_AUDIENCE" "$OAUTH_ISSUER" \
    "requiredExtension_logicalCluster=\"$OAUTH_LOGICAL_CLUSTER\" requiredExtension_identityPoolId=\"$OAUTH_IDENTITY_POOL\"")
# SHARE: the share-group principals log in with SCRAM-SHA-512 (users added at format time).
listener.name.share.sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.share.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
$(kafka4_iam_oauth_listener)

authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
# Controller, inter-broker and admin traffic are PLAINTEXT, hence User:ANONYMOUS.
super.users=User:ANONYMOUS
allow.everyone.if.no.acl.found=false
auto.create.topics.enable=false

# Small machine.
log.dirs=$d/data
num.network.threads=2
num.io.threads=2
background.threads=4
num.recovery.threads.per.data.dir=1
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
share.coordinator.state.topic.num.partitions=1
group.initial.rebalance.delay.ms=0
log.retention.hours=24
log.segment.bytes=16777216
EOF
}

# A KRaft cluster id: 16 random bytes, base64url. One starting with '-' would be taken for an
# option by kafka-storage's argument parser (Kafka's own generator avoids those too).
cluster_id() {
  local id
  while :; do
    id=$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    [[ $id == [A-Za-z0-9]* ]] && break
  done
  echo "$id"
}

# format NAME [--add-scram ...]: KRaft storage format (one JVM).
format() {
  local name=$1
  shift
  java -Xmx256m -XX:TieredStopAtLevel=1 -cp "$JARS/*:$IAM_CLASSES" \
    -Dlog4j.configuration="file:$TB/log4j.properties" -Dkafka.logs.dir="$LOGS/$name" \
    kafka.tools.StorageTool format -t "$(cluster_id)" -c "$RUN/$name/server.properties" "$@" \
    >"$LOGS/$name/format.out" 2>&1
}

# format_kafka4 [NAME [ARGS...]]: KRaft storage format of the kafka4 node (share.version=1 is the
# default of a fresh 4.2 cluster), with the share-group SCRAM users; or of another Kafka 4 node
# NAME with ARGS (kafka4off: --feature share.version=0).
format_kafka4() {
  local name=${1:-kafka4} u args=()
  [ $# -gt 0 ] && shift
  if [ "$name" = kafka4 ]; then
    for u in $SHARE_USER $SHARE_NOREAD_USER; do args+=(--add-scram "SCRAM-SHA-512=[name=$u,password=$SCRAM_PASSWORD]"); done
  fi
  java -Xmx256m -XX:TieredStopAtLevel=1 -cp "$KAFKA4_JARS/*" \
    -Dlog4j2.configurationFile="$TB/kafka4/log4j2.properties" -Dkafka.logs.dir="$LOGS/$name" \
    kafka.tools.StorageTool format -t "$(cluster_id)" -c "$RUN/$name/server.properties" "${args[@]}" "$@" \
    >"$LOGS/$name/format.out" 2>&1
}

# kafka4off: a second Kafka 4.2 node, formatted with share.version=0: it serves the share-group
# APIs but answers every share-group request UNSUPPORTED_VERSION (share groups are off, as on a
# cluster upgraded to 4.2 without kafka-features upgrade --feature share.version=1). One
# PLAINTEXT listener (ANONYMOUS, no authorizer).
write_kafka4off_config() {
  write_single_node_config kafka4off "$KAFKA4OFF_CONTROLLER" "$KAFKA4OFF_PLAINTEXT" \
    "the Kafka $KAFKA4_VERSION node with share groups off." <<EOF
auto.create.topics.enable=false
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
share.coordinator.state.topic.num.partitions=1
group.initial.rebalance.delay.ms=0
log.retention.hours=24
EOF
}

# start_kafka4off: start the kafka4off node in its own session, pid in $PIDS/kafka4off.pid.
start_kafka4off() {
  # shellcheck disable=SC2086
  setsid java $KAFKA4OFF_HEAP $JVM_OPTS -cp "$KAFKA4_JARS/*" \
    -Dlog4j2.configurationFile="$TB/kafka4/log4j2.properties" -Dkafka.logs.dir="$LOGS/kafka4off" \
    kafka.Kafka "$RUN/kafka4off/server.properties" </dev/null >"$LOGS/kafka4off/stdout.out" 2>&1 &
  echo $! >"$PIDS/kafka4off.pid"
}

# start_kafka4: start the kafka4 node in its own session, pid in $PIDS/kafka4.pid.
start_kafka4() {
  # shellcheck disable=SC2086
  setsid java $KAFKA4_HEAP $JVM_OPTS -cp "$KAFKA4_JARS/*:$KAFKA4_CLASSES" \
    -Dorg.apache.kafka.sasl.oauthbearer.allowed.urls="${KAFKA4_ALLOWED_URLS// /,}" \
    -Dlog4j2.configurationFile="$TB/kafka4/log4j2.properties" -Dkafka.logs.dir="$LOGS/kafka4" \
    kafka.Kafka "$RUN/kafka4/server.properties" </dev/null >"$LOGS/kafka4/stdout.out" 2>&1 &
  echo $! >"$PIDS/kafka4.pid"
}

# start NAME HEAP: start a broker in its own session, pid in $PIDS/NAME.pid.
start_broker() {
  local name=$1 heap=$2
  # shellcheck disable=SC2086
  setsid java $heap $JVM_OPTS -cp "$JARS/*:$IAM_CLASSES" \
    -Dlog4j.configuration="file:$TB/log4j.properties" -Dkafka.logs.dir="$LOGS/$name" \
    kafka.Kafka "$RUN/$name/server.properties" </dev/null >"$LOGS/$name/stdout.out" 2>&1 &
  echo $! >"$PIDS/$name.pid"
}

start_moto() {
  local hp=${MOTO#*://}
  setsid moto_server -H "$(host "$hp")" -p "$(port "$hp")" </dev/null >"$LOGS/moto.log" 2>&1 &
  echo $! >"$PIDS/moto.pid"
}

wait_moto() {
  local i
  for i in $(seq 1 120); do
    alive moto || die "moto_server exited"
    if curl -sf -m 2 -X POST -H 'Authorization: AWS4-HMAC-SHA256 Credential=AKIDTESTBED/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0' \
      -d 'Action=GetCallerIdentity&Version=2011-06-15' "$MOTO/" 2>/dev/null | grep -q GetCallerIdentityResult; then
      return 0
    fi
    sleep 0.25
  done
  die "moto_server at $MOTO did not answer STS GetCallerIdentity within 30 s"
}

write_state() { # write_state FILE
  local f=$1 u
  {
    echo "# Written by testbed/testbed.sh up at $(date -u +%Y-%m-%dT%H:%M:%SZ). KEY=VALUE, parsed by testbed/tbenv."
    echo "KAFKA_VERSION=$KAFKA_VERSION"
    for u in PLAINTEXT SSL MTLS SASL_SSL IAM SASL_SSL_SCRAM512_ONLY BADSAN ADVERTISED_BAD ADVERTISED_BAD_ADVERTISED \
      ADVERTISED_CLOSED ADVERTISED_CLOSED_ADVERTISED CHAIN_LEAF_ONLY ADMIN CONTROLLER AUTOCREATE MOTO \
      KAFKA4_VERSION KAFKA4_PLAINTEXT KAFKA4_CONTROLLER KAFKA4_OAUTH KAFKA4_OAUTH_EXT OAUTH_IDP OAUTH_ISSUER OAUTH_AUDIENCE \
      OAUTH_OTHER_AUDIENCE OAUTH_SCOPE OAUTH_CLIENT_ID OAUTH_CLIENT_SECRET OAUTH_NOCC_CLIENT_ID OAUTH_EXPIRED_CLIENT_ID \
      OAUTH_NOACL_CLIENT_ID OAUTH_JWT_CLIENT_ID OAUTH_JWT_CLIENT_EMAIL OAUTH_LOGICAL_CLUSTER OAUTH_IDENTITY_POOL \
      KAFKA4_SHARE KAFKA4OFF_PLAINTEXT SHARE_USER SHARE_NOREAD_USER SHARE_GROUP SHARE_EMPTY_GROUP SHARE_STREAM_GROUP \
      KAFKA4_IAM_OAUTH AWS_WIF_JWKS AWS_WIF_JWKS_URL AWS_WIF_ACCOUNT AWS_WIF_AUDIENCE AWS_WIF_ROLE AWS_WIF_NOACL_ROLE; do
      echo "$u=${!u}"
    done
    echo "CA_PEM=$CERTS/ca.pem"
    echo "OTHER_CA_PEM=$CERTS/other-ca.pem"
    echo "INTER_CA_PEM=$CERTS/inter-ca.pem"
    echo "CLIENT_INTER_CHAIN_PEM=$CERTS/client-inter-chain.pem"
    echo "CLIENT_INTER_LEAF_PEM=$CERTS/client-inter-leaf.pem"
    echo "CLIENT_INTER_KEY_PEM=$CERTS/client-inter.key"
    echo "MTLS_INTER_PRINCIPAL=esm-mtls-inter"
    echo "CLIENT_CERT_PEM=$CERTS/client-chain.pem"
    echo "CLIENT_KEY_PEM=$CERTS/client.key"
    echo "CLIENT_KEY_PBES1_PEM=$CERTS/client-key-pbes1.pem"
    echo "CLIENT_KEY_PBES2_PEM=$CERTS/client-key-pbes2.pem"
    echo "CLIENT_PKCS1_KEY_PEM=$CERTS/client-key-pkcs1.pem"
    echo "CLIENT_KEY_PASSWORD=$CLIENT_KEY_PASSWORD"
    echo "CLIENT_NOACL_CERT_PEM=$CERTS/client-noacl-chain.pem"
    echo "CLIENT_NOACL_KEY_PEM=$CERTS/client-noacl.key"
    echo "CLIENT_UNTRUSTED_CERT_PEM=$CERTS/client-untrusted-chain.pem"
    echo "CLIENT_UNTRUSTED_KEY_PEM=$CERTS/client-untrusted.key"
    echo "CLIENT_EXPIRED_CERT_PEM=$CERTS/client-expired-chain.pem"
    echo "CLIENT_EXPIRED_KEY_PEM=$CERTS/client-expired.key"
    echo "MTLS_PRINCIPAL=esm-mtls"
    echo "MTLS_NOACL_PRINCIPAL=esm-mtls-noacl"
    echo "ADMIN_USER=$ADMIN_USER"
    echo "ADMIN_PASSWORD=$ADMIN_PASSWORD"
    echo "SCRAM_USER=esm-ok"
    echo "SCRAM256_USER=esm-ok-256"
    echo "PLAIN_USER=esm-plain"
    echo "SCRAM_PASSWORD=$SCRAM_PASSWORD"
    echo "SCRAM512_USERS=${SCRAM512_USERS// /,}"
    echo "SCRAM256_USERS=${SCRAM256_USERS// /,}"
    echo "FULL_ACL_PRINCIPALS=${FULL_ACL_PRINCIPALS// /,}"
    echo "PARTIAL_ACL_USERS=${PARTIAL_ACL_USERS// /,}"
    echo "DENY_TOPIC_READ_USERS=${DENY_TOPIC_READ_USERS// /,}"
    echo "DESCRIBE_ACLS_USERS=${DESCRIBE_ACLS_USERS// /,}"
    echo "SCRAM_UNICODE_USERS=${SCRAM_UNICODE_USERS// /,}"
    echo "SECRETS_DIR=$RUN/secrets"
    for u in TOPIC MISSING_TOPIC FORBIDDEN_TOPIC GROUP ESM_UUID IAM_REGION IAM_ACCESS_KEY_ID IAM_SECRET_ACCESS_KEY \
      IAM_PRINCIPAL IAM_NOACL_ACCESS_KEY_ID IAM_NOACL_SECRET_ACCESS_KEY IAM_NOACL_PRINCIPAL; do
      echo "$u=${!u}"
    done
    echo "OAUTH_TOKEN_URL=$OAUTH_ISSUER/oauth2/token"
    echo "OAUTH_JWKS_URL=$OAUTH_ISSUER/oauth2/jwks"
    echo "OAUTH_JWT_CLIENT_KEY_PEM=$RUN/oauth/jwt-client.key"
    echo "AWS_WIF_KEYS=$RUN/aws-wif/keys.pem"
    echo "KAFKA4_FULL_ACL_PRINCIPALS=${KAFKA4_FULL_ACL_PRINCIPALS// /,}"
    registry_state
    echo "LOG_DIR=$LOGS"
  } >"$f"
}

# ---------------------------------------------------------------- commands
cmd_up() {
  local t0 tb p pid
  t0=$(now)
  if [ -f "$STATE" ] && alive main && alive autocreate && alive kafka4 && alive kafka4off && alive oauthidp && alive wifjwks && alive moto && alive registry; then
    "$CACHE/bin/tbsetup" -mode wait -addr "$AUTOCREATE" -timeout 10s >/dev/null 2>&1 &&
      "$CACHE/bin/tbsetup" -mode wait -addr "$KAFKA4_PLAINTEXT" -timeout 10s >/dev/null 2>&1 &&
      "$CACHE/bin/tbsetup" -mode wait -addr "$KAFKA4OFF_PLAINTEXT" -timeout 10s >/dev/null 2>&1 &&
      "$CACHE/bin/tbsetup" -mode wait -env "$STATE" -timeout 10s >/dev/null 2>&1 ||
      die "test bed processes run but a broker does not answer Metadata; run testbed/testbed.sh down && up"
    say "already up (state file $STATE)"
    cmd_status
    return 0
  fi
  if [ -d "$RUN" ]; then
    say "stale or partial test bed found: cleaning it up first"
    cmd_down >/dev/null
  fi
  mkdir -p "$CACHE" "$LOGS/main" "$LOGS/autocreate" "$LOGS/kafka4" "$LOGS/kafka4off" "$PIDS"

  for p in PLAINTEXT SSL MTLS SASL_SSL IAM SASL_SSL_SCRAM512_ONLY BADSAN ADVERTISED_BAD ADVERTISED_CLOSED CHAIN_LEAF_ONLY \
    CONTROLLER ADMIN AUTOCREATE AUTOCREATE_CONTROLLER KAFKA4_PLAINTEXT KAFKA4_CONTROLLER KAFKA4_OAUTH KAFKA4_OAUTH_EXT OAUTH_IDP \
    REGISTRY_HTTP REGISTRY_HTTPS REGISTRY_MGMT \
    KAFKA4_SHARE KAFKA4OFF_PLAINTEXT KAFKA4OFF_CONTROLLER KAFKA4_IAM_OAUTH AWS_WIF_JWKS; do
    port_busy "$(port "${!p}")" && die "port $(port "${!p}") ($p) is already in use by another process"
  done
  port_busy "$(port "${MOTO#*://}")" && die "port of MOTO ($MOTO) is already in use by another process"

  ensure_apt
  ensure_moto
  ensure_jars
  ensure_ruler_jars
  ensure_kafka4_jars
  ensure_kafka4_classes
  ensure_iam_classes
  ensure_tools
  ensure_apicurio

  say "generating certificates"
  CLIENT_KEY_PASSWORD=$CLIENT_KEY_PASSWORD bash "$TB/certs.sh" "$CERTS" >"$LOGS/certs.log" 2>&1 || die "certificate generation failed"
  # The registry's JVM boots while the brokers are formatted and started (its HTTPS port
  # serves the broker's certificate).
  say "starting Apicurio Registry $APICURIO_VERSION (schema registry)"
  start_registry
  write_main_config
  write_autocreate_config
  write_oauth_config
  write_kafka4_config
  write_kafka4off_config
  write_state "$STATE.pending"

  say "formatting KRaft storage (SCRAM users added at format time)"
  local scram=() u
  for u in $SCRAM512_USERS; do scram+=(--add-scram "SCRAM-SHA-512=[name=$u,password=$SCRAM_PASSWORD]"); done
  for u in $SCRAM256_USERS; do scram+=(--add-scram "SCRAM-SHA-256=[name=$u,password=$SCRAM_PASSWORD]"); done
  format main "${scram[@]}" &
  local fmain=$!
  format autocreate &
  local fauto=$!
  format_kafka4 &
  local fk4=$!
  format_kafka4 kafka4off --feature share.version=0 &
  local fk4off=$!
  wait $fmain || die "kafka-storage format (main) failed: see $LOGS/main/format.out"
  wait $fauto || die "kafka-storage format (autocreate) failed: see $LOGS/autocreate/format.out"
  wait $fk4 || die "kafka-storage format (kafka4) failed: see $LOGS/kafka4/format.out"
  wait $fk4off || die "kafka-storage format (kafka4off) failed: see $LOGS/kafka4off/format.out"

  # The IdP and the web identity JWKS first: kafka4's OAUTHBEARER listeners fetch their JWKS
  # when they start.
  start_oauth_idp
  start_wif_jwks
  wait_oauth_idp
  wait_wif_jwks
  say "starting Kafka $KAFKA_VERSION brokers, Kafka $KAFKA4_VERSION (kafka4) and moto_server"
  tb=$(now)
  start_broker main "$KAFKA_HEAP"
  start_broker autocreate "$AUTOCREATE_HEAP"
  start_kafka4
  start_kafka4off
  start_moto

  "$CACHE/bin/tbsetup" -mode wait -env "$STATE.pending" -pid "$(pid_of main)" -timeout "${BROKER_TIMEOUT:-180s}" ||
    die "main broker did not answer a Metadata request"
  BROKER_START_SECONDS=$(awk -v a="$tb" -v b="$(now)" 'BEGIN {printf "%.1f", b-a}')
  "$CACHE/bin/tbsetup" -mode wait -addr "$AUTOCREATE" -pid "$(pid_of autocreate)" -timeout "${BROKER_TIMEOUT:-180s}" ||
    die "autocreate broker did not answer a Metadata request"
  "$CACHE/bin/tbsetup" -mode wait -addr "$KAFKA4_PLAINTEXT" -pid "$(pid_of kafka4)" -timeout "${BROKER_TIMEOUT:-180s}" ||
    die "kafka4 node (Kafka $KAFKA4_VERSION) did not answer a Metadata request"
  "$CACHE/bin/tbsetup" -mode wait -addr "$KAFKA4OFF_PLAINTEXT" -pid "$(pid_of kafka4off)" -timeout "${BROKER_TIMEOUT:-180s}" ||
    die "kafka4off node (Kafka $KAFKA4_VERSION, share groups off) did not answer a Metadata request"
  KAFKA4_START_SECONDS=$(awk -v a="$tb" -v b="$(now)" 'BEGIN {printf "%.1f", b-a}')
  wait_moto

  say "creating topics, ACLs and records"
  "$CACHE/bin/tbsetup" -mode setup -env "$STATE.pending" -pid "$(pid_of main)" || die "topic/ACL/record setup failed"
  "$CACHE/bin/tbsetup" -mode kafka4 -env "$STATE.pending" -pid "$(pid_of kafka4)" || die "kafka4 topic/ACL/record setup failed"
  "$CACHE/bin/tbsetup" -mode kafka4off -env "$STATE.pending" -pid "$(pid_of kafka4off)" || die "kafka4off topic/record setup failed"
  say "registering schemas (Apicurio, moto's Glue) and producing the records that reference them"
  registry_setup

  pid=$(pid_of main)
  BROKER_RSS_MB=$(rss_mb "$pid")
  AUTOCREATE_RSS_MB=$(rss_mb "$(pid_of autocreate)")
  UP_SECONDS=$(awk -v a="$t0" -v b="$(now)" 'BEGIN {printf "%.1f", b-a}')
  {
    echo "BROKER_PID=$pid"
    echo "AUTOCREATE_PID=$(pid_of autocreate)"
    echo "KAFKA4_PID=$(pid_of kafka4)"
    echo "KAFKA4OFF_PID=$(pid_of kafka4off)"
    echo "KAFKA4OFF_RSS_MB=$(rss_mb "$(pid_of kafka4off)")"
    echo "OAUTH_IDP_PID=$(pid_of oauthidp)"
    echo "KAFKA4_START_SECONDS=$KAFKA4_START_SECONDS"
    echo "KAFKA4_RSS_MB=$(rss_mb "$(pid_of kafka4)")"
    echo "MOTO_PID=$(pid_of moto)"
    echo "REGISTRY_PID=$(pid_of registry)"
    echo "REGISTRY_RSS_MB=$(rss_mb "$(pid_of registry)")"
    echo "BROKER_START_SECONDS=$BROKER_START_SECONDS"
    echo "BROKER_RSS_MB=$BROKER_RSS_MB"
    echo "AUTOCREATE_RSS_MB=$AUTOCREATE_RSS_MB"
    echo "UP_SECONDS=$UP_SECONDS"
  } >>"$STATE.pending"
  mv "$STATE.pending" "$STATE"
  say "UP in ${UP_SECONDS}s: Kafka $KAFKA_VERSION broker started in ${BROKER_START_SECONDS}s (to first Metadata answer), RSS ${BROKER_RSS_MB} MB; autocreate broker RSS ${AUTOCREATE_RSS_MB} MB; kafka4 (Kafka $KAFKA4_VERSION) answered after ${KAFKA4_START_SECONDS}s, RSS $(rss_mb "$(pid_of kafka4)") MB"
  say "state file: $STATE"
}

stop_pid() { # stop_pid NAME
  local p i
  p=$(pid_of "$1") || return 0
  [ -n "$p" ] || return 0
  if kill -0 "$p" 2>/dev/null; then
    kill -TERM "$p" 2>/dev/null || true
    for i in $(seq 1 100); do
      kill -0 "$p" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$p" 2>/dev/null; then
      warn "$1 (pid $p) did not stop in 20 s: killing it"
      kill -KILL "$p" 2>/dev/null || true
    fi
  fi
  rm -f "$PIDS/$1.pid"
}

cmd_down() {
  local n
  if [ -d "$PIDS" ]; then
    # moto first, then the brokers in parallel (a clean KRaft shutdown takes a few seconds).
    stop_pid moto
    stop_pid oauthidp
    stop_pid wifjwks
    for n in main autocreate kafka4 kafka4off registry; do stop_pid "$n" & done
    wait
  fi
  rm -rf "$RUN"
  say "down (cache kept in ${CACHE#"$ROOT"/})"
}

cmd_status() {
  local n p
  if [ ! -d "$PIDS" ]; then
    say "down"
    return 0
  fi
  for n in main autocreate kafka4 kafka4off oauthidp wifjwks moto registry; do
    p=$(pid_of "$n" || true)
    if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
      printf '  %-11s pid %-7s running, RSS %s MB\n' "$n" "$p" "$(rss_mb "$p")"
    else
      printf '  %-11s %s\n' "$n" "NOT running"
    fi
  done
  if [ -f "$STATE" ]; then
    printf '  state file  %s\n' "$STATE"
    grep -E '^(KAFKA_VERSION|PLAINTEXT|SSL|MTLS|SASL_SSL|IAM|SASL_SSL_SCRAM512_ONLY|BADSAN|ADVERTISED_BAD|ADVERTISED_CLOSED|CHAIN_LEAF_ONLY|ADMIN|AUTOCREATE|MOTO|KAFKA4_[A-Z_]*|KAFKA4OFF_[A-Z_]*|OAUTH_IDP|OAUTH_ISSUER|REGISTRY_URL|REGISTRY_HTTPS_URL|REGISTRY_RSS_MB|BROKER_START_SECONDS|BROKER_RSS_MB|UP_SECONDS)=' "$STATE" | sed 's/^/    /'
  else
    printf '  state file  missing (up did not finish)\n'
  fi
}

cmd_logs() {
  local n=${1:-60} f
  [ -d "$LOGS" ] || { say "no logs (down)"; return 0; }
  for f in $(find "$LOGS" -type f | sort); do
    printf '\n----- tail -n %s %s -----\n' "$n" "$f"
    tail -n "$n" "$f"
  done
}

cmd_check() {
  [ -f "$STATE" ] || die "test bed is not up"
  bash "$TB/check.sh" "$STATE"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  logs) cmd_logs "${2:-}" ;;
  check) cmd_check ;;
  ruler-jars) ensure_ruler_jars ;;
  *)
    echo "usage: $0 up|down|status|logs [N]|check|ruler-jars" >&2
    exit 2
    ;;
esac
