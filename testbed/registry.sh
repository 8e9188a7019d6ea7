# shellcheck shell=bash
# The test bed's schema registry: Apicurio Registry (Maven Central's Quarkus fast-jar, Java 21+),
# its Confluent-compatible API at /apis/ccompat/v7 over HTTP and HTTPS (the bed's CA), basic
# authentication required on /apis/* (Quarkus embedded users, read at run time by Apicurio).
# Sourced by testbed.sh; started right after the certificates so its JVM boots while the
# brokers are formatted and start (it takes 6-12 s on two shared cores).

APICURIO_VERSION=3.3.3
APICURIO_DIR=$CACHE/apicurio-registry-$APICURIO_VERSION
: "${REGISTRY_HTTP:=127.0.0.1:19350}"
: "${REGISTRY_HTTPS:=localhost:19351}"
: "${REGISTRY_MGMT:=127.0.0.1:19352}"
: "${REGISTRY_HEAP:=-Xms64m -Xmx256m}"
REGISTRY_USER=esm-registry
REGISTRY_PASSWORD=registry-secret-1
REGISTRY_URL=http://$REGISTRY_HTTP/apis/ccompat/v7
REGISTRY_HTTPS_URL=https://$REGISTRY_HTTPS/apis/ccompat/v7

# ensure_apicurio fetches and unpacks the registry (tar.gz "all" classifier) into the cache.
ensure_apicurio() {
  [ -f "$APICURIO_DIR/.complete" ] && return 0
  command -v mvn >/dev/null 2>&1 || die "mvn not found (needs Maven to fetch Apicurio Registry $APICURIO_VERSION)"
  say "fetching Apicurio Registry $APICURIO_VERSION from Maven Central into ${APICURIO_DIR#"$ROOT"/}"
  rm -rf "$APICURIO_DIR.tmp"
  mkdir -p "$APICURIO_DIR.tmp"
  mvn -q -B dependency:copy -Dartifact="io.apicurio:apicurio-registry-app:$APICURIO_VERSION:tar.gz:all" \
    -DoutputDirectory="$APICURIO_DIR.tmp" >"$CACHE/mvn-apicurio.log" 2>&1 || { tail -40 "$CACHE/mvn-apicurio.log" >&2; die "mvn (Apicurio Registry) failed"; }
  tar -xzf "$APICURIO_DIR.tmp/apicurio-registry-app-$APICURIO_VERSION-all.tar.gz" -C "$APICURIO_DIR.tmp" || die "cannot unpack Apicurio Registry"
  rm -f "$APICURIO_DIR.tmp/apicurio-registry-app-$APICURIO_VERSION-all.tar.gz"
  [ -f "$APICURIO_DIR.tmp/quarkus-run.jar" ] || die "quarkus-run.jar missing from Apicurio Registry $APICURIO_VERSION"
  rm -rf "$APICURIO_DIR"
  mv "$APICURIO_DIR.tmp" "$APICURIO_DIR"
  touch "$APICURIO_DIR/.complete"
}

# registry_java prints a java of version 21 or later ($REGISTRY_JAVA, a Temurin 25, any JVM
# under /usr/lib/jvm, the one on PATH).
registry_java() {
  local j v
  for j in "${REGISTRY_JAVA:-}" /usr/lib/jvm/temurin-25*/bin/java /usr/lib/jvm/*/bin/java "$(command -v java || true)"; do
    [ -n "$j" ] && [ -x "$j" ] || continue
    v=$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    [ "${v%%.*}" -ge 21 ] 2>/dev/null && { echo "$j"; return 0; }
  done
  return 1
}

# start_registry starts Apicurio in its own session, pid in $PIDS/registry.pid.
start_registry() {
  local java
  java=$(registry_java) || die "Apicurio Registry needs Java 21 or later: none found (set REGISTRY_JAVA=/path/to/java)"
  mkdir -p "$RUN/registry" "$LOGS"
  # shellcheck disable=SC2086
  (cd "$RUN/registry" && exec setsid "$java" $REGISTRY_HEAP -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$(port "$REGISTRY_HTTP")" -Dquarkus.http.ssl-port="$(port "$REGISTRY_HTTPS")" \
    -Dquarkus.http.insecure-requests=enabled \
    -Dquarkus.http.ssl.certificate.files="$CERTS/broker.crt" -Dquarkus.http.ssl.certificate.key-files="$CERTS/broker.key" \
    -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$(port "$REGISTRY_MGMT")" \
    -Dquarkus.http.auth.basic=true -Dquarkus.security.users.embedded.enabled=true -Dquarkus.security.users.embedded.plain-text=true \
    -Dquarkus.security.users.embedded.users."$REGISTRY_USER"="$REGISTRY_PASSWORD" \
    -Dquarkus.http.auth.permission.authn.paths='/apis/*' -Dquarkus.http.auth.permission.authn.policy=authenticated \
    -jar "$APICURIO_DIR/quarkus-run.jar" </dev/null >"$LOGS/registry.log" 2>&1) &
  echo $! >"$PIDS/registry.pid"
}

# registry_setup waits for the registry, then registers the schemas and produces the records
# (tbsetup -mode registry), appending their ids to the pending state file.
registry_setup() {
  local out
  out=$("$CACHE/bin/tbsetup" -mode registry -env "$STATE.pending" -registry-pid "$(pid_of registry)" -timeout "${REGISTRY_TIMEOUT:-180s}") ||
    die "schema registry setup failed: see $LOGS/registry.log"
  echo "$out" >>"$STATE.pending"
}

# registry_state prints the registry's state-file lines.
registry_state() {
  local u
  for u in APICURIO_VERSION REGISTRY_HTTP REGISTRY_HTTPS REGISTRY_MGMT REGISTRY_URL REGISTRY_HTTPS_URL REGISTRY_USER REGISTRY_PASSWORD; do
    echo "$u=${!u}"
  done
}
