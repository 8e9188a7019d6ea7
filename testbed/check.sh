#!/usr/bin/env bash
# Independent clients against the running test bed: kcat (librdkafka 2.0.2) and kafka-python.
# Usage: testbed/check.sh [STATE_FILE]   (testbed.sh check calls it). Exits non-zero on any failure.
set -euo pipefail
TB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE=${1:-$TB/.run/testbed.env}
[ -f "$STATE" ] || { echo "check: $STATE missing: run testbed/testbed.sh up" >&2; exit 1; }
set -a
# shellcheck disable=SC1090
. "$STATE"
set +a
fail=0
ok() { printf '  ok    %s\n' "$*"; }
bad() { printf '  FAIL  %s\n' "$*"; fail=1; }

tls=(-X "ssl.ca.location=$CA_PEM")
mtls=(-X security.protocol=SSL "${tls[@]}" -X "ssl.certificate.location=$CLIENT_CERT_PEM" -X "ssl.key.location=$CLIENT_KEY_PEM")
scram=(-X security.protocol=SASL_SSL "${tls[@]}" -X sasl.mechanisms=SCRAM-SHA-512 -X sasl.username=esm-ok -X "sasl.password=$SCRAM_PASSWORD")

# expect_L NAME WANT(ok|fail) GREP kcat-args...: kcat -L must succeed and list GREP, or fail.
expect_L() {
  local name=$1 want=$2 pat=$3 out rc=0
  shift 3
  out=$(timeout 20 kcat -L -m 8 "$@" 2>&1) || rc=$?
  if [ "$want" = ok ] && [ $rc = 0 ] && grep -q -- "$pat" <<<"$out"; then ok "kcat -L $name"
  elif [ "$want" = fail ] && { [ $rc != 0 ] || ! grep -q -- "$pat" <<<"$out"; }; then ok "kcat -L $name fails as it should"
  else bad "kcat -L $name (rc $rc): $(tail -3 <<<"$out")"; fi
}

echo "kcat:"
expect_L "SSL (anonymous: sees brokers, no topics)" ok ' 0 topics' -b "$SSL" -X security.protocol=SSL "${tls[@]}"
expect_L "mTLS esm-mtls" ok "topic \"$TOPIC\" with 3 partitions" -b "$MTLS" "${mtls[@]}"
expect_L "SCRAM-SHA-512 esm-ok" ok "topic \"$TOPIC\" with 3 partitions" -b "$SASL_SSL" "${scram[@]}"
expect_L "SCRAM-SHA-512 on the SCRAM-512-only listener" ok "topic \"$TOPIC\"" -b "$SASL_SSL_SCRAM512_ONLY" "${scram[@]}"
expect_L "SCRAM-SHA-256 esm-ok-256" ok "topic \"$TOPIC\"" -b "$SASL_SSL" -X security.protocol=SASL_SSL "${tls[@]}" \
  -X sasl.mechanisms=SCRAM-SHA-256 -X sasl.username=esm-ok-256 -X "sasl.password=$SCRAM_PASSWORD"
expect_L "PLAIN esm-plain" ok "topic \"$TOPIC\"" -b "$SASL_SSL" -X security.protocol=SASL_SSL "${tls[@]}" \
  -X sasl.mechanisms=PLAIN -X sasl.username=esm-plain -X "sasl.password=$SCRAM_PASSWORD"
expect_L "SCRAM wrong password" fail "topic \"$TOPIC\"" -b "$SASL_SSL" -X security.protocol=SASL_SSL "${tls[@]}" \
  -X sasl.mechanisms=SCRAM-SHA-512 -X sasl.username=esm-ok -X sasl.password=wrong
expect_L "SCRAM-SHA-256 on the SCRAM-512-only listener" fail "topic \"$TOPIC\"" -b "$SASL_SSL_SCRAM512_ONLY" -X security.protocol=SASL_SSL "${tls[@]}" \
  -X sasl.mechanisms=SCRAM-SHA-256 -X sasl.username=esm-ok-256 -X "sasl.password=$SCRAM_PASSWORD"
expect_L "mTLS without a client certificate" fail "topic \"$TOPIC\"" -b "$MTLS" -X security.protocol=SSL "${tls[@]}"
expect_L "mTLS untrusted client certificate" fail "topic \"$TOPIC\"" -b "$MTLS" -X security.protocol=SSL "${tls[@]}" \
  -X "ssl.certificate.location=$CLIENT_UNTRUSTED_CERT_PEM" -X "ssl.key.location=$CLIENT_UNTRUSTED_KEY_PEM"
expect_L "BADSAN (hostname mismatch)" fail ' 1 brokers' -b "$BADSAN" -X security.protocol=SSL "${tls[@]}"
expect_L "SSL with the wrong CA" fail ' 1 brokers' -b "$SSL" -X security.protocol=SSL -X "ssl.ca.location=$OTHER_CA_PEM"
expect_L "CHAIN_LEAF_ONLY (broker sends its leaf only, CA file holds the root)" fail ' 1 brokers' -b "$CHAIN_LEAF_ONLY" -X security.protocol=SSL "${tls[@]}"
bundle=$(mktemp) && cat "$CA_PEM" "$INTER_CA_PEM" >"$bundle"
expect_L "CHAIN_LEAF_ONLY with the intermediate added to the CA file" ok ' 1 brokers' -b "$CHAIN_LEAF_ONLY" -X security.protocol=SSL -X "ssl.ca.location=$bundle"
rm -f "$bundle"
expect_L "mTLS esm-mtls-inter (leaf + intermediate)" ok "topic \"$TOPIC\" with 3 partitions" -b "$MTLS" -X security.protocol=SSL "${tls[@]}" \
  -X "ssl.certificate.location=$CLIENT_INTER_CHAIN_PEM" -X "ssl.key.location=$CLIENT_INTER_KEY_PEM"
expect_L "mTLS esm-mtls-inter, leaf only (broker lacks the intermediate)" fail "topic \"$TOPIC\"" -b "$MTLS" -X security.protocol=SSL "${tls[@]}" \
  -X "ssl.certificate.location=$CLIENT_INTER_LEAF_PEM" -X "ssl.key.location=$CLIENT_INTER_KEY_PEM"
expect_L "ADVERTISED_BAD bootstrap (advertises $ADVERTISED_BAD_ADVERTISED)" ok "at ${ADVERTISED_BAD_ADVERTISED%:*}" -b "$ADVERTISED_BAD" "${scram[@]}"
expect_L "AUTOCREATE plaintext" ok ' 1 brokers' -b "$AUTOCREATE"

out=$(timeout 30 kcat -b "$SASL_SSL" "${scram[@]}" -C -t "$TOPIC" -o beginning -e -q -f '%s\n' 2>&1) || true
n=$(grep -c '"order"' <<<"$out" || true)
[ "$n" -ge 6 ] && ok "kcat consumed $n records from $TOPIC as esm-ok" || bad "kcat consume: $out"

echo "kafka-python:"
if TOKEN=$("$TB/.cache/bin/mskiamtoken" -region "$IAM_REGION" -akid "$IAM_ACCESS_KEY_ID" -secret "$IAM_SECRET_ACCESS_KEY") &&
  TOKEN=$TOKEN timeout 180 /usr/bin/python3 "$TB/check_kafka_python.py" 2>&1 | sed 's/^/  ok    /'; then :
else bad "kafka-python"; fi

if [ $fail = 0 ]; then echo "check: all passed"; else echo "check: FAILED" >&2; exit 1; fi
